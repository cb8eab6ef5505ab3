"""The same import on PostgreSQL: the same rows land, the same rows are rejected.

Needs the server on 127.0.0.1:5432 (user postgres, trust): fails, never skips, when it is down."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from import_fixtures import ARREST_HEADER, DETENTION_HEADER, errors_of, load, new_store
from jjis.store import Store

SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def pg_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"jjis_import_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    yield f"{SERVER}/{name}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE {name} WITH (FORCE)")


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: sorted(store.fetchall(f"SELECT * FROM {t}"), key=repr)
        for t in ("areas", "facilities", "arrests", "detentions")
    }


def run(store: Store, tmp: Path) -> list[tuple[int, str, str]]:
    arrests = [ARREST_HEADER,
               ["A1", "K1", "m", "2010-01-01", "2025-01-01", "PS1", "0501", "charged"],
               ["A2", "K2", "f", "", "2025-01-02", "PS1", "02", "diverted"],
               ["A3", "K3", "q", "2010-01-01", "2025-01-02", "RC1", "", ""]]
    stays = [DETENTION_HEADER,
             ["S1", "K1", "m", "2010-01-01", "RC1", "2025-01-01", "pre_sentence", "2025-02-01",
              "2025-05-01", "sentence_served", "", "yes", "no", "0501"],
             ["S2", "K1", "m", "2010-01-01", "RC1", "2025-06-01", "sentenced", "", "", "", "", "",
              "", ""]]
    errs = errors_of(load(store, tmp, "arrests.csv", arrests))
    errs += errors_of(load(store, tmp, "detentions.csv", stays))
    errs += errors_of(load(store, tmp, "arrests.csv", arrests))  # again: updates, no duplicates
    return errs


def test_postgres_import_equals_duckdb_import(tmp_path: Path, pg_url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    duck_dir, pg_dir = tmp_path / "duck", tmp_path / "pg"
    duck_dir.mkdir()
    pg_dir.mkdir()
    duck = new_store(duck_dir)
    # Same key on both, so the pseudonyms agree: the server database is given the DuckDB one's.
    monkeypatch.setenv("JJIS_KEY_FILE", str(duck_dir / "jjis.key"))
    pg = new_store(pg_dir, db=pg_url)
    try:
        duck_errors, pg_errors = run(duck, duck_dir), run(pg, pg_dir)
        assert duck_errors == pg_errors == [(4, "facility_id", "wrong-facility-kind"),
                                            (4, "sex", "invalid-code")] * 2
        assert snapshot(duck) == snapshot(pg)
        # the same bad row, rejected again by the second load, is kept once in the quarantine
        assert pg.count("arrests") == 2 and pg.count("quarantine") == duck.count("quarantine") == 1
    finally:
        duck.close()
        pg.close()
