"""Shared fixtures. `store` runs each test on DuckDB and on PostgreSQL (127.0.0.1:5432, user
postgres): a PostgreSQL server that is down makes the tests fail, never skip."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from jjis.schema import TABLES
from jjis.store import Store, open_store
from jjis.store.ddl import SYSTEM_TABLES

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def postgres_store() -> Iterator[Store]:
    import psycopg

    name = f"jjis_test_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    store = open_store(f"{PG_SERVER}/{name}", create=True)
    try:
        yield store
    finally:
        store.close()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "duckdb":
        s = open_store(":memory:", create=True)
        yield s
        s.close()
        return
    pg: Store = request.getfixturevalue("postgres_store")
    for table in (*TABLES, *SYSTEM_TABLES):
        pg.execute(f"TRUNCATE {table}")
    yield pg
