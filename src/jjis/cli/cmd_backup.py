"""`jjis backup` and `jjis restore`: the whole database to one portable file and back."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

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


def say(text: str) -> None:
    console.print(escape(text), highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("backup")
    @handle_errors
    def backup(
        out: Path = typer.Option(..., "--out", help="The backup file to write (a .zip)."),
        db: Db = None,
        config: ConfigFile = None,
        verbose: bool = VerboseOption,
    ) -> None:
        """Write every table, the key check and the audit anchor to one file (never the key)."""
        from jjis.backup import backup as write_backup

        done = write_backup(resolve_db(db), out, resolve_config(config))
        say(f"Backed up {done.tables} tables ({done.rows:,} rows) to {done.path}; data snapshot "
            f"{done.snapshot}.")
        if not done.anchored:
            say("The audit log had no anchor to back up.")
        if done.fingerprint:
            say(f"The key itself is not in the backup: keep a copy of the key with fingerprint "
                f"{done.fingerprint} apart from it (docs/security.md).")

    @app.command("restore")
    @handle_errors
    def restore(
        file: Path = typer.Argument(..., help="A backup written by `jjis backup`."),
        force: bool = typer.Option(False, "--force", help="Replace a database that holds data."),
        db: Db = None,
        config: ConfigFile = None,
        verbose: bool = VerboseOption,
    ) -> None:
        """Restore a backup into a new or empty database (DuckDB or PostgreSQL), checking its
        checksums first and the data snapshot hash after."""
        from jjis.backup import restore as read_backup

        done = read_backup(file, resolve_db(db), resolve_config(config), force=force)
        say(f"Restored {done.tables} tables ({done.rows:,} rows) into {masked(done.database)}; "
            f"data snapshot {done.snapshot}, as recorded in the backup.")
        if done.anchor:
            say(f"Audit anchor put back at {done.anchor}.")
        key = done.key
        if key is not None and key.matches:
            say(f"The key in {key.where} is this database's own (fingerprint {key.found}).")
        elif key is not None:
            say(f"Now give the database its own key, fingerprint {key.expected}, from the key's "
                f"own backup ({key.problem})")
