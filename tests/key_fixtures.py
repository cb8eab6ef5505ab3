"""A fresh database on each engine, with where its key lives, for the key and backup tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


@dataclass
class Fresh:
    url: str  # not created yet: `jjis init` (or init_database) makes it
    key: Path  # where its key file is looked for
    engine: str


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Fresh]:
    """An empty place for a database: a DuckDB path (its key beside it), or a new PostgreSQL
    database whose key file is named by JJIS_KEY_FILE."""
    monkeypatch.delenv("JJIS_SECRET", raising=False)
    monkeypatch.delenv("JJIS_KEY_FILE", raising=False)
    monkeypatch.delenv("JJIS_AUDIT_ANCHOR", raising=False)
    if request.param == "duckdb":
        yield Fresh(str(tmp_path / "jjis.duckdb"), tmp_path / "jjis.key", "duckdb")
        return
    name = f"jjis_key_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    key = tmp_path / "keys" / "server.key"
    monkeypatch.setenv("JJIS_KEY_FILE", str(key))
    try:
        yield Fresh(f"{PG_SERVER}/{name}", key, "postgres")
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def new_database(tmp: Path) -> str:
    """Another empty PostgreSQL database (dropped by the caller with drop_database)."""
    name = f"jjis_key_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{PG_SERVER}/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
