"""`jjis init`: create the database and the pseudonymisation key."""

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


def register(app: typer.Typer) -> None:
    @app.command("init")
    @handle_errors
    def init(db: Db = None, config: ConfigFile = None, verbose: bool = VerboseOption) -> None:
        """Create the database and the secret key that pseudonymises child identifiers."""
        resolve_config(config)  # a settings file given is checked before anything is created
        target = resolve_db(db)
        key = init_database(target)
        console.print(f"Database ready: {target}")
        if key:
            console.print(f"Pseudonymisation key written to {key} (mode 0600). Keep it safe and "
                          "back it up: without it, children cannot be linked across imports.")
        else:
            console.print("Pseudonymisation key taken from JJIS_SECRET.")
