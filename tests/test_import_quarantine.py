"""Re-imports: areas again, bounded duplicate messages, the quarantine holds each rejected row once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from import_fixtures import AREAS, ARREST_HEADER, import_into, with_reference, write_csv
from jjis.ingest.quarantine import list_quarantine
from jjis.store import Store

HEADER = ",".join(ARREST_HEADER)


@pytest.fixture
def ref_store(store: Store, tmp_path: Path) -> Store:
    return with_reference(store, tmp_path)


def test_areas_imported_again_are_updated_not_rejected(ref_store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "areas.csv", AREAS)
    (rep,) = import_into(ref_store, [path]).files
    assert (rep.rejected, rep.updated, rep.inserted) == (0, len(AREAS) - 1, 0), rep.errors
    assert ref_store.count("areas") == len(AREAS) - 1


def test_many_rows_sharing_one_id_give_bounded_messages(ref_store: Store, tmp_path: Path) -> None:
    n = 4000
    lines = [f"SAME,C{i},m,2010-05-01,2025-01-09,PS1,0501,charged" for i in range(n)]
    path = tmp_path / "arrests.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    report = import_into(ref_store, [path])
    (rep,) = report.files
    assert rep.rejected == n and ref_store.count("arrests") == 0
    first = rep.errors[0]
    # rows 2..4001 share SAME: each message names rows 2, 3, 4 and counts the 3,997 others
    assert first.type == "duplicate-id" and "rows 2, 3, 4 and 3,997 others" in first.message
    assert max(len(e.message) for e in rep.errors) < 200
    assert len(json.dumps(report.as_json())) < n * 500  # linear: about 400 bytes an error


def test_the_same_bad_file_twice_keeps_one_copy_of_each_row(ref_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "arrests.csv"
    path.write_text(f"{HEADER}\nA1,C1,x,2010-05-01,2025-01-09,PS1,0501,charged\n"
                    "A2,C2,m\nA3,C3,m,2010-05-01,2025-01-09,PS1,0501,charged\n")
    import_into(ref_store, [path])
    import_into(ref_store, [path])
    rows = [(q["file"], q["row"]) for q in list_quarantine(ref_store)]
    assert sorted(rows) == [("arrests.csv", 2), ("arrests.csv", 3)]
