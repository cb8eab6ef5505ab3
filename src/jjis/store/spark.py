"""The warehouse store: the registers as Parquet, computed on Apache Spark.

`spark://local?warehouse=DIR` (Spark in this process, local mode) or
`spark://HOST:PORT?warehouse=DIR` (the master of a cluster, whose workers see DIR at the same
path). The warehouse DIR holds one folder of Parquet files per register (`DIR/arrests/`, ...)
and, beside them, the small DuckDB file `DIR/_jjis.duckdb` with the system tables (import log,
quarantine, findings, key check, runs and results, releases). In that file each register is a
view over its Parquet folder, so everything that reads the store with SQL (findings, coverage,
fingerprints, reports) reads the same rows Spark computes on; the import validates in DuckDB as
on any store. Only the indicator queries run on Spark (`ibis()`), through Ibis's PySpark backend.

Writes to a register go through `replace_rows`: the register's rows and the new ones are written
to a new folder beside it, which then takes the register's place by rename (a reader sees the
old rows or the new ones, never half of either). The write is part of the store's transaction:
its token is recorded in `warehouse_writes` inside it, so that on the next open a folder swap
whose transaction committed is kept and one whose transaction did not is undone.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jjis.errors import JjisError
from jjis.schema import TABLES
from jjis.store.base import QueryEngine
from jjis.store.ddl import SQL_TYPES, TableDef
from jjis.store.duck import DuckStore

SYSTEM_FILE = "_jjis.duckdb"  # the system tables, beside the registers' folders
PART = "part-0.parquet"
_WRITES = "warehouse_writes"  # (token, table_name, written_at): the committed folder swaps


def parse_url(db: str) -> tuple[str, Path]:
    """(Spark master, warehouse folder) of a spark:// URL."""
    parts = urlsplit(db)
    warehouse = parse_qs(parts.query).get("warehouse", [""])[0]
    if not warehouse:
        raise JjisError(f"{db} names no warehouse; write spark://local?warehouse=DIR (or "
                        "spark://HOST:PORT?warehouse=DIR for a cluster's master)")
    host = parts.netloc
    if not host:
        raise JjisError(f"{db} names no Spark master; write spark://local?warehouse=DIR")
    master = "local[*]" if host == "local" else f"spark://{host}"
    return master, Path(warehouse).expanduser().absolute()


def spark_conf(db: str) -> dict[str, str]:
    """The Spark settings a spark:// URL gives beside its warehouse: every query parameter whose
    name starts with `spark.` (`&spark.driver.memory=8g&spark.local.dir=/big/tmp`), passed to
    the session when this process starts it (an active session keeps its own)."""
    return {k: v[-1] for k, v in parse_qs(urlsplit(db).query).items() if k.startswith("spark.")}


def system_file(db: str) -> str:
    """The DuckDB file holding a warehouse's system tables (the key file lies beside it)."""
    return str(parse_url(db)[1] / SYSTEM_FILE)


_SESSION_LOCK = threading.Lock()


