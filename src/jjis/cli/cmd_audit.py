"""`jjis audit`: check and read the web application's hash-chained audit log."""

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

audit_app = typer.Typer(help="The audit log of the web application.", no_args_is_help=True)


@audit_app.command("verify")
@handle_errors
def verify(db: Db = None, config: ConfigFile = None) -> None:
    """Walk the hash chain and hold it against its anchor; exit 1 and name the first entry that
    does not hold, exit 2 when the key is not the database's own."""
    from jjis.web.audit import verify_database

    result = verify_database(resolve_db(db), resolve_config(config))
    if result.wrong_key:
        err_console.print(f"[red]wrong key:[/red] {escape(result.message)}", highlight=False)
        raise typer.Exit(2)
    if not result.ok:
        err_console.print(f"[red]broken:[/red] {escape(result.message)}", highlight=False)
        raise typer.Exit(1)
    console.print(escape(result.message), highlight=False)


@audit_app.command("show")
@handle_errors
def show(limit: int = typer.Option(50, "--limit"), action: str = typer.Option(None, "--action"),
         as_json: bool = typer.Option(False, "--json"), db: Db = None,
         config: ConfigFile = None) -> None:
    """The newest entries."""
    from jjis.store import open_store
    from jjis.web.audit import entries

    url = resolve_db(db)
    with open_store(url, read_only=True) as store:  # where the engine allows it
        rows = entries(store, limit=limit, action=action)
    if as_json:
        print(json.dumps(rows, indent=1))
        return
    for e in rows:
        console.print(f"{e['seq']}\t{e['logged_at'][:19]}\t{e['actor']}\t{e['action']}\t{e['target']}\t"
                      f"{json.dumps(e['detail'])}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
