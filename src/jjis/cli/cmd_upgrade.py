"""`jjis upgrade`: bring a database made by an earlier jjis to this schema version."""

from __future__ import annotations

import typer

from jjis.api import upgrade_database
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
    @app.command("upgrade")
    @handle_errors
    def upgrade(db: Db = None, config: ConfigFile = None, verbose: bool = VerboseOption) -> None:
        """Bring a database made by an earlier jjis to this schema version, in place: the missing
        tables, columns and indexes are added (back the database up first); a change that cannot
        be made in place is refused and nothing is changed."""
        resolve_config(config)  # settings are not needed, but a wrong file is refused as anywhere
        done = upgrade_database(resolve_db(db))
        if not done.changed:
            console.print(f"{done.database} is at schema version {done.to_version} already; "
                          "nothing was changed.", highlight=False)
            return
        console.print(f"{done.database} upgraded from schema version {done.from_version} to "
                      f"{done.to_version}.", highlight=False)
        for what, names in (("tables created", done.tables), ("columns added", done.columns),
                            ("indexes created", done.indexes)):
            if names:
                console.print(f"  {what}: {', '.join(names)}", highlight=False)
        if done.notes:
            console.print("  figures' notes stored as data: " + ", ".join(
                f"{n} in {table}" for table, n in done.notes.items()), highlight=False)
