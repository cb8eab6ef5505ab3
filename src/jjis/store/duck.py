"""The embedded store: one DuckDB file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jjis.errors import JjisError
from jjis.store.base import Store


class DuckStore(Store):
    engine = "duckdb"

    def __init__(self, path: str, *, create: bool = False, read_only: bool = False) -> None:
        self.url = path
        p = Path(path)
        if path != ":memory:" and not create and not p.exists():
            raise JjisError(f"there is no database at {path}; run `jjis init --db {path}` first")
        try:
            self.con = duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            raise JjisError(f"the database {path} cannot be opened ({exc}); close any other "
                            "program using it and try again") from exc
        if create:
            self.create_tables()

    sessions = True

    def session(self) -> DuckStore:
        other = object.__new__(DuckStore)
        other.url, other.con = self.url, self.con.cursor()
        return other

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.con.execute(sql, params or [])

    def fetchall(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def fetch_arrow(self, sql: str) -> pa.Table:
        return self.con.execute(sql).to_arrow_table()

    def begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def stage(self, name: str, data: pa.Table, like: str | None = None) -> None:
        self.con.register(f"{name}_arrow", data)
        if like:
            names = ", ".join(data.schema.names)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {like} LIMIT 0")
            self.con.execute(f"INSERT INTO {name} ({names}) SELECT {names} FROM {name}_arrow")
        else:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")

    def duckdb(self) -> Any:
        return self.con

    def ibis(self) -> Any:
        import ibis

        return ibis.duckdb.from_connection(self.con)

    def close(self) -> None:
        self.con.close()
