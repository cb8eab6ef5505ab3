"""The release tables (`releases`, `release_figures`, `release_withdrawals`, declared in ddl.py):
the queries of publish/releases.py, which turns their rows into `Release` and `Figure`.

A release is read with its withdrawal (None columns when it is served); `columns` is the
caller's list of the `releases` columns, in the order it reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jjis.store.base import Store

_NEWEST_MADE = "r.released_at DESC, r.census_date DESC, r.area, r.seq DESC"


def _rows(store: Store, columns: Sequence[str], where: str = "", params: list[Any] | None = None,
          order: str = _NEWEST_MADE) -> list[tuple[Any, ...]]:
    cols = ", ".join(f"r.{c}" for c in columns)
    return store.fetchall(
        f"SELECT {cols}, w.withdrawn_at, w.withdrawn_by, w.reason FROM releases r "
        f"LEFT JOIN release_withdrawals w ON w.release_id = r.release_id {where} ORDER BY {order}",
        params or [])


def all_releases(store: Store, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Every release with its withdrawal, the newest made first."""
    return _rows(store, columns)


def release(store: Store, columns: Sequence[str], release_id: str) -> list[tuple[Any, ...]]:
    """The release of this id (none or one row)."""
    return _rows(store, columns, "WHERE r.release_id = ?", [release_id])


def served(store: Store, columns: Sequence[str], census_date: date, area: str
           ) -> list[tuple[Any, ...]]:
    """The releases of the census date and area not withdrawn, the highest number first."""
    return _rows(store, columns, "WHERE r.census_date = ? AND r.area = ? AND w.release_id IS NULL",
                 [census_date, area], order="r.seq DESC")


def served_all(store: Store, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Every release not withdrawn, the highest number first."""
    return _rows(store, columns, "WHERE w.release_id IS NULL", order="r.seq DESC")


def last_seq(store: Store, census_date: date, area: str) -> int:
    """The highest number of a release of the census date and area (0 before any)."""
    rows = store.fetchall("SELECT coalesce(max(seq), 0) FROM releases WHERE census_date = ? "
                          "AND area = ?", [census_date, area])
    return int(rows[0][0])


def insert_release(store: Store, columns: Sequence[str], values: list[Any]) -> None:
    """One row of `releases`, the values in the order of `columns` (the census date cast to a
    DATE, the time of release to a TIMESTAMP)."""
    casts = {"census_date": "CAST(? AS DATE)", "released_at": "CAST(? AS TIMESTAMP)"}
    marks = [casts.get(c, "?") for c in columns]
    store.execute(f"INSERT INTO releases ({', '.join(columns)}) VALUES ({', '.join(marks)})",
                  values)


def figures(store: Store, columns: Sequence[str], release_id: str, *, revised_only: bool = False
            ) -> list[tuple[Any, ...]]:
    """The figures of a release (the columns asked), in the order of indicator, statistic,
    area and breakdown; only those marked revised with `revised_only`."""
    where = " AND revised" if revised_only else ""
    return store.fetchall(
        f"SELECT {', '.join(columns)} FROM release_figures WHERE release_id = ?{where} "
        "ORDER BY indicator, statistic, area, breakdown", [release_id])


def insert_withdrawal(store: Store, release_id: str, at: str, by: str, reason: str) -> None:
    store.execute("INSERT INTO release_withdrawals VALUES (?, CAST(? AS TIMESTAMP), ?, ?)",
                  [release_id, at, by, reason])


def served_index(store: Store) -> list[tuple[Any, ...]]:
    """(release_id, census_date, area, released_by, released_at, seq) of every release not
    withdrawn, newest census date first, then by area and the highest number first."""
    return store.fetchall(
        "SELECT r.release_id, r.census_date, r.area, r.released_by, r.released_at, r.seq "
        "FROM releases r LEFT JOIN release_withdrawals w ON w.release_id = r.release_id "
        "WHERE w.release_id IS NULL ORDER BY r.census_date DESC, r.area, r.seq DESC")


def insert_approval(store: Store, area: str, census_date: date, by: str, at: str,
                    data_hash: str) -> None:
    """One row of `approvals`: the area approved for the census date, by whom and when (a
    TIMESTAMP), for the data of this hash."""
    store.execute("INSERT INTO approvals VALUES (?, CAST(? AS DATE), ?, CAST(? AS TIMESTAMP), ?)",
                  [area, census_date, by, at, data_hash])