def spark_session(master: str, conf: dict[str, str] | None = None) -> Any:
    """The process's Spark session (an active one is reused: tests start theirs once). Local
    mode needs nothing from the network: no packages are fetched, the UI is off. `conf` (from
    the URL, `spark_conf`) is applied last: the driver's memory (`spark.driver.memory`, 1g by
    default, too little for millions of children in local mode, where the driver does all the
    work) and where Spark spills (`spark.local.dir`) are the ones a large country needs."""
    from pyspark.sql import SparkSession

    with _SESSION_LOCK:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        cores = os.cpu_count() or 1
        builder = (SparkSession.builder.master(master).appName("jjis")
                   .config("spark.ui.enabled", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.shuffle.partitions", str(max(cores, 2)))
                   .config("spark.ui.showConsoleProgress", "false"))
        if master.startswith("local"):
            builder = builder.config("spark.driver.bindAddress", "127.0.0.1") \
                             .config("spark.driver.host", "127.0.0.1")
        for key, value in (conf or {}).items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
        except Exception as exc:  # no Java, or the master cannot be reached
            raise JjisError(f"Spark cannot start with master {master} ({exc}); Spark needs "
                            "Java 17 (openjdk-17-jre-headless) and the pyspark package") from exc
        session.sparkContext.setLogLevel("ERROR")
        return session


class SparkStore(DuckStore):
    """The registers as Parquet folders of a warehouse; the system tables in its DuckDB file."""

    engine = "spark"
    sessions = False  # a register is rewritten whole: the import's workers take turns

    def __init__(self, url: str, *, create: bool = False, read_only: bool = False) -> None:
        self.master, self.warehouse = parse_url(url)
        self.conf = spark_conf(url)
        path = self.warehouse / SYSTEM_FILE
        if not create and not path.exists():
            raise JjisError(f"there is no jjis warehouse at {self.warehouse}; run "
                            f"`jjis init --db '{url}'` first")
        if create:
            self.warehouse.mkdir(parents=True, exist_ok=True)
        self._swaps: list[tuple[str, Path]] = []  # (table, its old folder) in this transaction
        self._in_tx = False
        super().__init__(str(path), create=create, read_only=read_only)
        self.url = url
        if not read_only:
            self.execute(f"CREATE TABLE IF NOT EXISTS {_WRITES} (token VARCHAR, table_name VARCHAR, "
                         "written_at TIMESTAMP)")
        if not create and not read_only:
            self._recover()
            self._views()

    # -- the tables --------------------------------------------------------------------------
    def folder(self, table: str) -> Path:
        return self.warehouse / table

    def create_declared(self, table: TableDef) -> None:
        """A register is a folder of Parquet files (empty at first) and a view of it in the
        system file; every other table is a table of the system file."""
        if table.name not in TABLES:
            super().create_declared(table)
            return
        if not self.folder(table.name).exists():
            self._write_folder(table.name, self._empty_sql(table.name))
        self._view(table.name)

    def has_tables(self) -> bool:
        return super().has_tables() and all(self.folder(t).is_dir() for t in TABLES)

    def _views(self) -> None:
        for name in TABLES:
            self._view(name)

    def _view(self, name: str) -> None:
        """A register as a view of its Parquet folder, child_id read back as a UUID."""
        cast = [f"CAST({c.name} AS UUID) AS {c.name}" for c in TABLES[name].columns
                if SQL_TYPES[c.kind] == "UUID"]
        replace = f" REPLACE ({', '.join(cast)})" if cast else ""
        glob = str(self.folder(name) / "*.parquet").replace("'", "''")
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT *{replace} FROM "
                         f"read_parquet('{glob}')")

    def _select(self, name: str) -> str:
        """The register's columns in schema order, as Parquet holds them (a UUID as text)."""
        cols = []
        for c in TABLES[name].columns:
            typ = SQL_TYPES[c.kind]
            cols.append(f"CAST({c.name} AS VARCHAR) AS {c.name}" if typ == "UUID"
                        else f"CAST({c.name} AS {typ}) AS {c.name}")
        return ", ".join(cols)

    def _empty_sql(self, name: str) -> str:
        cols = ", ".join(f"CAST(NULL AS {'VARCHAR' if SQL_TYPES[c.kind] == 'UUID' else SQL_TYPES[c.kind]})"
                         f" AS {c.name}" for c in TABLES[name].columns)
        return f"SELECT {cols} LIMIT 0"

    def _write_folder(self, name: str, select: str) -> Path:
        """Write the rows of `select` as a new folder beside the register's and return it."""
        new = self.warehouse / f".{name}.new-{secrets.token_hex(6)}"
        new.mkdir()
        target = str(new / PART).replace("'", "''")
        self.con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)")
        if not self.folder(name).exists():
            os.replace(new, self.folder(name))
        return new

    # -- writing a register ------------------------------------------------------------------
    def replace_rows(self, table: str, staged: str, columns: Sequence[str],
                     key_match: str | None = None) -> tuple[int, int]:
        """The register's rows (less those matching a staged row) and the staged rows, written
        as its new folder; it takes the old one's place now, and for good at commit."""
        if table not in TABLES:
            return super().replace_rows(table, staged, columns, key_match)
        total = int(self.scalar(f"SELECT count(*) FROM {staged}"))
        replaced = 0
        keep = f"SELECT {self._select(table)} FROM {table} t"
        if key_match is not None:
            replaced = int(self.fetchall(
                f"SELECT count(*) FROM {table} t JOIN {staged} s ON {key_match}")[0][0])
            keep += f" WHERE NOT EXISTS (SELECT 1 FROM {staged} s WHERE {key_match})"
        given = set(columns)
        added = ", ".join(c.name if c.name in given else f"NULL AS {c.name}"
                          for c in TABLES[table].columns)
        new = self._write_folder(table, f"{keep} UNION ALL SELECT {self._select(table)} FROM "
                                        f"(SELECT {added} FROM {staged})")
        token = new.name.rsplit("-", 1)[1]
        old = self.warehouse / f".{table}.old-{token}"
        os.replace(self.folder(table), old)
        os.replace(new, self.folder(table))
        self._swaps.append((table, old))
        self.con.execute(f"INSERT INTO {_WRITES} VALUES (?, ?, CURRENT_TIMESTAMP)", [token, table])
        if not self._in_tx:  # outside a transaction: the write stands at once
            self._finish(committed=True)
        return replaced, total - replaced

    def begin(self) -> None:
        super().begin()
        self._in_tx = True

    def commit(self) -> None:
        try:
            super().commit()
        except BaseException:
            self._in_tx = False
            self._finish(committed=False)
            raise
        self._in_tx = False
        self._finish(committed=True)

    def rollback(self) -> None:
        super().rollback()
        self._in_tx = False
        self._finish(committed=False)

    def _finish(self, *, committed: bool) -> None:
        """Drop the old folders of a committed transaction, or put them back (newest first)."""
        for table, old in reversed(self._swaps):
            if committed:
                shutil.rmtree(old, ignore_errors=True)
            else:
                shutil.rmtree(self.folder(table), ignore_errors=True)
                os.replace(old, self.folder(table))
        self._swaps.clear()

    def _recover(self) -> None:
        """After a crash: a folder swap whose token was committed is kept, any other undone;
        a half-written new folder is removed."""
        done = {str(t) for (t,) in self.fetchall(f"SELECT token FROM {_WRITES}")} if \
            self.fetchall("SELECT 1 FROM information_schema.tables WHERE table_name = ?",
                          [_WRITES]) else set()
        for path in sorted(self.warehouse.glob(".*.new-*")):
            shutil.rmtree(path, ignore_errors=True)
        for path in sorted(self.warehouse.glob(".*.old-*"), reverse=True):
            table, token = path.name[1:].rsplit(".old-", 1)
            if token in done:
                shutil.rmtree(path, ignore_errors=True)
            else:
                shutil.rmtree(self.folder(table), ignore_errors=True)
                os.replace(path, self.folder(table))

    # -- computing ---------------------------------------------------------------------------
    def session(self) -> SparkStore:
        return self

    def spark(self) -> Any:
        return spark_session(self.master, self.conf)

    def _on_registers(self) -> Any:
        """The Spark session, each register a temporary view of its folder as it is now (made
        again at each call, so a rewritten register is read afresh)."""
        session = self.spark()
        for name in TABLES:
            session.read.parquet(str(self.folder(name))).createOrReplaceTempView(name)
        return session

    def ibis(self) -> Any:
        """Ibis on the Spark session, on the registers as they are now."""
        import ibis

        return ibis.pyspark.connect(self._on_registers())

    def query_engine(self) -> SparkQueryEngine:
        """Spark, on the registers as they are now."""
        return SparkQueryEngine(self, self._on_registers())


class SparkQueryEngine(QueryEngine):
    """The indicators' compiled SQL on the Spark session (Store.query_engine); a temporary
    table is a cached temporary view."""

    def __init__(self, store: SparkStore, session: Any) -> None:
        super().__init__(store)
        self.session = session

    def rows(self, sql: str) -> Any:
        return self.session.sql(sql).toArrow()

    def temp(self, name: str, data: Any) -> None:
        frame = self.session.createDataFrame(data.to_pandas(), schema=_spark_schema(data))
        frame.cache().createOrReplaceTempView(name)

    def temp_as(self, name: str, sql: str) -> None:
        self.session.sql(sql).cache().createOrReplaceTempView(name)


def _spark_schema(data: Any) -> str:
    """A Spark DDL schema of an Arrow table of text, whole numbers, decimals, dates, booleans."""
    import pyarrow as pa

    def kind(t: Any) -> str:
        if pa.types.is_integer(t):
            return "BIGINT"
        if pa.types.is_floating(t):
            return "DOUBLE"
        if pa.types.is_boolean(t):
            return "BOOLEAN"
        if pa.types.is_date(t):
            return "DATE"
        return "STRING"

    return ", ".join(f"`{f.name}` {kind(f.type)}" for f in data.schema)
