"""The US Census of Juveniles in Residential Placement as jjis registers.

The CJRP counts youth held for an offence on one census day in every state; it has no
record-level rows, so each state becomes an area that sent an *aggregate return* of the measure
`in_detention`. The denominator is the Census Bureau's civilian population by single year of age,
from 10 to each state's upper age of original juvenile-court jurisdiction in that year: the
`[population.ages_by_area]` setting.

    python examples/us_cjrp.py --real ../shared/data/real --out us/ --year 2011
    jjis init --db us.duckdb && jjis import us/ --db us.duckdb
    jjis compute --db us.duckdb --config us/jjis.toml --census-date 2011-02-23 --format csv

Sources (in shared/data/real): KIDS COUNT export of the CJRP (`Number` and `Rate per 100,000`
by state and census year) and the Census Bureau's `sc-est20xx-agesex-civ` files.
"""

from __future__ import annotations

import argparse
import csv
from datetime import date
from pathlib import Path

CJRP = "kidscount_youth_in_residential_placement_cjrp_1997-2021.xlsx"
POPULATION = {
    "census_sc-est2019-agesex-civ.csv": range(2010, 2020),
    "census_sc-est2021-agesex-civ.csv": range(2020, 2022),
}
# Census days of the CJRP (OJJDP's Easy Access to the CJRP).
CENSUS_DAYS = {2011: date(2011, 2, 23), 2021: date(2021, 10, 27)}
# Upper age of original juvenile-court jurisdiction where it was not 17 (OJJDP, Juvenile Justice
# Geography, Policy, Practice & Statistics), for the census years above.
UPPER_AGE = {
    2011: {"CT": 16, "GA": 16, "IL": 16, "LA": 16, "MA": 16, "MI": 16, "MO": 16, "NH": 16,
           "SC": 16, "TX": 16, "WI": 16, "NY": 15, "NC": 15},
    2021: {"GA": 16, "MI": 16, "MO": 16, "TX": 16, "WI": 16},
}
STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}


def published(real: Path, year: int) -> dict[str, tuple[int, int]]:
    """State code -> (youth in placement, published rate per 100,000) for a census year."""
    from openpyxl import load_workbook

    wb = load_workbook(real / CJRP, read_only=True)
    values: dict[str, dict[str, str]] = {}
    for loc_type, loc, frame, fmt, value in list(wb.worksheets[0].iter_rows(values_only=True))[1:]:
        if loc_type == "State" and str(frame) == str(year) and loc in STATES:
            values.setdefault(STATES[loc], {})[fmt] = value
    wb.close()
    out = {}
    for code, v in values.items():
        try:
            out[code] = (int(v["Number"]), int(v["Rate per 100,000"]))
        except (KeyError, TypeError, ValueError):
            continue  # suppressed or missing in the publication
    return out


def write_registers(real: Path, out: Path, year: int) -> dict[str, tuple[int, int]]:
    out.mkdir(parents=True, exist_ok=True)
    counts = published(real, year)
    with (out / "areas.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["area_id", "name", "parent_id", "level"])
        w.writerow(["US", "United States", "", "country"])
        for name, code in STATES.items():
            w.writerow([f"US-{code}", name, "US", "state"])
    with (out / "population.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["area_id", "year", "sex", "age", "population"])
        for file, years in POPULATION.items():
            if year not in years:
                continue
            with (real / file).open(encoding="latin-1") as src:
                for row in csv.DictReader(src):
                    if row["NAME"] in STATES and row["SEX"] in ("1", "2") and int(row["AGE"]) <= 25:
                        w.writerow([f"US-{STATES[row['NAME']]}", year, "m" if row["SEX"] == "1" else "f",
                                    row["AGE"], row[f"POPEST{year}_CIV"]])
    census_day = CENSUS_DAYS[year].isoformat()
    with (out / "aggregate_returns.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["return_id", "area_id", "measure", "census_date", "value"])
        for code, (number, _) in sorted(counts.items()):
            w.writerow([f"CJRP-{year}-{code}", f"US-{code}", "in_detention", census_day, number])
    lines = ["# Denominators: ages 10 to each state's upper age of juvenile-court jurisdiction",
             "[population]", "ages = [10, 17]", "[population.ages_by_area]"]
    lines += [f'"US-{code}" = [10, {age}]' for code, age in sorted(UPPER_AGE[year].items())]
    (out / "jjis.toml").write_text("\n".join(lines) + "\n")
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", type=Path, default=Path("../shared/data/real"))
    ap.add_argument("--out", type=Path, default=Path("us"))
    ap.add_argument("--year", type=int, choices=sorted(CENSUS_DAYS), default=2011)
    args = ap.parse_args()
    counts = write_registers(args.real, args.out, args.year)
    print(f"wrote {len(counts)} states' census-day counts for {CENSUS_DAYS[args.year]} to {args.out}/")


if __name__ == "__main__":
    main()
