"""The web application's hold on the store: one store per thread, and its own tables.

A DuckDB file admits one writing process, so the server opens it once and gives each worker
thread its own cursor (a DuckDB connection to the same database: reads run side by side, each
with its own temporary tables). PostgreSQL gets one connection per thread. The tables below are
created with portable SQL on both engines.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from jjis.store import Store, open_store
from jjis.store.duck import DuckStore

# The web application's own tables. Times are whole seconds since 1970 (BIGINT) or ISO text,
# so that both engines store and return them alike.
WEB_TABLES: dict[str, str] = {
    "web_users": """
        username VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, areas VARCHAR NOT NULL,
        facilities VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, active BOOLEAN NOT NULL,
        created_at VARCHAR NOT NULL""",
    "web_sessions": """
        id_hash VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, username VARCHAR NOT NULL,
        created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, last_seen BIGINT""",
    "audit_log": """
        seq BIGINT PRIMARY KEY, logged_at VARCHAR NOT NULL, actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL, target VARCHAR NOT NULL, detail VARCHAR NOT NULL,
        prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL""",
    "actions_handled": """
        facility_id VARCHAR NOT NULL, stay_id VARCHAR NOT NULL, rule VARCHAR NOT NULL,
        handled_at VARCHAR NOT NULL, handled_by VARCHAR NOT NULL, note VARCHAR NOT NULL""",
    "web_runs": """
        census_date DATE NOT NULL, by_key VARCHAR NOT NULL, data_version BIGINT NOT NULL,
        run_id VARCHAR NOT NULL, created_at VARCHAR NOT NULL""",
}

# Columns added since the tables were first released (same SQL on both engines).
ADDED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("web_sessions", "last_seen BIGINT"),
    ("web_users", "totp_secret VARCHAR"),  # sealed, see totp.py
    ("web_users", "totp_step BIGINT"),  # the last time step whose code was accepted
)

VERSION_SECONDS = 2.0


def ensure_web_tables(store: Store) -> None:
    """Create the web application's tables where they are missing (both engines)."""
    for name, cols in WEB_TABLES.items():
        store.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")
    for table, column in ADDED_COLUMNS:  # tables made by an earlier version
        store.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column}")


def data_version(store: Store) -> int:
    """A number that grows with every import: the last import's id (0 before any)."""
    return int(store.fetchall("SELECT coalesce(max(import_id), 0) FROM import_log")[0][0])


class _CursorStore(DuckStore):
    """A DuckStore on a cursor of the server's one DuckDB connection."""

    def __init__(self, con: Any, url: str) -> None:  # no file is opened: the cursor is given
        self.con = con
        self.url = url


class Database:
    """The store as the server's threads use it: `db.store()` is this thread's own. Closing it
    (at the application's shutdown) ends every thread's store; the next use opens it again, so
    an application object can be started more than once (as tests do)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._opened: list[Store] = []
        self._guard = threading.Lock()
        self._main: Store | None = None
        self._generation = 0
        self._version: tuple[int, float] | None = None  # (data version, when read)
        ensure_web_tables(self.main)

    def version(self) -> int:
        """The data version, read at most every VERSION_SECONDS (imports through this server
        call `changed()` and are seen at once; imports by another process within seconds)."""
        now = time.monotonic()
        cached = self._version
        if cached is None or now - cached[1] > VERSION_SECONDS:
            cached = (data_version(self.store()), now)
            self._version = cached
        return cached[0]

    def changed(self) -> None:
        self._version = None

    @property
    def main(self) -> Store:
        with self._guard:
            if self._main is None:
                self._main = open_store(self.url)
                self._generation += 1
            return self._main

    def store(self) -> Store:
        main = self.main
        st: Store | None = getattr(self._local, "store", None)
        if st is None or getattr(self._local, "generation", None) != self._generation:
            if isinstance(main, DuckStore):
                st = _CursorStore(main.con.cursor(), self.url)
            else:
                st = open_store(self.url)
            self._local.store, self._local.generation = st, self._generation
            with self._guard:
                self._opened.append(st)
        return st

    def close(self) -> None:
        with self._guard:
            for st in self._opened:
                with contextlib.suppress(Exception):  # closing after a failure elsewhere
                    st.close()
            self._opened.clear()
            if self._main is not None:
                self._main.close()
                self._main = None
