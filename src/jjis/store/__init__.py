"""The store: a DuckDB file by default, PostgreSQL for a multi-user server."""

from __future__ import annotations

from jjis.store.base import Store, is_postgres_url, is_spark_url


def open_store(db: str, *, create: bool = False, read_only: bool = False) -> Store:
    """Open the database named by `db` (a DuckDB path, a postgresql:// URL or a spark:// URL
    naming a Parquet warehouse)."""
    if is_spark_url(db):
        from jjis.store.spark import SparkStore

        return SparkStore(db, create=create, read_only=read_only)
    if is_postgres_url(db):
        from jjis.store.postgres import PostgresStore

        return PostgresStore(db, create=create)
    from jjis.store.duck import DuckStore

    return DuckStore(db, create=create, read_only=read_only)


def database_file(db: str) -> str | None:
    """The local file holding the database `db` (its key file is looked for beside it): the
    DuckDB file, or a warehouse's system file; None for PostgreSQL and an in-memory database."""
    if is_spark_url(db):
        from jjis.store.spark import system_file

        return system_file(db)
    if is_postgres_url(db) or db == ":memory:":
        return None
    return db


__all__ = ["Store", "open_store", "is_postgres_url", "is_spark_url", "database_file"]
