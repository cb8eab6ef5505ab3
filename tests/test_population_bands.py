"""Population as statistics offices publish it: age bands, both sexes together, reference days.

Country XA: XA-N has UN WPP-style rows (5-year bands, both sexes); XA-S single years by sex,
estimated for 31 December 2024 and 31 December 2025. Census date 30 June 2025."""

from __future__ import annotations

from pathlib import Path

import pytest

from real_shapes import AREAS, FACILITIES, figures, import_folder, keyed, write

HEADER = ["area_id", "year", "reference_date", "sex", "age", "age_to", "population"]
NORTH = [["XA-N", 2025, "", "", lo, lo + 4, 500] for lo in range(0, 20, 5)]
SOUTH = [["XA-S", year, f"{year}-12-31", sex, age, "", n]
         for year, n in ((2024, 50), (2025, 70)) for sex in ("f", "m") for age in range(18)]
STAYS = [["stay_id", "child_id", "sex", "age", "facility_id", "admission_date",
          "status_at_admission"],
         ["S1", "K1", "f", "16", "AP1", "2025-06-01", "pre_sentence"],
         ["S2", "K2", "f", "15", "RC1", "2025-06-01", "pre_sentence"]]


def load(store, tmp_path: Path, monkeypatch, population: list[list[object]]):
    keyed(monkeypatch)
    folder = tmp_path / "registers"
    write(folder, "areas.csv", AREAS)
    write(folder, "facilities.csv", FACILITIES)
    write(folder, "population.csv", [HEADER, *population])
    write(folder, "detentions.csv", STAYS)
    return import_folder(store, folder)


def test_bands_both_sexes_and_the_nearest_reference_day(store, tmp_path: Path, monkeypatch):
    assert load(store, tmp_path, monkeypatch, NORTH + SOUTH).exit_code == 0
    f = figures(store, "2025-06-30")
    north = f[(2, "rate", "XA-N")]
    # 0-4, 5-9, 10-14 whole (3 x 500) and 3 of the 5 years of 15-19 (300): 1,800 children.
    assert north.denominator == 1_800
    assert north.value == pytest.approx(1 / 1_800 * 100_000)
    said = [(n.code, n.values) for n in north.notes]
    assert ("population-apportioned", {"lo": 15, "hi": 19}) in said
    assert ("population-both-sexes", {}) in said
    south = f[(2, "rate", "XA-S")]
    # 2024-12-31 is 181 days before C, 2025-12-31 184 days after: 50 x 2 x 18 = 1,800.
    assert south.denominator == 1_800
    said = [(n.code, n.values) for n in south.notes]
    assert ("population-as-of", {"day": "2024-12-31"}) in said
    assert "population-apportioned" not in {code for code, _ in said}
    assert f[(2, "rate", "XA")].denominator == 3_600


def test_sex_specific_rates_need_population_by_sex(store, tmp_path: Path, monkeypatch):
    from datetime import date

    from jjis.api import run_indicators
    from jjis.settings import Config

    assert load(store, tmp_path, monkeypatch, NORTH + SOUTH).exit_code == 0
    run = run_indicators(store, Config(), date(2025, 6, 30), by=("sex",), record=False)
    rate = {(f.area, f.breakdown.get("sex")): f for f in run.figures
            if f.indicator == 2 and f.statistic == "rate" and "sex" in f.breakdown}
    assert rate[("XA-N", "f")].value is None
    assert ("no-rate-by-sex", {"area": "XA-N"}) in [
        (n.code, n.values) for n in rate[("XA-N", "f")].notes]
    assert rate[("XA-S", "f")].denominator == 900  # 50 x 18 girls on 2024-12-31


def test_overlapping_rows_and_reversed_bands_are_import_errors(store, tmp_path: Path,
                                                              monkeypatch):
    rows = [["XA-N", 2025, "", "", 10, 14, 500],  # row 2
            ["XA-N", 2025, "", "", 12, "", 100],  # row 3: inside row 2's band
            ["XA-N", 2025, "", "f", 12, "", 50],  # row 4: another sex, no overlap
            ["XA-N", 2025, "", "", 17, 15, 10]]   # row 5: band ends reversed
    report = load(store, tmp_path, monkeypatch, rows)
    errors = report.as_json()["tables"]["population"]["errors"]
    overlaps = {e["row"]: e["message"] for e in errors if e["type"] == "overlapping-population"}
    assert sorted(overlaps) == [2, 3]
    assert "row 3" in overlaps[2] and "row 2" in overlaps[3]
    assert [e["row"] for e in errors if e["type"] == "number-order"] == [5]
    assert report.tables["population"].accepted == 1
