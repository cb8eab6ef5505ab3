"""`jjis runs`: the recorded compute runs and what produced them (provenance)."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from jjis.cli.common import (
    ConfigFile,
    Db,
    VerboseOption,
    console,
    handle_errors,
    resolve_config,
    resolve_db,
)
from jjis.errors import JjisError
from jjis.publish.provenance import list_runs
from jjis.store import open_store

FORMATS = ("table", "json")


def register(app: typer.Typer) -> None:
    @app.command("runs")
    @handle_errors
    def runs(
        db: Db = None,
        config: ConfigFile = None,
        format: str = typer.Option("table", "--format", help="table or json"),
        verbose: bool = VerboseOption,
    ) -> None:
        """List the recorded compute runs: when, for which census date, from which data
        snapshot, catalogue and program version."""
        if format not in FORMATS:
            raise JjisError(f"--format is {format!r}; allowed: {', '.join(FORMATS)}")
        resolve_config(config)
        with open_store(resolve_db(db)) as store:
            rows = list_runs(store)
        if format == "json":
            typer.echo(json.dumps(rows, indent=2))
            return
        if not rows:
            console.print("No runs recorded yet; `jjis compute` records one.")
            return
        table = Table("run", "created (UTC)", "census date", "area", "figures", "snapshot",
                      "catalogue", "program")
        for r in rows:
            table.add_row(r["run_id"], r["created_at"], r["census_date"], r["area"] or "",
                          str(r["figures"]), r["snapshot"][:12], r["catalogue_version"],
                          r["program_version"])
        console.print(table)
