"""The store: a DuckDB file by default, PostgreSQL for a multi-user server."""

from __future__ import annotations

from jjis.store.base import Store, is_postgres_url


def open_store(db: str, *, create: bool = False, read_only: bool = False) -> Store:
    """Open the database named by `db` (a DuckDB path or a postgresql:// URL)."""
    if is_postgres_url(db):
        from jjis.store.postgres import PostgresStore

        return PostgresStore(db, create=create)
    from jjis.store.duck import DuckStore

    return DuckStore(db, create=create, read_only=read_only)


__all__ = ["Store", "open_store", "is_postgres_url"]
