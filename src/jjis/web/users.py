"""Users of the web application: a role, a scope (areas and/or facilities), an argon2 hash
(the user and the roles are jjis.remit's, re-exported here).

Roles (architecture.md, "Access and privacy"): `admin` (everything), `analyst` (the indicators
of an area subtree; no --area means the whole country), `facility` (record level and uploads
for their facilities), `inspector` (action lists of the facilities they cover). A facility or
inspector user is scoped to named facilities, to every facility of an area subtree, or both.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from jjis.errors import JjisError
from jjis.remit import ROLES, User
from jjis.store import Store

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 12
MIN_DISTINCT = 5  # different characters: "pppppppppppp" is twelve characters of one
COMMON = Path(__file__).parent / "passwords" / "common.txt"  # see passwords/README.md
_EDGES = " 0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

_hasher = PasswordHasher()
# Verified against when the user does not exist, so that the answer takes as long either way.
_DUMMY = _hasher.hash("not a password of anyone")


_NAMES = ["username", "role", "areas", "facilities", "active"]
_COLUMNS = ", ".join(_NAMES)


@cache
def _common() -> frozenset[str]:
    return frozenset(COMMON.read_text(encoding="utf-8").split())


def check_new_password(password: str) -> None:
    """A new password has at least MIN_PASSWORD characters, MIN_DISTINCT different ones, and
    is not a common password, nor one with digits or punctuation added around it."""
    if len(password) < MIN_PASSWORD:
        raise JjisError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(set(password)) < MIN_DISTINCT:
        raise JjisError(f"the password must use at least {MIN_DISTINCT} different characters")
    lower = password.lower()
    if lower in _common() or lower.strip(_EDGES) in _common():
        raise JjisError("this password is one of the most common passwords (or one with digits "
                        "or signs added): choose another, e.g. a few unrelated words")


def _user(row: tuple[object, ...]) -> User:
    return User(str(row[0]), str(row[1]), tuple(json.loads(str(row[2]))),
                tuple(json.loads(str(row[3]))), bool(row[4]))


def _check_scope(store: Store, role: str, areas: list[str], facilities: list[str]) -> None:
    if role not in ROLES:
        raise JjisError(f"the role {role!r} does not exist; choose one of {', '.join(ROLES)}")
    if role in ("facility", "inspector") and not (areas or facilities):
        raise JjisError(f"the role {role} needs a scope: give --facility F (repeatable) or --area A")
    if role == "analyst" and facilities:
        raise JjisError("an analyst is scoped to areas (--area), not to facilities")
    for value, table, column in [*((a, "areas", "area_id") for a in areas),
                                 *((f, "facilities", "facility_id") for f in facilities)]:
        if not store.exists(table, {column: value}):
            raise JjisError(f"{value!r} is not in {table}; import {table} first or correct the code")


def add_user(store: Store, username: str, role: str, password: str, *,
             areas: list[str] | tuple[str, ...] = (),
             facilities: list[str] | tuple[str, ...] = ()) -> User:
    """Create a user; errors say what to correct."""
    if not USERNAME.match(username):
        raise JjisError(f"the user name {username!r} may use letters, digits and . _ @ - only "
                        "(1 to 64 characters)")
    check_new_password(password)
    areas, facilities = sorted(set(areas)), sorted(set(facilities))
    _check_scope(store, role, areas, facilities)
    if get_user(store, username) is not None:
        raise JjisError(f"the user {username} exists already")
    store.insert_rows("web_users", [*_NAMES, "password_hash", "created_at"], [
        [username, role, json.dumps(areas), json.dumps(facilities), True,
         _hasher.hash(password), datetime.now(UTC).isoformat(timespec="seconds")]])
    return User(username, role, tuple(areas), tuple(facilities), True)


def get_user(store: Store, username: str) -> User | None:
    rows = store.select("web_users", _NAMES, {"username": username})
    return _user(rows[0]) if rows else None


def list_users(store: Store) -> list[User]:
    return [_user(r) for r in store.select("web_users", _NAMES, order_by=["username"])]


def set_active(store: Store, username: str, active: bool) -> None:
    if get_user(store, username) is None:
        raise JjisError(f"there is no user {username}")
    store.update("web_users", {"active": active}, {"username": username})
    if not active:
        store.delete("web_sessions", {"username": username})


def set_password(store: Store, username: str, password: str) -> None:
    check_new_password(password)
    if get_user(store, username) is None:
        raise JjisError(f"there is no user {username}")
    store.update("web_users", {"password_hash": _hasher.hash(password)}, {"username": username})
    store.delete("web_sessions", {"username": username})


def set_role(store: Store, username: str, role: str, *, areas: list[str] | tuple[str, ...] = (),
             facilities: list[str] | tuple[str, ...] = ()) -> User:
    """Give a user another role and scope; their sessions and tokens end (they sign in again
    under the new remit)."""
    if get_user(store, username) is None:
        raise JjisError(f"there is no user {username}")
    areas, facilities = sorted(set(areas)), sorted(set(facilities))
    _check_scope(store, role, areas, facilities)
    store.update("web_users", {"role": role, "areas": json.dumps(areas),
                               "facilities": json.dumps(facilities)}, {"username": username})
    store.delete("web_sessions", {"username": username})
    user = get_user(store, username)
    assert user is not None
    return user


def check_password(store: Store, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (same work either way)."""
    rows = store.select("web_users", [*_NAMES, "password_hash"], {"username": username}) \
        if USERNAME.match(username) else []
    stored = str(rows[0][5]) if rows else _DUMMY
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not rows:
        return None
    user = _user(rows[0])
    if _hasher.check_needs_rehash(stored):
        store.update("web_users", {"password_hash": _hasher.hash(password)},
                     {"username": username})
    return user if user.active else None
