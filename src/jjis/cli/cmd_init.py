"""`jjis init`: create the database and tie it to its pseudonymisation key."""

from __future__ import annotations

import typer

from jjis.api import init_database
from jjis.cli.common import (
    ConfigFile,
    Db,
    VerboseOption,
    console,
    handle_errors,
    resolve_config,
    resolve_db,
)
from jjis.store.base import masked


def register(app: typer.Typer) -> None:
    @app.command("init")
    @handle_errors
    def init(db: Db = None, config: ConfigFile = None, verbose: bool = VerboseOption) -> None:
        """Create the database and the secret key that pseudonymises child identifiers (an
        existing database is never given a new key)."""
        target = resolve_db(db)
        done = init_database(target, resolve_config(config))
        console.print(f"Database ready: {masked(done.database)}", highlight=False)
        if done.written:
            console.print(f"Pseudonymisation key written to {done.written} (mode 0600), "
                          f"fingerprint {done.fingerprint}. Keep it safe and back it up apart "
                          "from the database: without it, children cannot be linked across "
                          "imports.", highlight=False)
        else:
            console.print(f"Pseudonymisation key taken from {done.source.where}, fingerprint "
                          f"{done.fingerprint}.", highlight=False)
