"""The store: a DuckDB file by default, PostgreSQL for a multi-user server.

The engine is chosen once, from the `--db` value (`store.url.parse`, a registry of engines by URL
scheme); everything that differs between engines is behind `Store` (store/base.py).
"""

from __future__ import annotations

from jjis.store import versions
from jjis.store.base import Store, is_postgres_url
from jjis.store.url import DatabaseURL, Engine, parse, register_engine


def open_store(db: str, *, create: bool = False, read_only: bool = False,
               any_version: bool = False) -> Store:
    """Open the database named by `db` (a DuckDB path or a URL of a registered engine). With
    `create`, its missing tables are made; otherwise a database of another schema version is
    refused (store/versions.py) unless `any_version` (for `jjis upgrade`)."""
    url = parse(db)
    store = url.engine.store_class()(db, create=create, read_only=read_only and url.read_only)
    try:
        if create:
            versions.create(store)  # the declared tables that are missing, and the version
        elif not any_version:
            versions.check(store)
    except BaseException:
        store.close()
        raise
    return store


__all__ = ["DatabaseURL", "Engine", "Store", "is_postgres_url", "open_store", "parse",
           "register_engine"]
