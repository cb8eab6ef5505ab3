"""Tables out of a store and into one, in a form both engines share (for `jjis backup`).

Every table of the database is described by portable column types (VARCHAR, BIGINT, INTEGER,
DOUBLE PRECISION, DATE, TIMESTAMP, BOOLEAN, UUID) and read as an Arrow table of matching types
(a UUID as its text), so that what one engine wrote the other can load. The engines differ in
the names information_schema gives the types, in how a consistent read is begun and in how a
database is replaced whole: those differences stay here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from jjis.store.base import Store

# information_schema's type names (DuckDB, then PostgreSQL) and the portable type of each.
PORTABLE: dict[str, str] = {
    "VARCHAR": "VARCHAR", "character varying": "VARCHAR", "text": "VARCHAR", "TEXT": "VARCHAR",
    "BIGINT": "BIGINT", "bigint": "BIGINT", "INTEGER": "INTEGER", "integer": "INTEGER",
    "SMALLINT": "INTEGER", "smallint": "INTEGER",
    "DOUBLE": "DOUBLE PRECISION", "double precision": "DOUBLE PRECISION", "FLOAT": "DOUBLE PRECISION",
    "real": "DOUBLE PRECISION", "DATE": "DATE", "date": "DATE",
    "TIMESTAMP": "TIMESTAMP", "timestamp without time zone": "TIMESTAMP",
    "BOOLEAN": "BOOLEAN", "boolean": "BOOLEAN", "UUID": "UUID", "uuid": "UUID",
}
ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(),
    "DOUBLE PRECISION": pa.float64(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
    "BOOLEAN": pa.bool_(), "UUID": pa.string(),
}


def tables(store: Store) -> list[str]:
    """The database's own tables (not temporary ones, not those of an attached database)."""
    rows = store.fetchall(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = current_schema() AND table_catalog = current_database() "
        "ORDER BY table_name")
    return [str(r[0]) for r in rows]


def columns(store: Store, table: str) -> list[tuple[str, str]]:
    """(name, portable type) of each column, in order; a type outside PORTABLE is kept as text."""
    rows = store.fetchall(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = current_schema() AND table_catalog = current_database() "
        "ORDER BY ordinal_position", [table])
    return [(str(n), PORTABLE.get(str(t), "VARCHAR")) for n, t in rows]


def schema(cols: list[tuple[str, str]]) -> pa.Schema:
    return pa.schema([(n, ARROW[t]) for n, t in cols])


def read(store: Store, table: str, cols: list[tuple[str, str]]) -> pa.Table:
    """The whole table, its columns cast to the portable Arrow types."""
    select = ", ".join(f"CAST({n} AS VARCHAR) AS {n}" if t == "UUID" else n for n, t in cols)
    data = store.fetch_arrow(f"SELECT {select} FROM {table}")
    return data.cast(schema(cols)) if data.num_columns else data


def create_sql(table: str, cols: list[tuple[str, str]]) -> str:
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(f'{n} {t}' for n, t in cols)})"


def load(store: Store, table: str, data: pa.Table) -> None:
    """Append `data` to the existing `table` (inside the caller's transaction)."""
    if data.num_rows == 0:
        return
    names = ", ".join(data.schema.names)
    store.stage("jjis_restore_rows", data, like=table)
    store.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM jjis_restore_rows")
    store.execute("DROP TABLE jjis_restore_rows")


@contextlib.contextmanager
def consistent(store: Store) -> Iterator[None]:
    """One snapshot of the whole database for the reads inside (a backup's tables and hash)."""
    store.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if store.engine == "postgres"
                  else "BEGIN TRANSACTION")
    try:
        yield
    finally:
        store.rollback()  # nothing was written


def scratch_path(target: str) -> Path:
    """A new DuckDB file beside `target`, to restore into before it replaces the target."""
    p = Path(target)
    return p.with_name(f".{p.name}.restoring-{secrets.token_hex(4)}")


def replace_file(scratch: Path, target: str) -> None:
    """Put the restored DuckDB file in the target's place in one rename: a reader sees the old
    database or the new one, never part of either."""
    stale_wal = Path(target + ".wal")
    if stale_wal.exists():  # a WAL of the old file would be replayed onto the new one
        stale_wal.unlink()
    os.replace(scratch, target)
