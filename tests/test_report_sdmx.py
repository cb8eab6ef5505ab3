"""sdmx/, read back with sdmx1: the data message reads against the structure message written
beside it, every observation is a published figure (withheld ones flagged confidential, with no
value), the SDMX-CSV holds the same observations, and codes follow UNICEF's where one exists."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Any

import pytest
import sdmx

from jjis.indicators.catalogue import load_catalogue
from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.reports.sdmx import codes
from jjis.settings import Config, band_label
from test_report_setup import CENSUS, Report, country, report_en, report_fr  # noqa: F401

DIMS = {"SEX": "sex", "AGE": "age_group", "OFFENCE": "offence"}


def reverse_codes() -> dict[str, dict[str, str]]:
    """SDMX code -> breakdown value, per dimension, from the declared mapping."""
    mapping = codes()["codes"]
    out: dict[str, dict[str, str]] = {}
    for sdmx_dim, dim in DIMS.items():
        table = mapping[dim]
        out[sdmx_dim] = {code: value for value, code in table.items() if not value.startswith("_")}
    for lo, hi in Config()["indicators.age_bands"]:
        out["AGE"][mapping["age_group"]["_pattern"].format(lo=lo, hi=hi)] = band_label(lo, hi)
    for n in range(1, 12):
        out["OFFENCE"][mapping["offence"]["_pattern"].format(code=f"{n:02d}")] = f"{n:02d}"
    return out


def figure_key(values: dict[str, str]) -> str:
    indicator = {i.sdmx_code: i.id for i in load_catalogue()}[values["INDICATOR"]]
    back = reverse_codes()
    dims = [(DIMS[d], back[d][values[d]]) for d in DIMS if values[d] != "_T"]
    assert len(dims) <= 1
    breakdown = f'{{"{dims[0][0]}":"{dims[0][1]}"}}' if dims else "{}"
    return (f"{indicator}|{values['STATISTIC'].lower()}|{values['REF_AREA']}|"
            f"{values['TIME_PERIOD']}|{breakdown}")


@pytest.fixture(scope="module")
def structure(report_en: Report) -> Any:  # noqa: F811
    assert report_en.paths.sdmx is not None
    return sdmx.read_sdmx(report_en.paths.sdmx.structure)


@pytest.fixture(scope="module")
def data(report_en: Report, structure: Any) -> Any:  # noqa: F811
    dsd = structure.structure["DSD_JJ_INDICATORS"]
    return sdmx.read_sdmx(report_en.paths.sdmx.data, structure=dsd)  # type: ignore[union-attr]


def check_observation(f: Figure, value: Any, attrs: dict[str, str]) -> None:
    conf, status = codes()["obs_conf"], codes()["obs_status"]
    if f.suppressed:
        assert math.isnan(float(value)) if value not in (None, "") else True
        expected = conf["primary"] if shown_value(f) == "<5" else conf["secondary"]
        assert attrs["OBS_CONF"] == expected and attrs["OBS_STATUS"] == status["withheld"]
        assert not attrs.get("LOWER_BOUND")
        return
    assert attrs["OBS_CONF"] == conf["published"]
    if f.unit == "answer":
        assert float(value) == codes()["answer"][f.answer]
    elif f.value is None:
        assert attrs["OBS_STATUS"] == status["not_computed"]
    else:
        assert float(value) == f.value and attrs["OBS_STATUS"] == status["normal"]
        if f.ci_low is not None:
            assert float(attrs["LOWER_BOUND"]) == f.ci_low
            assert float(attrs["UPPER_BOUND"]) == f.ci_high
    assert attrs["UNIT_MEASURE"] == codes()["codes"]["unit"][f.unit]


def test_the_data_reads_against_its_own_structure(data: Any, structure: Any) -> None:
    dsd = structure.structure["DSD_JJ_INDICATORS"]
    ds = data.data[0]
    assert len(ds.obs) > 1000
    for dim in dsd.dimensions.components:
        if dim.id == "TIME_PERIOD":
            continue
        allowed = {c.id for c in dim.local_representation.enumerated}
        used = {obs.key[dim.id].value for obs in ds.obs}
        assert used <= allowed, dim.id
    for attr in ("UNIT_MEASURE", "OBS_STATUS", "OBS_CONF"):
        allowed = {c.id for c in dsd.attributes.get(attr).local_representation.enumerated}
        assert {str(o.attrib[attr].value) for o in ds.obs} <= allowed, attr


def test_every_observation_is_a_published_figure(data: Any, report_en: Report) -> None:  # noqa: F811
    seen = set()
    for obs in data.data[0].obs:
        values = {k: str(v.value) for k, v in obs.key.values.items()}
        key = figure_key(values)
        f = report_en.published[key]
        attrs = {k: str(v.value) for k, v in obs.attrib.items()}
        check_observation(f, obs.value, attrs)
        seen.add(key)
    assert seen == set(report_en.published), "every published figure is an observation"


def test_the_sdmx_csv_holds_the_same_observations(report_en: Report) -> None:  # noqa: F811
    with report_en.paths.sdmx.csv.open(encoding="utf-8") as f:  # type: ignore[union-attr]
        rows = list(csv.DictReader(f))
    assert rows[0]["DATAFLOW"] == "JJIS:DF_JJ_INDICATORS(1.0)"
    assert {figure_key(r) for r in rows} == set(report_en.published)
    for r in rows:
        check_observation(report_en.published[figure_key(r)], r["OBS_VALUE"] or "NaN", r)


def test_codelists_are_complete_and_named_in_each_language(structure: Any) -> None:
    lists = {cl.id: cl for cl in structure.codelist.values()}
    for name in ("CL_JJ_INDICATOR", "CL_JJ_AREA", "CL_SEX", "CL_AGE", "CL_OFFENCE",
                 "CL_STATISTIC", "CL_UNIT_MEASURE", "CL_CONF_STATUS", "CL_OBS_STATUS"):
        assert name in lists, name
    assert {c.id for c in lists["CL_SEX"]} == {"F", "M", "_U", "_T"}
    assert {"Y0T13", "Y14T15", "Y16T17", "_T"} <= {c.id for c in lists["CL_AGE"]}
    assert {c.id for c in lists["CL_UNIT_MEASURE"]} >= {"RATE_100000", "PCNT", "YES_NO"}
    indicators = lists["CL_JJ_INDICATOR"]
    assert len(indicators) == 15
    detention = indicators["PT_CHLD_DN"]
    assert str(detention.name.localizations["en"]) == "Children in detention"
    assert str(detention.name.localizations["fr"]) == "Enfants en détention"
    areas = lists["CL_JJ_AREA"]
    assert areas["XA-N-01"].parent is areas["XA-N"]


def test_no_observation_shows_a_count_below_the_threshold(data: Any) -> None:
    for obs in data.data[0].obs:
        if str(obs.attrib["UNIT_MEASURE"].value) == "NUMBER" and obs.value not in (None, ""):
            v = float(obs.value)
            indicator = str(obs.key["INDICATOR"].value)
            if indicator in ("JJIS_INDEPENDENT_INSPECTIONS", "JJIS_COMPLAINTS_MECHANISM"):
                continue
            assert math.isnan(v) or not 1 <= v < 5, obs


def test_the_documented_mapping_is_the_declared_one() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "reports.md").read_text("utf-8")
    declared = codes()
    for table in ("sex", "unit", "age_group", "offence"):
        for value, code in declared["codes"][table].items():
            if value != "_pattern":
                assert f"`{code}`" in doc, (table, code)
            if value not in ("_pattern", "_total") and table == "unit":
                assert f"`{code}` ({value})" in doc, (table, value)
    for table in ("obs_conf", "obs_status"):
        for code in declared[table].values():
            assert f"`{code}`" in doc, (table, code)
    for code in declared["indicator_source"]:
        assert f"`{code}`" in doc, code
    s = declared["structure"]
    assert f"{s['agency']}:{s['dsd']}({s['version']})" in doc
    assert f"{s['agency']}:{s['dataflow']}({s['version']})" in doc


def _unstamped(path: Path) -> str:
    return re.sub(r"<mes:Prepared>[^<]*</mes:Prepared>", "", path.read_text("utf-8"))


def test_export_sdmx_writes_only_the_sdmx_files(country: Any, report_fr: Report,  # noqa: F811
                                                tmp_path: Path) -> None:
    from jjis.reports import export_sdmx
    from jjis.store import open_store

    with open_store(country.db) as store:
        paths = export_sdmx(store, country.config, CENSUS, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "data.xml", "structure.xml"]
    with paths.csv.open(encoding="utf-8") as f:
        keys = {figure_key(r) for r in csv.DictReader(f)}
    assert keys == set(report_fr.published), "the same published figures as the report's"


def test_a_second_process_writes_the_same_files(report_fr: Report, tmp_path: Path) -> None:  # noqa: F811
    """Large reports write sdmx/ in a second process while the report is laid out."""
    from jjis.reports.write import write_outputs

    model = report_fr.paths.model
    assert model is not None
    here = write_outputs(model, "en", tmp_path / "here", formats=("sdmx",), workers=1).sdmx
    there = write_outputs(model, "en", tmp_path / "there", formats=("sdmx",), workers=2).sdmx
    assert here is not None and there is not None
    for a, b in ((here.csv, there.csv), (here.structure, there.structure), (here.data, there.data)):
        assert _unstamped(a) == _unstamped(b)
