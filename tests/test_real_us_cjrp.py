"""Indicator 2 for a country whose states sent only aggregate counts: the real US Census of
Juveniles in Residential Placement. Every state's rate must equal the published one (KIDS COUNT,
rounded to whole numbers), each state with its own denominator age range."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from jjis.api import import_registers, init_database, run_indicators
from jjis.settings import load_config
from jjis.store import open_store

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"  # extracts shipped with their checksums (README there)

spec = importlib.util.spec_from_file_location("us_cjrp", ROOT / "examples" / "us_cjrp.py")
assert spec and spec.loader
us_cjrp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(us_cjrp)


@pytest.mark.parametrize("year", [2011, 2021])
def test_state_rates_match_the_published_ones(tmp_path: Path, year: int) -> None:
    counts = us_cjrp.write_registers(REAL, tmp_path / "us", year)
    assert len(counts) >= 49
    db = str(tmp_path / "us.duckdb")
    init_database(db)
    config = load_config(tmp_path / "us" / "jjis.toml", explicit=True)
    with open_store(db) as store:
        assert import_registers(store, [tmp_path / "us"], config).exit_code == 0
        run = run_indicators(store, config, us_cjrp.CENSUS_DAYS[year], record=False)
    rates = {f.area: f for f in run.figures
             if f.indicator == 2 and f.statistic == "rate" and not f.breakdown}
    mismatches = {
        code: (rates[f"US-{code}"].value, published_rate)
        for code, (number, published_rate) in counts.items()
        if rates[f"US-{code}"].numerator != number
        or round(rates[f"US-{code}"].value or 0) != published_rate
    }
    assert mismatches == {}
    # A state measured from 10 to 16 uses that range, not the country's 10 to 17.
    assert us_cjrp.UPPER_AGE[year]["TX"] == 16
