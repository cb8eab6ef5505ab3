"""`jjis user`: users of the web application (add, list, disable, enable, password)."""

from __future__ import annotations

import sys

import typer

from jjis.cli.common import ConfigFile, Db, console, handle_errors, resolve_db
from jjis.errors import JjisError
from jjis.store import Store

user_app = typer.Typer(help="Users of the web application.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        text = sys.stdin.readline().rstrip("\r\n")
    else:
        text = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not text:
        raise JjisError("no password was given; pipe it in with --password-stdin")
    return text


def _audit(store: Store, action: str, target: str, detail: dict[str, object]) -> None:
    from jjis.ingest import pseudonym
    from jjis.web.audit import append, audit_key

    append(store, audit_key(pseudonym.load_key(store.url)), "cli", action, target, detail)


@user_app.command("add")
@handle_errors
def add(
    name: str = typer.Argument(..., help="User name (letters, digits, . _ @ -)."),
    role: str = typer.Option(..., "--role", help="admin, analyst, facility or inspector."),
    area: list[str] = typer.Option([], "--area", help="Area subtree in scope (repeatable)."),
    facility: list[str] = typer.Option([], "--facility", help="Facility in scope (repeatable)."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from the first line of stdin."),
    db: Db = None,
    config: ConfigFile = None,
) -> None:
    """Create a user scoped to areas and/or facilities (architecture.md, Access and privacy)."""
    from jjis.store import open_store
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import add_user

    password = _password(password_stdin)
    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        user = add_user(store, name, role, password, areas=area, facilities=facility)
        _audit(store, "user_added", user.username, {"role": user.role, "areas": list(user.areas),
                                                    "facilities": list(user.facilities),
                                                    "channel": "cli"})
    scope = ", ".join([*user.areas, *user.facilities]) or ("everything" if role == "admin"
                                                          else "the whole country")
    console.print(f"Added {user.username} ({user.role}; scope: {scope}).")


@user_app.command("list")
@handle_errors
def list_(db: Db = None, config: ConfigFile = None) -> None:
    """List the users, their roles and scopes."""
    from jjis.store import open_store
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import list_users

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        for u in list_users(store):
            scope = ", ".join([*u.areas, *u.facilities]) or "-"
            console.print(f"{u.username}\t{u.role}\t{scope}\t{'active' if u.active else 'disabled'}")


def _set_active(name: str, active: bool, db: str | None) -> None:
    from jjis.store import open_store
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import set_active

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        set_active(store, name, active)
        _audit(store, "user_changed", name, {"active": active, "channel": "cli"})
    console.print(f"{name} is {'enabled' if active else 'disabled'}.")


@user_app.command("disable")
@handle_errors
def disable(name: str = typer.Argument(...), db: Db = None, config: ConfigFile = None) -> None:
    """Disable a user and end their sessions and tokens."""
    _set_active(name, False, db)


@user_app.command("enable")
@handle_errors
def enable(name: str = typer.Argument(...), db: Db = None, config: ConfigFile = None) -> None:
    """Enable a disabled user."""
    _set_active(name, True, db)


@user_app.command("password")
@handle_errors
def password(name: str = typer.Argument(...),
             password_stdin: bool = typer.Option(False, "--password-stdin"),
             db: Db = None, config: ConfigFile = None) -> None:
    """Set a user's password (ends their sessions and tokens)."""
    from jjis.store import open_store
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import set_password

    text = _password(password_stdin)
    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        set_password(store, name, text)
        _audit(store, "user_changed", name, {"password": "changed", "channel": "cli"})
    console.print(f"The password of {name} is changed.")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
