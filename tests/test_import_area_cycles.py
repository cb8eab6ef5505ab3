"""Area cycles are rejected at import, naming the rows; a cycle stored all the same cannot make a
recursive computation run for ever."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from import_fixtures import import_into, with_reference, write_csv
from jjis.publish.coverage import coverage
from jjis.settings import Config
from jjis.store import Store

HEADER = ["area_id", "name", "parent_id", "level"]


@pytest.fixture
def ref_store(store: Store, tmp_path: Path) -> Store:
    return with_reference(store, tmp_path)


def test_cycles_in_the_file_are_rejected_naming_their_rows(ref_store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "areas.csv", [
        HEADER,
        ["XA-S", "South", "XA", "region"],          # row 2: fine
        ["XA-SELF", "Self", "XA-SELF", "district"],  # row 3: its own parent
        ["XA-E", "East", "XA-W", "district"],        # row 4: East -> West -> East
        ["XA-W", "West", "XA-E", "district"],        # row 5
    ])
    (rep,) = import_into(ref_store, [path]).files
    found = [(e.row, e.type) for e in rep.errors]
    assert found == [(3, "area-cycle"), (4, "area-cycle"), (5, "area-cycle")]
    assert "rows 4, 5" in rep.errors[1].message and "XA-E → XA-W → XA-E" in rep.errors[1].message
    ids = {r[0] for r in ref_store.fetchall("SELECT area_id FROM areas")}
    assert "XA-S" in ids and not ids & {"XA-SELF", "XA-E", "XA-W"}


def test_a_cycle_through_stored_areas_is_rejected(ref_store: Store, tmp_path: Path) -> None:
    # stored: XA-N-01 -> XA-N -> XA; the file makes the country a child of its own district
    path = write_csv(tmp_path / "areas.csv", [HEADER, ["XA", "Arcadia", "XA-N-01", "country"]])
    (rep,) = import_into(ref_store, [path]).files
    (err,) = rep.errors
    assert err.type == "area-cycle" and "XA → XA-N-01 → XA-N → XA" in err.message
    assert ref_store.fetchall("SELECT parent_id FROM areas WHERE area_id = 'XA'") == [(None,)]


def test_a_stored_cycle_cannot_hang_coverage(ref_store: Store) -> None:
    ref_store.execute("UPDATE areas SET parent_id = 'XA-N-01' WHERE area_id = 'XA'")
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(
        coverage(ref_store, Config(), date(2025, 12, 31))), daemon=True)
    worker.start()
    worker.join(30)
    assert done, "coverage did not end on a cycle of areas"
