"""What every store offers: the one place where engines differ.

A caller asks the store (or the parsed URL, `store/url.py`) for a verb or a property and never
tests which store it holds: `transaction()`, `table_exists`, `column_types`, `insert_rows`,
`insert_arrow`, `temp_table`, `drop_table`, `analyze`, `stage`; `sessions` (may register files load side by
side), `for_thread()` (a store for another thread of the server), `workbench_connection()`
(whether ingest's in-memory DuckDB workbench can share the store's connection). The tables are
declared once, in `store/ddl.py`; the schema version is kept by `store/versions.py`.

Parameters are written `?` everywhere; a driver with another placeholder style translates them
at one point (`PostgresStore.execute`).
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from jjis.store.url import DatabaseURL, parse
from jjis.store.url import masked as masked  # where callers have always found it

if TYPE_CHECKING:
    from jjis.store.ddl import Column, TableDef


def is_postgres_url(db: str) -> bool:
    """Whether `db` names a PostgreSQL database (kept for callers outside jjis; jjis itself asks
    the parsed URL, `store.url.parse`)."""
    return parse(db).engine.name == "postgres"





class Store(ABC):
    """A database holding the registers, the system tables and the results."""

    url: str
    engine: str  # the name of its engine in store.url.ENGINES ("duckdb", "postgres")
    sessions = False  # whether session() gives connections that may work side by side

    @abstractmethod
    def __init__(self, url: str, *, create: bool = False, read_only: bool = False) -> None:
        """Open the database `url`; with `create`, make its tables (every engine's constructor
        takes these arguments: `open_store` calls it)."""

    @property
    def parsed(self) -> DatabaseURL:
        return parse(self.url)

    def session(self) -> Store:
        """A connection of its own to the same database, with its own transactions, for a worker
        (the store itself where it has no sessions: its workers take turns)."""
        return self

    def for_thread(self) -> Store:
        """A store for another thread of this process (the web server's workers): on its own
        connection, to be closed by the caller."""
        return type(self)(self.url)

    def workbench_connection(self) -> Any | None:
        """The DuckDB connection ingest's workbench may attach its in-memory databases to, so
        that accepted rows reach the store without a copy; None when the store is not DuckDB
        (the workbench then has a DuckDB instance of its own and stages rows into the store)."""
        return None

    # -- statements ------------------------------------------------------------------------
    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None: ...

    @abstractmethod
    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def fetch_arrow(self, sql: str) -> pa.Table: ...

    def fetchone(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The first value of the first row (None when there is no row)."""
        row = self.fetchone(sql, params)
        return None if row is None else row[0]

    # -- transactions ----------------------------------------------------------------------
    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Everything inside is written together or not at all."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def checkpoint(self) -> None:
        """Make everything committed durable in the database itself (a file engine writes its
        log into the file); nothing to do for a server."""
        return None

    def begin_snapshot(self) -> None:
        """Begin a transaction whose reads all see one state of the database."""
        self.begin()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Store]:
        """One consistent state of the whole database for the reads inside; nothing written."""
        self.begin_snapshot()
        try:
            yield self
        finally:
            self.rollback()

    # -- expressions -----------------------------------------------------------------------
    def hex32(self, digits: str) -> str:
        """SQL for the number (0 to 2**32 - 1) that `digits`, an expression giving 8 lower-case
        hexadecimal digits, writes: digit by digit here, which every engine runs; the engines
        override it with their own conversion, several times faster on millions of rows."""
        terms = [f"(CAST(strpos('0123456789abcdef', substr({digits}, {k + 1}, 1)) AS BIGINT) - 1)"
                 f" * {16 ** (7 - k)}" for k in range(8)]
        return " + ".join(terms)

    def tuned(self, sql: str) -> str:
        """A compiled statement as a plan keeps it for this engine (indicators/backend.py):
        the compiler's SQL as it is here; an engine rewords what it runs slowly into the same
        values in its own faster words."""
        return sql

    # -- tables ----------------------------------------------------------------------------
    def table_exists(self, name: str) -> bool:
        """Whether the database itself (not a temporary or attached one) has the table."""
        return bool(self.fetchall(
            "SELECT 1 FROM information_schema.tables WHERE table_name = ? AND "
            "table_schema = current_schema() AND table_catalog = current_database()", [name]))

    def column_types(self, name: str) -> dict[str, str]:
        """Each column of the table and its type as information_schema names it, in order."""
        rows = self.fetchall(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema() AND table_catalog = current_database() "
            "ORDER BY ordinal_position", [name])
        return {str(n): str(t) for n, t in rows}

    def tables(self) -> list[str]:
        """The database's own tables (not temporary ones, not those of an attached database)."""
        rows = self.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = current_schema() AND table_catalog = current_database() "
            "ORDER BY table_name")
        return [str(r[0]) for r in rows]

    def count(self, table: str) -> int:
        return int(self.fetchall(f"SELECT count(*) FROM {table}")[0][0])

    # -- rows by equality (the columns and table names are the caller's own, never input) -----
    @staticmethod
    def _where(where: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
        if not where:
            return "", []
        parts = [f"{c} IS NULL" if v is None else f"{c} = ?" for c, v in where.items()]
        return " WHERE " + " AND ".join(parts), [v for v in where.values() if v is not None]

    def select(self, table: str, columns: Sequence[str], where: Mapping[str, Any] | None = None,
               order_by: Sequence[str] = (), limit: int | None = None) -> list[tuple[Any, ...]]:
        """The rows of `table` whose columns equal `where` (None: IS NULL), in `order_by`, the
        first `limit` of them."""
        cond, params = self._where(where)
        order = f" ORDER BY {', '.join(order_by)}" if order_by else ""
        last = f" LIMIT {int(limit)}" if limit is not None else ""
        return self.fetchall(f"SELECT {', '.join(columns)} FROM {table}{cond}{order}{last}",
                             params)

    def exists(self, table: str, where: Mapping[str, Any]) -> bool:
        cond, params = self._where(where)
        return bool(self.fetchall(f"SELECT 1 FROM {table}{cond} LIMIT 1", params))

    def update(self, table: str, values: Mapping[str, Any], where: Mapping[str, Any]) -> None:
        """Set `values` on the rows whose columns equal `where`."""
        cond, params = self._where(where)
        sets = ", ".join(f"{c} = ?" for c in values)
        self.execute(f"UPDATE {table} SET {sets}{cond}", [*values.values(), *params])

    def delete(self, table: str, where: Mapping[str, Any]) -> None:
        """Delete the rows whose columns equal `where` (never every row: `where` is required)."""
        if not where:
            raise ValueError("delete() needs a condition")
        cond, params = self._where(where)
        self.execute(f"DELETE FROM {table}{cond}", params)

    def delete_all(self, table: str) -> None:
        """Delete every row of `table` (a table replaced whole, such as the boundaries)."""
        self.execute(f"DELETE FROM {table}")

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append `rows` (values in the order of `columns`) to `table`."""
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        for row in rows:
            self.execute(sql, list(row))

    def replace_rows(self, table: str, source: str, columns: Sequence[str],
                     match: str | None = None) -> tuple[int, int]:
        """Put the rows of `source` (a table or view this connection reads) into `table`, the
        rows of `table` that `match` one of them (an SQL condition over `t`, the table, and `s`,
        the source) replaced: (rows replaced, rows added), inside the caller's transaction.
        Without `match` the rows are added. The one way rows reach a register (a Spark
        warehouse rewrites the register's folder, store/spark.py)."""
        replaced = 0
        if match is not None and self.count(table):
            replaced = int(self.scalar(f"SELECT count(*) FROM {table} t JOIN {source} s ON {match}"))
            self.execute(f"DELETE FROM {table} t USING {source} s WHERE {match}")
        total = self.count(source)
        names = ", ".join(columns)
        self.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {source}")
        return replaced, total - replaced

    def insert_arrow(self, table: str, data: pa.Table, *, like: bool = False) -> None:
        """Append an Arrow table's rows to `table` (its columns by name); with `like`, the
        values are first given the table's own column types (text becomes UUID, say)."""
        if data.num_rows == 0:
            return
        staged = f"jjis_staged_{table}"
        names = ", ".join(data.schema.names)
        self.stage(staged, data, table if like else None)
        self.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staged}")
        self.drop_table(staged)

    def temp_table(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """An empty temporary table of this connection (portable column types), made anew."""
        self.drop_table(name)
        body = ", ".join(f"{c} {t}" for c, t in columns)
        self.execute(f"CREATE TEMP TABLE {name} ({body})")

    def temp_table_as(self, name: str, select: str) -> None:
        """A temporary table of this connection holding the rows of `select`, made anew."""
        self.drop_table(name)
        self.execute(f"CREATE TEMP TABLE {name} AS {select}")

    def drop_table(self, name: str) -> None:
        self.execute(f"DROP TABLE IF EXISTS {name}")

    def analyze(self, tables: Sequence[str]) -> None:
        """Bring the query planner's statistics of `tables` up to date, where the engine keeps
        them only on request (a server's planner misjudges the size of a table just filled, or
        of a temporary table, which it never analyses of itself); nothing to do for DuckDB, whose
        statistics follow every write."""
        return None

    @abstractmethod
    def index_exists(self, table: str, name: str) -> bool: ...

    def drop_index(self, table: str, name: str) -> None:
        self.execute(f"DROP INDEX IF EXISTS {name}")

    def add_column(self, table: str, column: Column) -> None:
        """Add a declared column to an existing table (its rows get the default, or nothing)."""
        self.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column.sql()}")

    @abstractmethod
    def stage(self, name: str, data: pa.Table, like: str | None = None) -> None:
        """Make `data` available as the temporary table `name` inside the current transaction;
        with `like`, its columns take the types of that table's (text becomes UUID, say)."""

    @abstractmethod
    def ibis(self) -> Any:
        """An Ibis backend on this store."""

    def query_engine(self) -> QueryEngine:
        """Where the indicators' compiled SQL runs, with the temporary tables of a run: the
        engine the store's Ibis backend (`ibis()`) runs on. Here, the store's own connection."""
        return QueryEngine(self)

    @abstractmethod
    def close(self) -> None: ...

    # -- the declared tables and the schema version (store/ddl.py, store/versions.py) -------
    def ensure_tables(self, names: Sequence[str]) -> None:
        """Create the named declared tables (and their indexes) where they are missing."""
        from jjis.store.ddl import REGISTRY

        for name in names:
            self.create_declared(REGISTRY[name])

    def create_declared(self, table: TableDef) -> None:
        """Create one declared table and its indexes where they are missing (a Spark warehouse
        makes a register a folder of Parquet files instead)."""
        for stmt in table.statements():
            self.execute(stmt)

    def has_tables(self) -> bool:
        return self.table_exists("import_log")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class QueryEngine:
    """The indicators' compiled SQL (indicators/backend.py) run where the store computes: the
    rows of a query, and the temporary tables a run's queries read (made from rows, or from a
    query). For DuckDB and PostgreSQL, the store's own connection; a Spark warehouse's runs on
    Spark (store/spark.py)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def rows(self, sql: str) -> pa.Table:
        return self.store.fetch_arrow(sql)

    def temp(self, name: str, data: pa.Table) -> None:
        """The temporary table `name` holding `data`, made anew."""
        self.store.stage(name, data)

    def temp_as(self, name: str, sql: str) -> None:
        """The temporary table `name` holding the rows of `sql`, made anew."""
        self.store.temp_table_as(name, sql)
