"""Reads of the reference registers and the import log that many callers share.

The queries of one domain live in a small module of store/ (this one, `manifests.py` for runs
and results) rather than as SQL text beside their callers.
"""

from __future__ import annotations

from typing import Any

from jjis.store.base import Store


def last_import_id(store: Store) -> int:
    """The id of the last import (0 before any): the data version."""
    return int(store.scalar("SELECT coalesce(max(import_id), 0) FROM import_log"))


def area_parents(store: Store) -> list[tuple[Any, Any]]:
    """(area_id, parent_id) of every area."""
    return store.fetchall("SELECT area_id, parent_id FROM areas")


def areas(store: Store, *, ordered: bool = False) -> list[tuple[Any, ...]]:
    """(area_id, name, level, parent_id) of every area (by area_id when `ordered`)."""
    return store.fetchall("SELECT area_id, name, level, parent_id FROM areas"
                          + (" ORDER BY area_id" if ordered else ""))


def facilities(store: Store, *, ordered: bool = False) -> list[tuple[Any, ...]]:
    """(facility_id, name, area_id, kind, holds_adults) of every facility (by facility_id when
    `ordered`)."""
    return store.fetchall("SELECT facility_id, name, area_id, kind, holds_adults FROM facilities"
                          + (" ORDER BY facility_id" if ordered else ""))


def log_import(store: Store, import_id: int, label: str, table: str, sha256: str, rows: int,
               inserted: int, updated: int, rejected: int, refused: bool) -> None:
    """One file's line in the import log, stamped with the database's clock."""
    store.execute("INSERT INTO import_log VALUES (?, CURRENT_TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [import_id, label, table, sha256, rows, inserted, updated, rejected, refused])
