"""The one place where the engines differ: connecting Ibis to a store, and SQL for --explain.

Every indicator is an Ibis expression; this module turns it into rows (or SQL) on DuckDB or
PostgreSQL, or on Spark (a warehouse store: Ibis's PySpark backend).
"""

from __future__ import annotations

from typing import Any

import ibis

from jjis.store import Store

DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "pyspark"}


def connect(store: Store) -> Any:
    """An Ibis backend on the store's own connection (so it sees the same data)."""
    return store.ibis()


def rows(con: Any, expr: Any) -> list[dict[str, Any]]:
    """Run `expr` and return its rows as dicts."""
    return list(con.to_pyarrow(expr).to_pylist())


def temp_table(con: Any, name: str, expr: Any) -> Any:
    """Compute `expr` once into a temporary table of this connection (dropped with it; the
    store itself is not written); where the backend has no temporary tables (Spark), a cached
    view of it, held as long as the expression is."""
    try:
        return con.create_table(f"jjis_tmp_{name}", expr, temp=True, overwrite=True)
    except NotImplementedError:
        return expr.cache()


def to_sql(expr: Any, engine: str) -> str:
    return str(ibis.to_sql(expr, dialect=DIALECTS.get(engine, "duckdb")))
