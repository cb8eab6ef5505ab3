"""The runs table (the manifest of each compute run) and the results table (its figures): the
queries publish/provenance.py, release/ and web/ make of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from jjis.store.base import Store
from jjis.store.ddl import RESULTS_COLUMNS, RUN_TABLES, RUNS_COLUMNS

RESULT_NAMES = [c for c, _ in RESULTS_COLUMNS]
RUN_NAMES = [c for c, _ in RUNS_COLUMNS]


def ensure(store: Store) -> None:
    store.ensure_tables(RUN_TABLES)


def exists(store: Store) -> bool:
    return store.table_exists("runs")


def insert(store: Store, run: Sequence[Any], results: pa.Table) -> None:
    """One run's row (values in RUNS_COLUMNS order) and its figures, in one transaction."""
    with store.transaction():
        store.insert_rows("runs", RUN_NAMES, [run])
        store.insert_arrow("results", results)


def runs(store: Store) -> list[tuple[Any, ...]]:
    """Every run, its columns but the manifest, newest first."""
    names = ", ".join(c for c in RUN_NAMES if c != "manifest")
    return store.fetchall(f"SELECT {names} FROM runs ORDER BY created_at DESC, run_id")


def manifest_text(store: Store, run_id: str) -> str | None:
    value = store.scalar("SELECT manifest FROM runs WHERE run_id = ?", [run_id])
    return None if value is None else str(value)


def recent_manifests(store: Store, *, limit: int | None = None, snapshot: str | None = None,
                     census_date: date | None = None) -> list[tuple[str, str]]:
    """(run_id, manifest JSON) of the runs, newest first: those of one snapshot and census date
    when given, the newest `limit` when given."""
    where: list[str] = []
    params: list[Any] = []
    if snapshot is not None:
        where.append("snapshot = ?")
        params.append(snapshot)
    if census_date is not None:
        where.append("census_date = ?")
        params.append(census_date)
    sql = "SELECT run_id, manifest FROM runs"
    sql += f" WHERE {' AND '.join(where)}" if where else ""
    sql += " ORDER BY created_at DESC" + (f" LIMIT {int(limit)}" if limit is not None else "")
    return [(str(r), str(m)) for r, m in store.fetchall(sql, params)]


def results(store: Store, run_id: str) -> list[tuple[Any, ...]]:
    """The figures of one run, in RESULTS_COLUMNS order, in a stable order."""
    return store.fetchall(
        f"SELECT {', '.join(RESULT_NAMES)} FROM results WHERE run_id = ? "
        "ORDER BY indicator, statistic, area, census_date, breakdown", [run_id])
