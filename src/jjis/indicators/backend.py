"""Ibis on a store: the indicators' side of the engine seam, with nothing engine-specific here.

Every indicator is an Ibis expression; this module runs it on the store's own Ibis connection
(`Store.ibis()`) and renders it as SQL for --explain in the dialect the engine is registered
with (`store.url.ENGINES`). What differs between engines is in store/.
"""

from __future__ import annotations

from typing import Any

import ibis

from jjis.store import Store
from jjis.store.url import DEFAULT_ENGINE, ENGINES


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
    dialect = ENGINES.get(engine, ENGINES[DEFAULT_ENGINE]).dialect
    return str(ibis.to_sql(expr, dialect=dialect))
