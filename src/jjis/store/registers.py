"""Reads of the reference registers and the import log that many callers share.

The queries of one domain live in a small module of store/ (this one, `manifests.py` for runs
and results) rather than as SQL text beside their callers.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def log_import(store: Store, import_id: int, label: str, table: str | None, sha256: str, rows: int,
               inserted: int, updated: int, rejected: int, refused: bool) -> None:
    """One file's line in the import log, stamped with the database's clock."""
    store.execute("INSERT INTO import_log VALUES (?, CURRENT_TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [import_id, label, table, sha256, rows, inserted, updated, rejected, refused])


def areas_of_level(store: Store, level: str) -> list[str]:
    """The ids of the areas of one level (e.g. "region"), in order."""
    return [str(r[0]) for r in store.fetchall(
        "SELECT area_id FROM areas WHERE level = ? ORDER BY area_id", [level])]


def facility_in_or_below(store: Store, area: str | None, kinds: list[str]) -> str | None:
    """A facility of one of the `kinds` in the area or in an area just below it: the first by
    kind (in reverse order of the kind's name) and id; None when there is none."""
    rows = store.fetchall(
        "SELECT f.facility_id FROM facilities f JOIN areas a ON a.area_id = f.area_id "
        f"WHERE f.kind IN ({', '.join('?' * len(kinds))}) AND (a.area_id = ? OR a.parent_id = ?) "
        "ORDER BY f.kind DESC, f.facility_id LIMIT 1", [*kinds, area, area])
    return str(rows[0][0]) if rows else None


def monthly_counts(store: Store, table: str, column: str) -> list[tuple[Any, ...]]:
    """(facility_id, month, rows) of a register: its rows per facility and month of the date
    `column` (the month as year * 12 + month - 1), rows without either left out."""
    return store.fetchall(
        f"SELECT facility_id, CAST(extract(year FROM {column}) AS INTEGER) * 12 + "
        f"CAST(extract(month FROM {column}) AS INTEGER) - 1 AS m, count(*) FROM {table} "
        f"WHERE {column} IS NOT NULL AND facility_id IS NOT NULL GROUP BY 1, 2")


def has_records(store: Store, facilities: Sequence[str], areas: Sequence[str], start: Any,
                end: Any) -> bool:
    """Whether any record of the facilities (an arrest, a decision, a stay overlapping the
    dates) or any aggregate return of the facilities or areas falls between `start` and `end`
    (both included)."""
    queries: list[tuple[str, list[object]]] = []
    if facilities:
        marks = ", ".join("?" for _ in facilities)
        queries += [
            (f"SELECT 1 FROM arrests WHERE facility_id IN ({marks}) AND arrest_date BETWEEN ? "
             "AND ? LIMIT 1", [*facilities, start, end]),
            (f"SELECT 1 FROM decisions WHERE facility_id IN ({marks}) AND decision_date BETWEEN "
             "? AND ? LIMIT 1", [*facilities, start, end]),
            (f"SELECT 1 FROM detentions WHERE facility_id IN ({marks}) AND admission_date <= ? "
             "AND (release_date IS NULL OR release_date >= ?) LIMIT 1",
             [*facilities, end, start]),
        ]
    keys = [*facilities, *areas]
    marks = ", ".join("?" for _ in keys)
    queries.append((f"SELECT 1 FROM aggregate_returns WHERE (facility_id IN ({marks}) OR area_id "
                    f"IN ({marks})) AND coalesce(census_date, period_end) BETWEEN ? AND ? LIMIT 1",
                    [*keys, *keys, start, end]))
    return any(store.fetchall(sql, params) for sql, params in queries)
