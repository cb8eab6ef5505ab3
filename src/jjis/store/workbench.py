"""The workbench: the in-memory DuckDB databases an import (ingest/load.py) reads and checks rows
in. It lives in store/ because it is DuckDB's, and attaches to the store's own engine where it
can.

Where the store allows it (`Store.workbench_connection`, a DuckDB store) they are attached to
the store's own instance, so accepted rows go into the store without a copy; otherwise
(PostgreSQL) they live in a DuckDB instance of their own. One database is shared by the whole
import (the pseudonym of each identifier met so far, the children whose rows
were loaded); each worker has its own for the file it is on. Everything is detached when the
import ends, raw identifiers included.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

import duckdb

from jjis.store.base import Store


@dataclass
class Bench:
    """One worker's database, the default one of its own connection."""

    con: Any  # a DuckDB connection
    name: str


class Workbench:
    def __init__(self, store: Store) -> None:
        shared = store.workbench_connection()
        # whether the workbench is attached to the store's own DuckDB instance
        self.same_engine = shared is not None
        self.root: Any = shared if shared is not None else duckdb.connect()
        self.store_catalog = str(self.root.execute("SELECT current_database()").fetchall()[0][0])
        self.name = f"jjis_import_{secrets.token_hex(6)}"
        self.pseudonyms = f"{self.name}.pseudonyms"  # (raw id, pseudonym) of the ids met so far
        # the children of the rows loaded, listed where the store's findings query can read them:
        # in the workbench for a DuckDB store, in a temporary table of the store otherwise
        self.touched = f"{self.name}.touched_children" if self.same_engine else "touched_children"
        self.lock = threading.Lock()  # one worker at a time adds pseudonyms, or a bench
        self.benches: list[Bench] = []
        self.root.execute(f"ATTACH ':memory:' AS {self.name}")
        self.root.execute(f"CREATE TABLE {self.pseudonyms} (id VARCHAR, child_id UUID)")
        if self.same_engine:
            self.root.execute(f"CREATE TABLE {self.touched} (child_id UUID)")
        else:
            store.temp_table(self.touched, [("child_id", "UUID")])

    def bench(self) -> Bench:
        """A new worker's database and connection."""
        with self.lock:
            con = self.root.cursor()
            name = f"{self.name}_{len(self.benches)}"
            self.benches.append(Bench(con, name))
        con.execute(f"ATTACH ':memory:' AS {name}")
        con.execute(f"USE {name}")
        return Bench(con, name)

    def close(self) -> None:
        home = '"' + self.store_catalog.replace('"', '""') + '"'  # the catalog's quoted name
        for b in self.benches:
            b.con.execute(f"USE {home}")
            b.con.execute(f"DETACH {b.name}")
            b.con.close()
        self.root.execute(f"DETACH {self.name}")
        if not self.same_engine:
            self.root.close()
