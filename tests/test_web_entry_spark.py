"""Web data entry on a Spark warehouse: the functions the entry routes call (web/entry.py) check
a row with the import's rules, save it as a one-row import into the warehouse's Parquet
registers, open the stay again with its child as the pseudonym (kept by the import, so the
edited stay stays linked) and save the edit in place. The routes themselves are engine-blind
(tests/test_web_entry.py walks them on DuckDB)."""

from __future__ import annotations

from pathlib import Path

import pytest

from import_fixtures import TODAY, new_store
from jjis.ingest import pseudonym
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.web.entry import check, existing_stay, one_row, save


def test_an_entry_is_saved_and_edited_in_a_spark_warehouse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJIS_SECRET", "cd" * 32)
    store = new_store(tmp_path, f"spark://local?warehouse={tmp_path / 'warehouse'}")
    table = TABLES["detentions"]
    try:
        assert store.engine == "spark"
        form = {"stay_id": "W-1", "child_id": "CHILD-W", "sex": "f", "date_of_birth": "2010-04-02",
                "admission_date": "2026-05-20", "status_at_admission": "pre_sentence",
                "release_date": "2026-05-01", "release_reason": "transfer"}
        bad = check(store, table, one_row(table, "RC1", form), Config(), TODAY)
        assert [(e.column, e.type) for e in bad] == [("release_date", "date-order")], bad
        assert store.count("detentions") == 0
        form.pop("release_date"), form.pop("release_reason")
        errors, counts = save(store, table, one_row(table, "RC1", form), Config(), TODAY)
        assert errors == [] and counts == {"inserted": 1, "updated": 0}
        child = pseudonym.pseudonym(pseudonym.load_key(store.url), "CHILD-W")
        shown = existing_stay(store, "RC1", "W-1")
        assert shown is not None and shown["child_id"] == pseudonym.shown(child)
        edited = {**shown, "release_date": "2026-06-10", "release_reason": "sentence_served",
                  "sentence_date": "2026-06-01", "aftercare": "yes"}
        errors, counts = save(store, table, one_row(table, "RC1", edited), Config(), TODAY)
        assert errors == [] and counts == {"inserted": 0, "updated": 1}, errors
        rows = store.select("detentions", ["child_id", "release_reason", "aftercare"],
                            {"stay_id": "W-1"})
        assert [(str(r[0]), r[1], r[2]) for r in rows] == [(str(child), "sentence_served", True)]
        assert existing_stay(store, "AP1", "W-1") is None  # another facility's stay is not shown
    finally:
        store.close()
