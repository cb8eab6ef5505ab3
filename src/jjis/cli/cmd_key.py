"""`jjis key check`: is the key found the database's own?"""

from __future__ import annotations

import json

import typer
from rich.markup import escape

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    err_console,
    handle_errors,
    resolve_config,
    resolve_db,
)

key_app = typer.Typer(help="The pseudonymisation key of the database.", no_args_is_help=True)


@key_app.command("check")
@handle_errors
def check(as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
          db: Db = None, config: ConfigFile = None) -> None:
    """Say whether the key found is the one the database expects, with both fingerprints and
    where the key was looked for. Exit 0 when it is, 1 when it is not, 2 when there is no key."""
    from jjis.api import key_status

    result = key_status(resolve_db(db), resolve_config(config))
    code = 0 if result.matches else (1 if result.found else 2)
    if as_json:
        typer.echo(json.dumps(result.as_json()))
        raise typer.Exit(code)
    if result.note:
        console.print(f"[yellow]note:[/yellow] {escape(result.note)}", highlight=False)
    if result.matches:
        console.print(escape(f"The key in {result.where} is this database's own (fingerprint "
                             f"{result.found})."), highlight=False)
    else:
        err_console.print(f"[red]{'wrong key' if result.found else 'error'}:[/red] "
                          f"{escape(result.problem)}", highlight=False)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.add_typer(key_app, name="key")
