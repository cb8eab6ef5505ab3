"""The web application's hold on the store: one store per thread, and its own tables.

A DuckDB file admits one writing process, so the server opens it once and gives each worker
thread its own cursor (a DuckDB connection to the same database: reads run side by side, each
with its own temporary tables). PostgreSQL gets one connection per thread. The store decides
(`Store.for_thread`). The web tables are declared with the others, in store/ddl.py.
"""

from __future__ import annotations

import contextlib
import threading
import time

from jjis.store import Store, open_store, registers
from jjis.store.ddl import WEB_TABLES

VERSION_SECONDS = 2.0


def ensure_web_tables(store: Store) -> None:
    """Create the web application's tables where they are missing (declared in store/ddl.py;
    a database of an earlier layout is brought up to date by `jjis upgrade`)."""
    store.ensure_tables(WEB_TABLES)


def data_version(store: Store) -> int:
    """A number that grows with every import: the last import's id (0 before any)."""
    return registers.last_import_id(store)


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
            st = main.for_thread()
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
