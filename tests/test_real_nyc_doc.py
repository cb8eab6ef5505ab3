"""The NYC Department of Correction's daily census, record level, imported as it is (ages of
adults included): every person in custody on the census day is counted once, as a child
(unknown age, by the presumption of childhood) or left out as 18 or over. The persons counted
must be the jail population the NYC Comptroller published for the day: 5,970 on 2023-02-01 (the
file lists one person twice, with two open stays: 5,969 persons and an overlapping-stays
finding), 6,081 on 2023-07-01 and 6,162 on 2023-11-01."""

from __future__ import annotations

import csv
import gzip
from datetime import date
from pathlib import Path

import pytest

from real_shapes import figures, import_folder, keyed, write

REAL = Path(__file__).resolve().parent / "data" / "real"
AREAS = [["area_id", "name", "parent_id", "level"], ["US-NY-NYC", "New York City", "", "city"]]
FACILITIES = [["facility_id", "name", "area_id", "kind", "holds_adults"],
              ["NYC-DOC", "NYC Department of Correction jails", "US-NY-NYC", "adult_prison", "yes"]]
# (published jail population, persons in the file, of them of unknown age) per census day; the
# last two counted from the file by hand (sort -u on inmateid; rows with an empty age)
PUBLISHED = {"2023-02-01": (5_970, 5_969, 2), "2023-07-01": (6_081, 6_081, 1),
             "2023-11-01": (6_162, 6_162, 2)}
SEX = {"M": "m", "F": "f", "": "u"}


def detentions(day: str) -> list[list[str]]:
    """One stay per row of the day's file. `age` is the age on the extract day, written as
    `38.0`; jjis reads `age` as of admission and ages it to the census day, which can only make an
    adult older. DOC status DE (detained, not sentenced) is pre-sentence, the others sentenced."""
    rows = [["stay_id", "child_id", "sex", "age", "facility_id", "admission_date",
             "status_at_admission"]]
    with gzip.open(REAL / f"nyc_doc_daily_inmates_in_custody_{day}.csv.gz", "rt", newline="") as fh:
        for r in csv.DictReader(fh):
            age = str(int(float(r["age"]))) if r["age"].strip() else ""
            status = "pre_sentence" if r["inmate_status_code"] == "DE" else "sentenced"
            rows.append([f"{r['inmateid']}@{r['admitted_dt']}", r["inmateid"], SEX[r["gender"]],
                         age, "NYC-DOC", r["admitted_dt"][:10], status])
    return rows


@pytest.mark.parametrize("day", sorted(PUBLISHED))
def test_census_day_count_is_the_published_jail_population(store, tmp_path: Path, monkeypatch,
                                                           day: str) -> None:
    published, persons, unknown_age = PUBLISHED[day]
    keyed(monkeypatch)
    folder = tmp_path / "registers"
    write(folder, "areas.csv", AREAS)
    write(folder, "facilities.csv", FACILITIES)
    rows = detentions(day)
    assert len(rows) - 1 == published  # the file's rows are the published count
    write(folder, "detentions.csv", rows)
    report = import_folder(store, folder, today=date(2024, 1, 1))
    assert report.exit_code == 0 and report.tables["detentions"].accepted == published
    f = figures(store, day)[(2, "rate", "US-NY-NYC")]
    assert f.numerator + f.over_age == persons
    assert (f.numerator, f.unknown_age) == (unknown_age, unknown_age)  # all known ages are 18+
    twice = [x for x in report.as_json()["findings"] if x["type"] == "overlapping-stays"]
    assert len(twice) == published - persons
