"""The `--db` value, parsed once: which engine, and what a caller may ask of it.

Every engine is registered here by its URL schemes (`ENGINES`); a value with no registered
scheme is the path of a DuckDB file (or `:memory:`). Callers ask the parsed URL what they need
(is the database a local file, must it exist, may it be opened read-only) and never test the
text of the URL themselves. A new engine adds one `Engine` entry (`register_engine`) naming the
module and class of its store; nothing else here changes.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Engine:
    """One database engine: how its URLs are written and what it allows."""

    name: str  # as `Store.engine` and the backup manifest name it
    schemes: tuple[str, ...]  # URL schemes (before `://`) that choose it; () for the default
    store: str  # "module:Class" of its Store, imported when a database is opened
    dialect: str  # the SQL dialect Ibis and sqlglot call it (for --explain)
    local_file: bool  # the database is one local file (beside which a key file may live)
    read_only: bool  # it can be opened read-only (for commands that only read)
    describe: str  # what --db help and messages call it
    # "module:function" giving the local file of a URL of this engine, for an engine that is not
    # one file itself but keeps one beside its data (a Spark warehouse's system file); "" if none
    file_of: str = ""
    # (command, what to do instead) for each command that cannot work on this engine: refused
    # with one sentence (`DatabaseURL.refuse`) before anything is read or written
    cannot: tuple[tuple[str, str], ...] = ()

    def store_class(self) -> type[Any]:  # a Store subclass (store/base.py imports this module)
        module, _, name = self.store.partition(":")
        cls: type[Any] = getattr(importlib.import_module(module), name)
        return cls


ENGINES: dict[str, Engine] = {}
_BY_SCHEME: dict[str, Engine] = {}
DEFAULT_ENGINE = "duckdb"


def register_engine(engine: Engine) -> None:
    """Make `engine` available to `parse` (and so to `open_store`) under its schemes."""
    ENGINES[engine.name] = engine
    for scheme in engine.schemes:
        _BY_SCHEME[scheme.lower()] = engine


register_engine(Engine("duckdb", (), "jjis.store.duck:DuckStore", "duckdb", local_file=True,
                       read_only=True, describe="DuckDB file"))
register_engine(Engine("postgres", ("postgresql", "postgres"), "jjis.store.postgres:PostgresStore",
                       "postgres", local_file=False, read_only=False,
                       describe="PostgreSQL database"))
register_engine(Engine("spark", ("spark",), "jjis.store.spark:SparkStore", "pyspark",
                       local_file=False, read_only=True,
                       describe="Spark warehouse (Parquet files, spark://local?warehouse=DIR)",
                       file_of="jjis.store.spark:system_file",
                       cannot=(("backup", "its registers are Parquet folders beside the system "
                                "file, not tables of it; copy the whole warehouse folder while "
                                "nothing writes to it"),
                               ("restore", "restore the backup into a DuckDB file or a "
                                "PostgreSQL database, then `jjis export parquet --out DIR` "
                                "writes it as a warehouse"))))

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
MEMORY = ":memory:"


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed `--db` value."""

    text: str  # as given (it may hold a password: show `masked`)
    engine: Engine

    @property
    def in_memory(self) -> bool:
        return self.engine.local_file and self.text == MEMORY

    @property
    def path(self) -> Path | None:
        """The database file, for an engine that keeps the database in one local file (or, for a
        Spark warehouse, the file of its system tables)."""
        if self.engine.file_of:
            module, _, name = self.engine.file_of.partition(":")
            return Path(getattr(importlib.import_module(module), name)(self.text))
        return Path(self.text) if self.engine.local_file and not self.in_memory else None

    @property
    def exists(self) -> bool | None:
        """Whether the file is there (None: a server database, asked only by connecting)."""
        return None if self.path is None else self.path.exists()

    @property
    def read_only(self) -> bool:
        """Whether a command that only reads may open it read-only."""
        return self.engine.read_only and not self.in_memory

    @property
    def masked(self) -> str:
        return masked(self.text)

    def refuse(self, command: str) -> None:
        """Refuse `command` with one sentence if it cannot work on this engine."""
        instead = dict(self.engine.cannot).get(command)
        if instead is not None:
            from jjis.errors import refusal

            raise refusal("engine-cannot", command=command, db=self.masked,
                          engine=self.engine.describe.split(" (")[0], instead=instead)


def parse(db: str) -> DatabaseURL:
    """The engine and location named by a `--db` value."""
    m = _SCHEME.match(db)
    if m and m.group(1).lower() in _BY_SCHEME:
        return DatabaseURL(db, _BY_SCHEME[m.group(1).lower()])
    if m:
        from jjis.errors import JjisError

        known = ", ".join(f"{s}://" for s in sorted(_BY_SCHEME))
        raise JjisError(f"{masked(db)} names a database engine jjis does not know "
                        f"({m.group(1)}://); give a DuckDB file path or a URL starting {known}")
    return DatabaseURL(db, ENGINES[DEFAULT_ENGINE])

# user:password@ after the scheme of a URL, or password=... in a libpq connection string
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*):[^@\s]*@", re.IGNORECASE)
_KV_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)

def masked(text: str) -> str:
    """`text` with the password of every database URL or connection string in it replaced by
    ***: what messages, logs and manifests show of a URL."""
    return _KV_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", text))
