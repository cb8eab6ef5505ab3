"""sdmx/: the published figures for UNICEF, UNODC and other systems, built with sdmx1 model
objects and written by its writers (SDMX-ML 2.1 structure and structure-specific data messages,
and SDMX-CSV 1.0).

The data structure has the dimensions INDICATOR, REF_AREA, SEX, AGE, OFFENCE, STATISTIC and
TIME_PERIOD (the census date); each observation carries UNIT_MEASURE, OBS_STATUS, OBS_CONF
(confidentiality: withheld observations are C or D and have no value), LOWER_BOUND and
UPPER_BOUND (the 95% interval) and OBS_FOOTNOTE. How codes map is declared in sdmx_codes.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sdmx
from sdmx import message
from sdmx.dictlike import DictLike
from sdmx.model import common, v21

from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.reports import i18n
from jjis.reports.formatting import Lang
from jjis.reports.model import ReportModel, key_of
from jjis.reports.notes import note_text
from jjis.reports.sdmx_structure import (
    BREAKDOWN_DIMENSIONS,
    DIMENSIONS,
    Structure,
    build_structure,
    codes,
)
from jjis.textcells import neutralise_csv


@dataclass
class SdmxPaths:
    structure: Path
    data: Path
    csv: Path

    def files(self) -> list[Path]:
        return [self.structure, self.data, self.csv]


class _Observations:
    """Builds observations, reusing key and attribute values (there are many observations and
    few distinct values)."""

    def __init__(self, st: Structure, model: ReportModel) -> None:
        self.st = st
        self.model = model
        self.dd = st.dsd.dimensions
        self.measure = st.dsd.measures[0]
        self.kv: dict[tuple[str, str], common.KeyValue] = {}
        self.av: dict[tuple[str, str], common.AttributeValue] = {}
        self.english = Lang(i18n.SOURCE_LANGUAGE)
        self.conf, self.status = codes()["obs_conf"], codes()["obs_status"]
        self.time_keys: dict[str, common.Key] = {}
        self.notes: dict[str | None, str] = {}

    def _kv(self, dim: str, value: str) -> common.KeyValue:
        k = (dim, value)
        if k not in self.kv:
            self.kv[k] = common.KeyValue(id=dim, value=value, value_for=self.dd.get(dim))
        return self.kv[k]

    def _av(self, attr: str, value: str) -> common.AttributeValue:
        k = (attr, value)
        if k not in self.av:
            cl = self.st.codelists.get(attr)
            v: Any = cl[value] if cl is not None else value
            self.av[k] = common.AttributeValue(value=v, value_for=self.st.dsd.attributes.get(attr))
        return self.av[k]

    def series_key(self, f: Figure) -> common.SeriesKey:
        """The key of the figure's series: every dimension but TIME_PERIOD."""
        dim, value = key_of(f)[4:6]
        values = {"INDICATOR": self.st.indicator_code[f.indicator], "REF_AREA": f.area,
                  "SEX": "_T", "AGE": "_T", "OFFENCE": "_T",
                  "STATISTIC": self.st.statistic_code(f.statistic)}
        if dim:
            values[BREAKDOWN_DIMENSIONS[dim]] = self.st.breakdown_code(dim, value)
        key = common.SeriesKey(described_by=self.dd)
        key.values = _dictlike(common.KeyValue,
                               [(d, self._kv(d, values[d])) for d in DIMENSIONS[:-1]])
        return key

    def time_key(self, f: Figure) -> common.Key:
        """The observation's own key (TIME_PERIOD), one object per census date."""
        day = f.census_date.isoformat()
        if day not in self.time_keys:
            key = common.Key(described_by=self.dd)
            key.values = _dictlike(common.KeyValue, [("TIME_PERIOD", self._kv("TIME_PERIOD", day))])
            self.time_keys[day] = key
        return self.time_keys[day]

    def value(self, f: Figure) -> tuple[Any, str, str]:
        """The observation value, its status and confidentiality."""
        shown = shown_value(f)
        if shown is not None:
            return "NaN", self.status["withheld"], self.conf[
                "primary" if shown.startswith("<") else "secondary"]
        if f.unit == "answer":
            v = codes()["answer"].get(f.answer or "")
            return ("NaN", self.status["not_computed"], self.conf["published"]) if v is None \
                else (float(v), self.status["normal"], self.conf["published"])
        if f.value is None:
            return "NaN", self.status["not_computed"], self.conf["published"]
        return float(f.value), self.status["normal"], self.conf["published"]

    def observation(self, f: Figure) -> v21.Observation:
        value, status, conf = self.value(f)
        attrs = {"UNIT_MEASURE": self._av("UNIT_MEASURE", self.st.unit_code(f.unit)),
                 "OBS_STATUS": self._av("OBS_STATUS", status),
                 "OBS_CONF": self._av("OBS_CONF", conf)}
        if status == self.status["normal"]:
            for attr, bound in (("LOWER_BOUND", f.ci_low), ("UPPER_BOUND", f.ci_high)):
                if bound is not None:
                    attrs[attr] = common.AttributeValue(
                        value=repr(float(bound)), value_for=self.st.dsd.attributes.get(attr))
        if f.note not in self.notes:
            self.notes[f.note] = " ".join(note_text(f.note, self.english, self.model.threshold))
        note = self.notes[f.note]
        if note:
            attrs["OBS_FOOTNOTE"] = common.AttributeValue(
                value=note, value_for=self.st.dsd.attributes.get("OBS_FOOTNOTE"))
        return v21.Observation(dimension=self.time_key(f), value=value, value_for=self.measure,
                               attached_attribute=_dictlike(common.AttributeValue, attrs))


