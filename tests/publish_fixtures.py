"""Fixtures of the publication tests: stores on both engines, register rows, figures.

PostgreSQL: a fresh database `jjis_pub_<random>` on 127.0.0.1:5432 (user postgres, trust), dropped
afterwards. When the server is down the test fails (psycopg raises); it never skips.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from jjis.indicators.results import Figure
from jjis.store import Store, open_store

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
C = date(2025, 12, 31)
P0 = date(2025, 1, 1)

ENGINES = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    name = f"jjis_pub_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def fresh_store(engine: str, tmp_path: Path) -> Iterator[Store]:
    if engine == "duckdb":
        store = open_store(str(tmp_path / "pub.duckdb"), create=True)
        try:
            yield store
        finally:
            store.close()
        return
    with pg_database() as url:
        store = open_store(url, create=True)
        try:
            yield store
        finally:
            store.close()


def insert(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows by column name (the columns not named stay NULL)."""
    for row in rows:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        store.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


def fig(indicator: int = 2, statistic: str = "rate", area: str = "A", *,
        unit: str = "per_100000", bd: dict[str, str] | None = None, num: float | None = None,
        den: float | None = 10_000, value: float | None = None, **kw: Any) -> Figure:
    """A figure; the value is worked out from numerator and denominator unless given."""
    if value is None and num is not None and den:
        scale = {"per_100000": 100_000, "per_1000": 1_000, "percent": 100}.get(unit)
        value = num / den * scale if scale else num
    return Figure(indicator, statistic, area, C, P0, C, unit, breakdown=dict(bd or {}),
                  numerator=num, denominator=den, value=value, **kw)


def count_fig(value: float, *, indicator: int = 1, statistic: str = "events", area: str = "A",
              bd: dict[str, str] | None = None) -> Figure:
    return Figure(indicator, statistic, area, C, P0, C, "count", breakdown=dict(bd or {}),
                  value=value)
