"""A register of a place that also holds adults is imported as it is: ages up to 120 are valid,
persons 18 or over are left out of every child indicator (over_age), and a person of unknown age
counts as a child (the presumption of childhood), each figure saying how many such children it
counted (unknown_age)."""

from __future__ import annotations

from pathlib import Path

from real_shapes import AREAS, FACILITIES, figures, import_folder, keyed, write

HEADER = ["stay_id", "child_id", "sex", "age", "facility_id", "admission_date",
          "status_at_admission", "wholly_separated"]
STAYS = [
    HEADER,
    ["S1", "P1", "m", "38", "AP1", "2025-11-01", "pre_sentence", "no"],   # adult
    ["S2", "P2", "m", "120", "AP1", "2025-11-01", "pre_sentence", "no"],  # adult, oldest allowed
    ["S3", "P3", "m", "17", "AP1", "2025-12-30", "pre_sentence", "no"],   # child
    ["S4", "P4", "f", "", "AP1", "2025-12-01", "sentenced", "no"],         # age unknown: a child
    ["S5", "P5", "f", "16", "RC1", "2025-10-01", "pre_sentence", "yes"],  # child
    ["S6", "P6", "m", "121", "AP1", "2025-11-01", "pre_sentence", "no"],  # not a possible age
]
# 100 persons per sex and single year 0-17 in each region
POPULATION = [["area_id", "year", "sex", "age", "population"]] + [
    [a, 2025, s, age, 100] for a in ("XA-N", "XA-S") for s in ("f", "m") for age in range(18)]


def test_adults_left_out_unknown_age_counted_and_said(store, tmp_path: Path, monkeypatch) -> None:
    keyed(monkeypatch)
    folder = tmp_path / "registers"
    write(folder, "areas.csv", AREAS)
    write(folder, "facilities.csv", FACILITIES)
    write(folder, "population.csv", POPULATION)
    write(folder, "detentions.csv", STAYS)
    report = import_folder(store, folder)
    assert report.tables["detentions"].accepted == 5  # S1-S5: ages 38 and 120 are valid
    assert report.tables["detentions"].rejected == 1  # S6: 121 is not
    (error,) = report.as_json()["tables"]["detentions"]["errors"]
    assert "121" in str(error) and "120" in str(error)
    f = figures(store, "2025-12-31")
    # Indicator 2 on 2025-12-31: children S3 (17), S4 (unknown, presumed a child), S5 (16) = 3;
    # S1 and S2 (38 and 120) are left out as over age. Population 2 x 2 x 18 x 100 = 7,200.
    rate = f[(2, "rate", "XA")]
    assert (rate.numerator, rate.over_age, rate.unknown_age) == (3, 2, 1)
    assert rate.denominator == 7_200
    assert rate.as_json()["unknown_age"] == 1
    # The jail alone: S3 and S4 are its children, S4 of unknown age.
    north = f[(2, "rate", "XA-N")]
    assert (north.numerator, north.over_age, north.unknown_age) == (2, 2, 1)
    assert (f[(2, "rate", "XA-S")].numerator, f[(2, "rate", "XA-S")].unknown_age) == (1, 0)
    # Indicator 7 (not wholly separated): S3 and S4 of the children, never the adults.
    sep = f[(7, "percent", "XA")]
    assert (sep.numerator, sep.denominator, sep.over_age, sep.unknown_age) == (2, 3, 2, 1)
    # Indicator 3: pre-sentence children S3 and S5; S4 was sentenced. Like over_age, unknown_age
    # is counted over the persons the figure was drawn from (everyone held on C).
    pre = f[(3, "rate", "XA")]
    assert (pre.numerator, pre.unknown_age) == (2, 1)
