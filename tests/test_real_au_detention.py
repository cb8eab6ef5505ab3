"""The Australian national rate of young people aged 10-17 in detention on an average night in
the June quarter 2015: 3.2 per 10,000 (AIHW). Numerators: the AIHW's average nightly population
of each state and territory (all Indigenous statuses, all legal statuses), as aggregate returns
of `in_detention` on 30 June 2015. Denominator: the ABS estimated resident population aged 10 to
17 of each state, one band for both sexes, estimated for 31 December 2014 and 2015; the nearer
day to 30 June 2015 is 31 December 2014 (181 days before, against 184 after)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from jjis.settings import Config
from real_shapes import figures, import_folder, keyed, write

REAL = Path(__file__).resolve().parent / "data" / "real"
STATES = {"NSW": "New South Wales", "Vic": "Victoria", "Qld": "Queensland",
          "WA": "Western Australia", "SA": "South Australia", "Tas": "Tasmania",
          "ACT": "Australian Capital Territory", "NT": "Northern Territory"}
CENSUS = date(2015, 6, 30)


def detained() -> dict[str, int]:
    """State -> average nightly population aged 10-17, June quarter 2015 (AIHW)."""
    wb = load_workbook(REAL / "aihw_youth_justice_detention_data_2008-2015_govhack.xlsx",
                       read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return {r[4]: int(r[8]) for r in rows[1:]
            if r[1] == "Total" and r[5] == "Jun qtr 2015" and r[4] in STATES}


def population() -> list[list[object]]:
    """Population rows: each state's 10-17 band, both sexes, Dec 2014 and Dec 2015 (ABS)."""
    wb = load_workbook(REAL / "abs_erp_projection_10-17_by_state_2008-2015_govhack.xlsx",
                       read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    heading = [str(h) for h in rows[0]]
    code = {name: c for c, name in STATES.items()}
    out: list[list[object]] = [["area_id", "year", "reference_date", "sex", "age", "age_to",
                                "population"]]
    for r in rows[1:]:
        if r[1] in code and isinstance(r[0], int):
            for year in (2014, 2015):
                persons = r[heading.index(f"Dec-{year}")]
                out.append([f"AU-{code[r[1]]}", year, f"{year}-12-31", "", 10, 17, persons])
    return out


def test_national_rate_is_the_published_one(store, tmp_path: Path, monkeypatch) -> None:
    keyed(monkeypatch)
    counts = detained()
    assert len(counts) == 8
    folder = tmp_path / "au"
    write(folder, "areas.csv", [["area_id", "name", "parent_id", "level"],
                                ["AU", "Australia", "", "country"],
                                *[[f"AU-{c}", n, "AU", "state"] for c, n in STATES.items()]])
    write(folder, "population.csv", population())
    write(folder, "aggregate_returns.csv", [
        ["return_id", "area_id", "measure", "census_date", "value"],
        *[[f"AIHW-2015Q2-{c}", f"AU-{c}", "in_detention", CENSUS.isoformat(), n]
          for c, n in counts.items()]])
    config = Config({"population.ages": [10, 17]})
    assert import_folder(store, folder, config, today=date(2016, 1, 1)).exit_code == 0
    rate = figures(store, CENSUS.isoformat(), config)[(2, "rate", "AU")]
    # 728 young people (the states' averages; the AIHW's own national average is 730) of
    # 2,278,668 aged 10-17 on 31 December 2014: 3.195 per 10,000, published as 3.2.
    assert rate.numerator == sum(counts.values()) == 728
    assert rate.denominator == 2_278_668
    assert round(rate.value / 10, 1) == 3.2  # the figure is per 100,000; AIHW's per 10,000
    said = [(n.code, n.values) for n in rate.notes]
    assert ("population-as-of", {"day": "2014-12-31"}) in said
    assert ("population-both-sexes", {}) in said
    assert "population-apportioned" not in {code for code, _ in said}
