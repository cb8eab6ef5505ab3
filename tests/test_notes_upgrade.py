"""`jjis upgrade` of a database whose figures' notes were stored as English text (schema
version 2 and earlier), on DuckDB and PostgreSQL: the notes of its runs and of its releases
come out as the same codes and values, stored as data; the releases' hashes still verify.

The old database is made here the way jjis made it: the figures computed and released, then
each note written back as its notes' English templates joined by `; ` (what jjis stored)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import pytest

from jjis import notes
from jjis.api import import_registers
from jjis.publish import load_results, snapshot_hash
from jjis.publish import releases as rel
from jjis.release import make_release
from jjis.settings import Config
from jjis.store import Store, versions
from jjis.synth import synthesise

CENSUS = date(2025, 12, 31)
TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJIS_SECRET", secrets.token_hex(32))


def _as_text_of_before(store: Store) -> int:
    """Write every figure's note as jjis stored it before: the English templates, `; `."""
    n = 0
    for table in versions.NOTE_TABLES:
        for (stored,) in store.fetchall(f"SELECT DISTINCT note FROM {table} "
                                        "WHERE note IS NOT NULL"):
            old = "; ".join(x.text for x in notes.load(stored))
            assert not notes.is_stored(old)
            store.execute(f"UPDATE {table} SET note = ? WHERE note = ?", [old, stored])
            n += 1
    return n


def test_text_notes_of_runs_and_releases_are_stored_as_data(store: Store,
                                                            tmp_path: Path) -> None:
    synthesise(tmp_path / "registers", children=200, seed=4, end_date=CENSUS)
    report = import_registers(store, [tmp_path / "registers"], Config(), today=TODAY)
    assert report.exit_code == 0, report.as_json()
    made = make_release(store, Config(), CENSUS, today=TODAY)
    computed = load_results(store, made.run_id)
    released = rel.release_figures(store, made.release_id)
    codes = {n.code for f in released for n in f.notes}
    # the release holds withheld figures and notes of several kinds, with values
    assert {"withheld-primary", "coverage"} <= codes, codes

    assert _as_text_of_before(store) > 3
    versions.record(store, 2)
    done = versions.upgrade(store)
    assert (done.from_version, done.to_version) == (2, versions.SCHEMA_VERSION)
    with_note = {t: sum(1 for f in figures if f.note)
                 for t, figures in (("results", computed), ("release_figures", released))}
    assert done.notes == {t: n for t, n in with_note.items() if n}

    # the same notes, code and values, read from data; nothing else of the figures changed
    after_run = load_results(store, made.run_id)
    after_release = rel.release_figures(store, made.release_id)
    assert [f.notes for f in after_run] == [f.notes for f in computed]
    assert [f.notes for f in after_release] == [f.notes for f in released]
    assert [f.as_row() for f in after_release] == [f.as_row() for f in released]
    assert all(notes.is_stored(f.note) for f in after_release if f.note)
    # the release itself is unchanged and its data hash still verifies
    again = rel.get_release(store, made.release_id)
    assert again is not None and again.as_json() == made.as_json()
    assert snapshot_hash(store)[0] == made.snapshot

    # a second upgrade has nothing to convert
    assert not versions.upgrade(store).changed
