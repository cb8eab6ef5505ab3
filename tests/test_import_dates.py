"""Dates before 1900 are out of range in every date column; years not of four digits are no dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from import_fixtures import ARREST_HEADER, DETENTION_HEADER, import_into, with_reference, write_csv
from jjis.ingest import checks as ck
from jjis.schema import TABLES
from jjis.store import Store


@pytest.fixture
def ref_store(store: Store, tmp_path: Path) -> Store:
    return with_reference(store, tmp_path)


def test_every_date_column_has_the_range_check() -> None:
    for table in TABLES.values():
        dates = {c.name for c in table.columns if c.kind == "date"}
        ctx = ck.Context(table, {c.name for c in table.columns}, ("remand_centre",), ("unknown",),
                         date(2026, 6, 30), bytes(32))
        ranged = {c.column for c in ck.checks(ctx) if c.type == "date-out-of-range"}
        assert ranged == dates, table.name


@pytest.mark.parametrize("value, kind", [("0000-01-01", "date-out-of-range"),
                                         ("1899-12-31", "date-out-of-range"),
                                         ("-025-01-01", "invalid-date"),
                                         ("+2010-01-01", "invalid-date")])
def test_dates_before_1900_are_rejected(ref_store: Store, tmp_path: Path, value: str,
                                        kind: str) -> None:
    arrest = dict(zip(ARREST_HEADER, ["A1", "C1", "m", value, "2025-01-09", "PS1", "0501", "charged"],
                      strict=True))
    stay = dict(zip(DETENTION_HEADER, ["S1", "C1", "m", "2010-01-01", "RC1", value, "sentenced", "",
                                       "", "", "", "", "", ""], strict=True))
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "arrests.csv", [ARREST_HEADER, list(arrest.values())])
    write_csv(d / "detentions.csv", [DETENTION_HEADER, list(stay.values())])
    rep = import_into(ref_store, [d])
    found = sorted((e.row, e.column, e.type) for f in rep.files for e in f.errors)
    assert (2, "date_of_birth", kind) in found and (2, "admission_date", kind) in found
    assert ref_store.count("arrests") == 0 and ref_store.count("detentions") == 0
    if kind == "date-out-of-range":
        assert any("from 1900-01-01" in e.message for f in rep.files for e in f.errors)