def _dictlike(value_type: type, items: Any) -> DictLike:
    """A DictLike of values built here from the structure's own components: filled without
    sdmx1's per-entry type check, which costs more than the rest of an observation."""
    out: DictLike = DictLike.with_types(str, value_type)
    out.update_fast(items)
    return out


def exported(model: ReportModel) -> list[Figure]:
    """The figures the data message holds: every published figure of the report's areas whose
    breakdown is one of the SDMX dimensions."""
    return [f for f in model.all_figures()
            if f.area in model.areas and set(f.breakdown) <= set(BREAKDOWN_DIMENSIONS)]


def data_message(model: ReportModel, st: Structure) -> message.DataMessage:
    """One series per indicator, statistic, area and breakdown; one observation per census
    date (the time-series layout, dimension at observation TIME_PERIOD)."""
    build = _Observations(st, model)
    ds = v21.StructureSpecificDataSet(described_by=st.dataflow, structured_by=st.dsd)
    series: dict[tuple[Any, ...], list[Figure]] = {}
    for f in exported(model):
        series.setdefault(key_of(f)[:3] + key_of(f)[4:], []).append(f)
    for figures in series.values():
        ds.add_obs([build.observation(f) for f in figures], build.series_key(figures[0]))
    header = message.Header(sender=st.agency, test=False)
    return message.DataMessage(header=header, dataflow=st.dataflow, data=[ds],
                               observation_dimension=st.dsd.dimensions.get("TIME_PERIOD"))


def write_sdmx(model: ReportModel, out_dir: Path) -> SdmxPaths:
    """structure.xml, data.xml and data.csv in out_dir."""
    from sdmx.format.csv.v1 import FormatOptions

    out_dir.mkdir(parents=True, exist_ok=True)
    st = build_structure(model)
    paths = SdmxPaths(out_dir / "structure.xml", out_dir / "data.xml", out_dir / "data.csv")
    paths.structure.write_bytes(sdmx.to_xml(st.message, pretty_print=True))
    dm = data_message(model, st)
    paths.data.write_bytes(sdmx.to_xml(dm, pretty_print=True))
    sdmx.to_csv(dm.data[0], path=paths.csv, format_options=FormatOptions(), attributes="o")
    neutralise_csv(paths.csv)  # no cell of the CSV is a formula (OWASP)
    return paths
