"""The embedded store: one DuckDB file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jjis.errors import JjisError
from jjis.store.base import Store
from jjis.store.ddl import Column


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

    sessions = True

    def session(self) -> DuckStore:
        """A cursor of the same DuckDB instance: a connection of its own, with its own
        transactions and temporary tables, on the same database."""
        other = object.__new__(DuckStore)
        other.url, other.con = self.url, self.con.cursor()
        return other

    def for_thread(self) -> DuckStore:
        # A DuckDB file admits one writing process: the server's threads share its instance.
        return self.session()

    def checkpoint(self) -> None:
        self.con.execute("CHECKPOINT")

    def workbench_connection(self) -> Any:
        return self.con

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.con.execute(sql, list(params or []))

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params or [])).fetchall()

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            marks = ", ".join("?" for _ in columns)
            self.con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 [list(r) for r in rows])

    def index_exists(self, table: str, name: str) -> bool:
        return bool(self.fetchall("SELECT 1 FROM duckdb_indexes() WHERE table_name = ? AND "
                                  "index_name = ? AND database_name = current_database()",
                                  [table, name]))

    def add_column(self, table: str, column: Column) -> None:
        # DuckDB adds no constraint with a column: a required column with a default is filled
        # by the default, then held NOT NULL
        sql = f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column.name} {column.type}"
        self.execute(sql + (f" DEFAULT {column.default}" if column.default is not None else ""))
        if column.not_null:
            self.execute(f"ALTER TABLE {table} ALTER COLUMN {column.name} SET NOT NULL")

    def hex32(self, digits: str) -> str:
        return f"CAST(('0x' || {digits}) AS BIGINT)"

    def fetch_arrow(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()  # (execute() would copy the rows once more)

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
