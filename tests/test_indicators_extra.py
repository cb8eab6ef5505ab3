"""A sixteenth indicator added from outside the package (tests/extra_indicator: a catalogue entry
and a query module, named by the setting `indicators.extra`) is computed, released, reported and
served like the fifteen; bad extra catalogues fail naming the entry and the field; every type of
the catalogue has its maker and every kind of source its coverage rule.

The small country of indicator_fixtures: on the census date 2025-12-31 three children are in
detention, girls 1 (RC2, BJ-N2) and 3 (JD3, BJ-S) and boy 2 (RC2, BJ-N2); girl 4 was released
from RC2 before it. Indicator 16 (girls among the children in detention): BJ 2 of 3, BJ-N and
BJ-N2 1 of 2, BJ-S 1 of 1, BJ-N1 0 of 0 (no figure).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from indicator_fixtures import country, load, stay
from jjis.api import init_database
from jjis.errors import JjisError
from jjis.indicators.catalogue import SOURCE_KINDS, Type, load_catalogue
from jjis.indicators.figures_by_indicator import maker_of
from jjis.publish import releases as rel
from jjis.publish.coverage import SOURCES
from jjis.release import make_release
from jjis.reports.write import write_report
from jjis.settings import Config, load_config
from jjis.store import open_store
from jjis.web.app import create_app

EXTRA = Path(__file__).parent / "extra_indicator"
CENSUS = date(2025, 12, 31)
TODAY = date(2026, 1, 15)
NAME = "Girls in detention"
# area -> (girls, children) on the census date, worked by hand (module docstring)
EXPECTED = {"BJ": (2, 3), "BJ-N": (1, 2), "BJ-N2": (1, 2), "BJ-S": (1, 1)}


def _config_file(folder: Path, catalogue: Path) -> Path:
    path = folder / "jjis.toml"
    # threshold 1: nothing withheld, so the released and served values can be checked
    path.write_text(f'[indicators]\nextra = "{catalogue}"\n\n'
                    "[publication]\ndisclosure_threshold = 1\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def country_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Config, Path]:
    root = tmp_path_factory.mktemp("extra")
    config_path = _config_file(root, EXTRA / "catalogue.toml")
    config = load_config(config_path, explicit=True)
    db = str(root / "jjis.duckdb")
    init_database(db, config)
    with open_store(db) as store:
        load(store, country(detentions=[
            stay("s1", 1, "RC2", "2025-06-01"),
            stay("s2", 2, "RC2", "2025-07-01", sex="m"),
            stay("s3", 3, "JD3", "2025-08-01"),
            stay("s4", 4, "RC2", "2025-01-10", "2025-03-01", "end_of_order"),
        ]))
    return db, config, config_path


def _totals(figures: list, indicator: int = 16) -> dict[str, tuple[object, object, object]]:
    return {f.area: (f.numerator, f.denominator, f.value) for f in figures
            if f.indicator == indicator and not f.breakdown}


def _expected_values() -> dict[str, tuple[int, int, float]]:
    return {a: (g, c, g / c * 100) for a, (g, c) in EXPECTED.items()}


def test_the_extra_indicator_is_computed_by_jjis_compute(
        country_db: tuple[str, Config, Path]) -> None:
    """`jjis compute --config` loads the extra catalogue the configuration names (the run is
    recorded through api.run_indicators, and the release below reuses it)."""
    from jjis.cli.main import app

    db, config, config_path = country_db
    assert [i.id for i in load_catalogue(config)] == list(range(1, 17))
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--config", str(config_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    totals = {(f["indicator"], f["area"]): f for f in json.loads(res.stdout)
              if not f["breakdown"]}
    for area, (g, c, value) in _expected_values().items():
        f = totals[(16, area)]
        assert (f["numerator"], f["denominator"]) == (g, c)
        assert f["value"] == pytest.approx(value)
    assert totals[(16, "BJ-N1")]["value"] is None
    # the fifteen are unchanged beside it: indicator 2 counts the same three children
    assert totals[(2, "BJ")]["numerator"] == 3
    # coverage from the entry's kind of source, places of detention, as for indicator 2: RC2
    # and JD3 sent stays, the lock-up LK1 (a place of detention too) sent none
    for indicator in (2, 16):
        f = totals[(indicator, "BJ")]
        assert (f["coverage_reported"], f["coverage_expected"]) == (2, 3)
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--config", str(config_path), "--indicator", "17"])
    assert res.exit_code == 2 and "the indicators are 1 to 16" in res.output


def test_the_extra_indicator_is_released_reported_and_served(
        country_db: tuple[str, Config, Path], tmp_path: Path) -> None:
    db, config, _ = country_db
    with open_store(db) as store:
        release = make_release(store, config, CENSUS, note="extra", today=TODAY)
        released = rel.release_figures(store, release.release_id)
        totals = _totals(released)
        for area, (g, c, value) in _expected_values().items():
            assert totals[area][:2] == (g, c) and totals[area][2] == pytest.approx(value)
        paths = write_report(store, config, CENSUS, tmp_path / "report",
                             formats=("html", "xlsx"))
    assert paths.html is not None and paths.xlsx is not None
    html = paths.html.read_text(encoding="utf-8")
    assert 'data-indicator="16"' in html and NAME in html
    book = openpyxl.load_workbook(paths.xlsx, read_only=True)
    cells = {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for v in row if v is not None}
    assert NAME in cells

    app = create_app(db, config, today=lambda: CENSUS)
    with TestClient(app) as client:  # the public: it reads the release only
        api = client.get(f"/api/indicators?census_date={CENSUS}")
        assert api.status_code == 200, api.text
        served = {(f["area"], f["numerator"], f["denominator"]) for f in api.json()
                  if f["indicator"] == 16 and not f["breakdown"]}
        assert served >= {(a, g, c) for a, (g, c) in EXPECTED.items()}
        page = client.get(f"/indicators/16?census_date={CENSUS}")
        assert page.status_code == 200 and NAME in page.text
        assert NAME in client.get(f"/dashboard?census_date={CENSUS}").text
        assert client.get("/indicators/17").status_code == 404


# --- bad extra catalogues ---------------------------------------------------------------------

QUERIES = f'module = "{EXTRA / "queries.py"}"'  # the one module, so its query registers once
ENTRY = (EXTRA / "catalogue.toml").read_text(encoding="utf-8").replace(
    'module = "queries.py"', QUERIES)


@pytest.mark.parametrize(("old", "new", "field", "says"), [
    ('query = "girls_in_detention"', 'query = "girls"', "query", "no query 'girls'"),
    ('headline = "percent"', 'headline = "rate"', "headline", "not among its statistics"),
    ('source = "detentions"', 'source = "prisons"', "source", "allowed: arrests"),
    ('type = "share"', 'type = "ratio"', "type", "allowed: rate, share"),
    (QUERIES, 'module = "missing.py"', "module", "there is no file"),
    ("id = 16", "id = 2", "id", "appears twice"),
    ('columns = { numerator = "girls", denominator = "children" }',
     'columns = { numerator = "girls" }', "columns", "its denominator"),
    ('statistics = { percent = "percent" }', 'statistics = { percent = "percent", n = "count" }',
     "statistics", "yields one statistic"),
])
def test_a_bad_extra_catalogue_names_entry_and_field(tmp_path: Path, old: str, new: str,
                                                     field: str, says: str) -> None:
    assert old in ENTRY
    bad = tmp_path / "catalogue.toml"
    bad.write_text(ENTRY.replace(old, new, 1), encoding="utf-8")
    config = load_config(_config_file(tmp_path, bad), explicit=True)
    with pytest.raises(JjisError, match=rf"entry (16|2) \(in the extra indicator catalogue "
                                        rf".*\), field {field}: .*{says}"):
        load_catalogue(config)


def test_an_extra_catalogue_that_is_not_there_names_the_setting(tmp_path: Path) -> None:
    config = load_config(_config_file(tmp_path, tmp_path / "nowhere.toml"), explicit=True)
    with pytest.raises(JjisError, match=r"nowhere.toml \(setting indicators.extra\) cannot be "
                                        r"read"):
        load_catalogue(config)


# --- dispatch is exhaustive ---------------------------------------------------------------------

def test_every_type_has_a_maker_and_every_source_kind_a_coverage_rule() -> None:
    assert all(callable(maker_of(t)) for t in Type)
    assert set(SOURCES) == set(SOURCE_KINDS)
    cat = load_catalogue()
    assert {i.type for i in cat} <= set(Type)
    # the dispatch the fifteen declare: the snapshot query is read by 2, 3, 6 (its rate_census),
    # 7 and 8; 14 and 15 are answered from the checklist alone
    assert cat.reading("snapshot") == (2, 3, 6, 7, 8)
    assert [i.id for i in cat if i.query is None] == [14, 15]
    assert [i.id for i in cat if not i.counts_people] == [12, 13, 14, 15]
