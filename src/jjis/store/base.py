"""What every store offers. Engine differences stay behind this seam."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

import pyarrow as pa


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def is_spark_url(db: str) -> bool:
    """A Parquet warehouse computed on Spark (store/spark.py)."""
    return db.startswith("spark://")


# user:password@ after the scheme of a URL, or password=... in a libpq connection string
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*):[^@\s]*@", re.IGNORECASE)
_KV_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def masked(text: str) -> str:
    """`text` with the password of every database URL or connection string in it replaced by
    ***: what messages, logs and manifests show of a URL."""
    return _KV_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", text))


class Store(ABC):
    """A database holding the registers, the system tables and the results."""

    url: str
    engine: str  # "duckdb" or "postgres"
    sessions = False  # whether session() gives connections that may work side by side

    def session(self) -> Store:
        """A connection of its own to the same database, with its own transactions, for a worker
        (the store itself where it has no sessions: its workers take turns)."""
        return self

    @abstractmethod
    def execute(self, sql: str, params: list[Any] | None = None) -> None: ...

    @abstractmethod
    def fetchall(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def fetch_arrow(self, sql: str) -> pa.Table: ...

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def stage(self, name: str, data: pa.Table, like: str | None = None) -> None:
        """Make `data` available as the temporary table `name` inside the current transaction;
        with `like`, its columns take the types of that table's (text becomes UUID, say)."""

    @abstractmethod
    def ibis(self) -> Any:
        """An Ibis backend on this store."""

    @abstractmethod
    def close(self) -> None: ...

    def duckdb(self) -> Any | None:
        """The store's own DuckDB connection, where it has one: the import's workbench is
        attached to it, so accepted rows reach the store without a copy."""
        return None

    def write_rows(self, table: str, staged: str, columns: list[str],
                   key_match: str | None = None) -> int:
        """Add the rows of the relation `staged` to `table` (inside the caller's transaction);
        with `key_match` (a condition on `t`, the table, and `s`, the staged rows), the rows of
        `table` matching a staged row are replaced. Returns how many were replaced."""
        replaced = 0
        if key_match is not None and self.count(table):
            replaced = int(self.fetchall(
                f"SELECT count(*) FROM {table} t JOIN {staged} s ON {key_match}")[0][0])
            self.execute(f"DELETE FROM {table} t USING {staged} s WHERE {key_match}")
        cols = ", ".join(columns)
        self.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {staged}")
        return replaced

    def create_tables(self) -> None:
        from jjis.store.ddl import create_statements

        for stmt in create_statements():
            self.execute(stmt)

    def has_tables(self) -> bool:
        return bool(self.fetchall(
            "SELECT 1 FROM information_schema.tables WHERE table_name = 'import_log'"))

    def count(self, table: str) -> int:
        return int(self.fetchall(f"SELECT count(*) FROM {table}")[0][0])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
