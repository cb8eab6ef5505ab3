"""Small hand-written registers for the import tests."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from jjis.api import import_registers, init_database
from jjis.ingest.report import ImportReport
from jjis.settings import Config
from jjis.store import Store, open_store

TODAY = date(2026, 6, 30)

AREAS = [
    ["area_id", "name", "parent_id", "level"],
    ["XA", "Arcadia", "", "country"],
    ["XA-N", "North", "XA", "region"],
    ["XA-N-01", "North One", "XA-N", "district"],
]
FACILITIES = [
    ["facility_id", "name", "area_id", "kind", "holds_adults", "complaints_system", "opened", "closed"],
    ["PS1", "Station 1", "XA-N-01", "police_station", "no", "", "", ""],
    ["RC1", "Remand 1", "XA-N", "remand_centre", "no", "yes", "2020-01-01", ""],
    ["AP1", "Prison 1", "XA-N", "adult_prison", "yes", "no", "", ""],
    ["CT1", "Court 1", "XA-N", "court", "", "", "", ""],
]
DETENTION_HEADER = ["stay_id", "child_id", "sex", "date_of_birth", "facility_id", "admission_date",
                    "status_at_admission", "sentence_date", "release_date", "release_reason",
                    "death_cause", "aftercare", "wholly_separated", "offence_code"]
ARREST_HEADER = ["arrest_id", "child_id", "sex", "date_of_birth", "arrest_date", "facility_id",
                 "offence_code", "outcome"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def new_store(tmp: Path, db: str | None = None) -> Store:
    """A fresh database with its key, holding the areas and facilities above."""
    target = db or str(tmp / "jjis.duckdb")
    init_database(target)
    store = open_store(target)
    ref = tmp / "ref"
    ref.mkdir(exist_ok=True)
    write_csv(ref / "areas.csv", AREAS)
    write_csv(ref / "facilities.csv", FACILITIES)
    report = import_registers(store, [ref], Config(), today=TODAY)
    assert report.exit_code == 0, report.as_json()
    return store


def load(store: Store, tmp: Path, name: str, rows: list[list[str]]) -> ImportReport:
    folder = tmp / f"in-{name}-{len(list(tmp.iterdir()))}"
    folder.mkdir()
    path = write_csv(folder / name, rows)
    return import_registers(store, [path], Config(), today=TODAY)


def errors_of(report: ImportReport) -> list[tuple[int, str, str]]:
    """(row, column, type) of every error, in order."""
    return [(e.row, e.column, e.type) for t in report.tables.values() for _, e in t.errors]


KEY = bytes(range(32))  # a fixed key for tests that call the import below the key's loading


def import_into(store: Store, paths: list[Path], today: date = TODAY) -> ImportReport:
    """The import itself, on any engine (the `store` fixture), under the fixed test key."""
    from jjis.ingest.load import import_registers as load_registers

    return load_registers(store, list(paths), Config(), KEY, today=today)


def with_reference(store: Store, tmp: Path) -> Store:
    """The areas and facilities above, imported into `store`."""
    ref = tmp / "ref"
    ref.mkdir(exist_ok=True)
    write_csv(ref / "areas.csv", AREAS)
    write_csv(ref / "facilities.csv", FACILITIES)
    report = import_into(store, [ref])
    assert report.exit_code == 0, report.as_json()
    return store
