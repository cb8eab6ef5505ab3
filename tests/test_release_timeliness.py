"""Timeliness on DuckDB and PostgreSQL: of the sources that reported (coverage), those whose
data for the period arrived within `[release] deadline_days` after the period's end.

Two police stations of district XA-N-01 send arrests of 2025. Station 1's file arrives on
2026-01-10, station 2's on 2026-02-15. The census date is 2025-12-31, so with the default
deadline of 30 days (2026-01-30) only station 1 is timely: indicator 1 has coverage 2 of 2 and
timely 1, in XA-N-01 and in every area above it; with 60 days (2026-03-01) both are timely.
"""

from __future__ import annotations

import csv
import secrets
from datetime import date
from pathlib import Path

import pytest

from jjis.api import import_registers, run_indicators
from jjis.publish.timeliness import timeliness
from jjis.settings import Config
from jjis.store import Store

CENSUS = date(2025, 12, 31)


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJIS_SECRET", secrets.token_hex(32))


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


ARRESTS = ["arrest_id", "child_id", "sex", "date_of_birth", "arrest_date", "facility_id",
           "offence_code", "outcome"]


def _load(store: Store, tmp: Path) -> None:
    ref = [
        _write(tmp / "ref" / "areas.csv", [["area_id", "name", "parent_id", "level"],
                                           ["XA", "Arcadia", "", "country"],
                                           ["XA-N", "North", "XA", "region"],
                                           ["XA-N-01", "North One", "XA-N", "district"]]),
        _write(tmp / "ref" / "facilities.csv", [
            ["facility_id", "name", "area_id", "kind", "holds_adults", "complaints_system",
             "opened", "closed"],
            ["PS1", "Station 1", "XA-N-01", "police_station", "no", "", "", ""],
            ["PS2", "Station 2", "XA-N-01", "police_station", "no", "", "", ""]]),
    ]
    assert import_registers(store, ref, Config(), today=date(2026, 1, 5)).exit_code == 0
    for station, arrived in (("PS1", date(2026, 1, 10)), ("PS2", date(2026, 2, 15))):
        rows = [ARRESTS, *([f"{station}-{k}", f"C-{station}-{k}", "m", "2010-01-01",
                            f"2025-{k:02d}-15", station, "0501", "charged"] for k in range(1, 7))]
        path = _write(tmp / station / "arrests.csv", rows)
        assert import_registers(store, [path], Config(), today=arrived).exit_code == 0


def test_timeliness_before_and_after_the_deadline(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    on_time = timeliness(store, Config(), CENSUS)
    assert {a: on_time[(1, a)] for a in ("XA", "XA-N", "XA-N-01")} == \
        {"XA": 1, "XA-N": 1, "XA-N-01": 1}
    later = timeliness(store, Config({"release.deadline_days": 60}), CENSUS)
    assert later[(1, "XA")] == 2
    # beside coverage in the compute JSON
    run = run_indicators(store, Config(), CENSUS, record=False)
    head = next(f for f in run.figures if f.indicator == 1 and f.area == "XA"
                and not f.breakdown and f.statistic == "rate")
    shape = head.as_json()
    assert (shape["coverage_reported"], shape["coverage_expected"], shape["timely_reported"]) == \
        (2, 2, 1)
