"""The small Python API the command line and the web application stand on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jjis.ingest import pseudonym
from jjis.ingest.load import Progress, _noop
from jjis.ingest.load import import_registers as _import
from jjis.ingest.report import ImportReport
from jjis.settings import Config
from jjis.store import Store, open_store


def init_database(db: str) -> Path | None:
    """Create the database tables and, unless JJIS_SECRET is set, the pseudonymisation key.

    Refuses to overwrite an existing key. Returns the key file written (None with JJIS_SECRET)."""
    import os

    key = None
    if not os.environ.get(pseudonym.ENV):
        key = pseudonym.create_key(db)
    store = open_store(db, create=True)
    store.close()
    return key


def import_registers(
    store: Store,
    paths: list[str | Path],
    config: Config,
    *,
    today: date | None = None,
    progress: Progress = _noop,
) -> ImportReport:
    """Validate and load registers (CSV files, folders of them, .xlsx workbooks)."""
    key = pseudonym.load_key(store.url)
    return _import(store, paths, config, key, today=today, progress=progress)
