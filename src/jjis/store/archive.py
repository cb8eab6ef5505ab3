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
from jjis.store.ddl import PORTABLE

ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(),
    "DOUBLE PRECISION": pa.float64(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
    "BOOLEAN": pa.bool_(), "UUID": pa.string(),
}


def tables(store: Store) -> list[str]:
    """The database's own tables (not temporary ones, not those of an attached database)."""
    return store.tables()


def columns(store: Store, table: str) -> list[tuple[str, str]]:
    """(name, portable type) of each column, in order; a type outside PORTABLE is kept as text."""
    return [(n, PORTABLE.get(t, "VARCHAR")) for n, t in store.column_types(table).items()]


def schema(cols: list[tuple[str, str]]) -> pa.Schema:
    return pa.schema([(n, ARROW[t]) for n, t in cols])


def read(store: Store, table: str, cols: list[tuple[str, str]]) -> pa.Table:
    """The whole table, its columns cast to the portable Arrow types."""
    select = ", ".join(f"CAST({n} AS VARCHAR) AS {n}" if t == "UUID" else n for n, t in cols)
    data = store.fetch_arrow(f"SELECT {select} FROM {table}")
    return data.cast(schema(cols)) if data.num_columns else data


def create(store: Store, table: str, cols: list[tuple[str, str]]) -> None:
    """A table of the backup as it was (a declared table is made from store/ddl.py before)."""
    store.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(f'{n} {t}' for n, t in cols)})")


def load(store: Store, table: str, data: pa.Table) -> None:
    """Append `data` to the existing `table` (inside the caller's transaction)."""
    store.insert_arrow(table, data, like=True)


@contextlib.contextmanager
def consistent(store: Store) -> Iterator[None]:
    """One snapshot of the whole database for the reads inside (a backup's tables and hash)."""
    with store.snapshot():
        yield


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
