"""`jjis user`: users of the web application (add, list, disable, enable, password)."""

from __future__ import annotations

import sys

import typer

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    handle_errors,
    resolve_config,
    resolve_db,
)
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


def _audit(store: Store, action: str, target: str, detail: dict[str, object],
           config: str | None = None) -> None:
    from jjis.ingest.keycheck import database_key
    from jjis.web.anchor import Anchor, anchor_path
    from jjis.web.audit import append, audit_key

    cfg = resolve_config(config)
    key = audit_key(database_key(store, cfg).key)
    path = anchor_path(store.url, cfg)
    append(store, key, "cli", action, target, detail,
           anchor=Anchor(path, key) if path is not None else None)


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
                                                    "channel": "cli"}, config)
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


def _set_active(name: str, active: bool, db: str | None, config: str | None = None) -> None:
    from jjis.store import open_store
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import set_active

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        set_active(store, name, active)
        _audit(store, "user_changed", name, {"active": active, "channel": "cli"}, config)
    console.print(f"{name} is {'enabled' if active else 'disabled'}.")


@user_app.command("disable")
@handle_errors
def disable(name: str = typer.Argument(...), db: Db = None, config: ConfigFile = None) -> None:
    """Disable a user and end their sessions and tokens."""
    _set_active(name, False, db, config)


@user_app.command("enable")
@handle_errors
def enable(name: str = typer.Argument(...), db: Db = None, config: ConfigFile = None) -> None:
    """Enable a disabled user."""
    _set_active(name, True, db, config)


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
        _audit(store, "user_changed", name, {"password": "changed", "channel": "cli"}, config)
    console.print(f"The password of {name} is changed.")


@user_app.command("role")
@handle_errors
def role(
    name: str = typer.Argument(...),
    role: str = typer.Option(..., "--role", help="admin, analyst, facility or inspector."),
    area: list[str] = typer.Option([], "--area", help="Area subtree in scope (repeatable)."),
    facility: list[str] = typer.Option([], "--facility", help="Facility in scope (repeatable)."),
    db: Db = None,
    config: ConfigFile = None,
) -> None:
    """Give a user another role and scope (ends their sessions and tokens)."""
    from jjis.store import open_store
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import set_role

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        user = set_role(store, name, role, areas=area, facilities=facility)
        _audit(store, "user_changed", name, {"role": user.role, "areas": list(user.areas),
                                             "facilities": list(user.facilities), "channel": "cli"})
    console.print(f"{name} is now {user.role} (scope: "
                  f"{', '.join([*user.areas, *user.facilities]) or 'everything'}); "
                  "their sessions and tokens have ended.")


@user_app.command("totp")
@handle_errors
def totp_(name: str = typer.Argument(...),
          off: bool = typer.Option(False, "--off", help="Remove the user's one-time codes."),
          db: Db = None, config: ConfigFile = None) -> None:
    """Enrol a user for one-time codes (TOTP): prints the otpauth:// address for their
    authenticator app. From then on they sign in with password and code. Ends their sessions."""
    from jjis.ingest import pseudonym
    from jjis.store import open_store
    from jjis.web import totp
    from jjis.web.auth import revoke
    from jjis.web.db import ensure_web_tables

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        if off:
            totp.remove(store, name)
        else:
            uri = totp.enrol(store, totp.totp_key(pseudonym.load_key(store.url)), name)
        revoke(store, name)
        _audit(store, "user_changed", name, {"totp": "removed" if off else "enrolled",
                                             "channel": "cli"})
    if off:
        console.print(f"{name} signs in with a password only (unless web.require_totp needs a code).")
        return
    console.print(f"Give {name} this address for their authenticator app (it holds the secret: "
                  "pass it on privately, then clear this screen):", highlight=False)
    console.print(uri, highlight=False, soft_wrap=True)


token_app = typer.Typer(help="API tokens of a user: list and revoke.", no_args_is_help=True)
user_app.add_typer(token_app, name="token")


@token_app.command("list")
@handle_errors
def token_list(name: str = typer.Argument(...), db: Db = None, config: ConfigFile = None) -> None:
    """The user's API tokens that have not expired (by id; a token itself is never stored)."""
    from datetime import UTC, datetime

    from jjis.store import open_store
    from jjis.web.auth import list_tokens
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import get_user

    def at(t: object) -> str:
        return datetime.fromtimestamp(int(str(t)), UTC).isoformat(timespec="seconds")

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        if get_user(store, name) is None:
            raise JjisError(f"there is no user {name}")
        tokens = list_tokens(store, name)
    for t in tokens:
        console.print(f"{t['token_id']}\tissued {at(t['issued_at'])}\texpires {at(t['expires_at'])}",
                      highlight=False)
    if not tokens:
        console.print(f"{name} has no API token.")


@token_app.command("revoke")
@handle_errors
def token_revoke(name: str = typer.Argument(...),
                 token_id: str | None = typer.Option(None, "--id", help="One token (from `jjis "
                                                     "user token list`); default: all of them."),
                 db: Db = None, config: ConfigFile = None) -> None:
    """Revoke one API token of the user, or all of them (a server sees it within 5 seconds)."""
    from jjis.store import open_store
    from jjis.web.auth import revoke
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import get_user

    with open_store(resolve_db(db)) as store:
        ensure_web_tables(store)
        if get_user(store, name) is None:
            raise JjisError(f"there is no user {name}")
        n = revoke(store, name, token=token_id, kind="token")
        _audit(store, "token_revoked", name, {"token_id": token_id or "all", "revoked": n,
                                              "channel": "cli"})
    console.print(f"Revoked {n} token{'s' if n != 1 else ''} of {name}.")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
