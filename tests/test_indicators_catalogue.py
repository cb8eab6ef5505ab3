"""The catalogue: checked on load, errors naming entry and field; docs generated from it; CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indicator_fixtures import country, load, stay
from jjis.errors import JjisError
from jjis.indicators.catalogue import DURATION_STATISTICS, load_catalogue, parse_catalogue
from jjis.indicators.docs import render_reference

ROOT = Path(__file__).resolve().parents[1]
TOML = (ROOT / "src/jjis/indicators/catalogue.toml").read_text(encoding="utf-8")


def test_catalogue_declares_all_fifteen_with_their_statistics():
    cat = load_catalogue()
    assert [i.id for i in cat] == list(range(1, 16))
    assert [i.id for i in cat if i.core] == [2, 3, 9, 10, 14]
    statistics = {1: ("rate", "events"), 2: ("rate",), 3: ("rate", "share_of_detained"),
                  4: DURATION_STATISTICS, 5: DURATION_STATISTICS,
                  6: ("rate", "rate_census", "rate_average_daily_population"),
                  12: ("part_a", "part_b"), 13: ("part_a", "part_b"), 14: ("answer",),
                  15: ("answer",)}  # the manual's; 7 to 11 a percentage each
    for ind in cat:
        assert tuple(ind.statistics) == statistics.get(ind.id, ("percent",))
    assert re.fullmatch(r"[0-9a-f]{16}", cat.version)
    assert cat[2].sdmx_code == "PT_CHLD_DN"


@pytest.mark.parametrize(("old", "new", "field"), [
    ('type = "share"\ntiming = "snapshot"', 'type = "ratio"\ntiming = "snapshot"', "type"),
    ('query = "sentencing"', 'query = "sentences"', "query"),
    ('headline = "median_days"', 'headline = "median"', "headline"),
    ('source = "deciding"', 'source = "courts"', "source"),
    ('measures = ["deaths"]', 'measures = ["died"]', "measures"),
    ('"rate_census.denominator" = "2.rate.numerator"', '"rate_census.denominator" = "2.x.numerator"',
     "same_counts"),
    ('statistics = { percent = "percent" }', 'statistics = { percent = "days" }', "statistics"),
    ('breakdowns = ["facility_kind"]', 'breakdowns = ["colour"]', "breakdowns"),
])
def test_catalogue_errors_name_entry_and_field(old, new, field):
    assert old in TOML
    with pytest.raises(JjisError, match=rf"entry \d+, field {field}"):
        parse_catalogue(TOML.replace(old, new, 1))


def test_committed_reference_page_is_generated():
    committed = (ROOT / "docs/indicators.md").read_text(encoding="utf-8")
    assert committed == render_reference(), (
        "docs/indicators.md is out of date: run "
        "python -c 'from jjis.indicators.docs import write_reference; write_reference()'")


def test_cli_compute_json_csv_explain_and_indicators(tmp_path):
    from jjis.cli.main import app
    from jjis.store import open_store

    db = str(tmp_path / "t.duckdb")
    with open_store(db, create=True) as store:
        load(store, country(detentions=[stay("s1", 1, "RC2", "2025-06-01")]))
    runner = CliRunner()
    res = runner.invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                              "--by", "sex", "--format", "json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.stdout)
    two = [f for f in figures if f["indicator"] == 2 and f["area"] == "BJ" and not f["breakdown"]]
    assert two[0]["numerator"] == 1 and two[0]["unit"] == "per_100000"
    assert {"indicator", "statistic", "area", "census_date", "period_start", "period_end",
            "breakdown", "numerator", "denominator", "value", "unit", "unknown",
            "suppressed"} <= set(figures[0])
    res = runner.invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                              "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.startswith("indicator,statistic,area")
    res = runner.invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31", "--explain"])
    assert res.exit_code == 0 and "SELECT" in res.stdout
    res = runner.invoke(app, ["compute", "--db", db, "--census-date", "31/12/2025"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31", "--by", "x"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["indicators"])
    assert res.exit_code == 0 and "Aftercare" in res.stdout
    res = runner.invoke(app, ["indicators", "show", "11"])
    assert res.exit_code == 0 and "Counting rules" in res.stdout and "last" in res.stdout
