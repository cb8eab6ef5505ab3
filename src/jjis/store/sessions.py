"""The web application's sessions and API tokens (`web_sessions`, declared in ddl.py): the
queries of web/auth.py that the store's verbs (`select`, `update`, `delete`, `insert_rows`) do
not say. Times are seconds since 1970."""

from __future__ import annotations

from typing import Any

from jjis.store.base import Store


def live_tokens(store: Store, username: str, now: int) -> list[tuple[Any, ...]]:
    """(id_hash, created_at, expires_at) of the user's tokens not expired at `now`, oldest
    first."""
    return store.fetchall("SELECT id_hash, created_at, expires_at FROM web_sessions "
                          "WHERE username = ? AND kind = 'token' AND expires_at >= ? "
                          "ORDER BY created_at", [username, now])


def end(store: Store, username: str, *, kind: str | None = None,
        token_prefix: str | None = None) -> int:
    """Delete the user's sessions and tokens (`kind`: of that kind only; `token_prefix`: the
    tokens whose id hash begins so). Returns how many were deleted."""
    where, params = "username = ?", [username]
    if kind:
        where, params = where + " AND kind = ?", [*params, kind]
    if token_prefix is not None:
        where, params = where + " AND kind = 'token' AND id_hash LIKE ?", \
            [*params, token_prefix + "%"]
    n = int(store.fetchall(f"SELECT count(*) FROM web_sessions WHERE {where}", params)[0][0])
    store.execute(f"DELETE FROM web_sessions WHERE {where}", params)
    return n


def purge(store: Store, now: int, idle_since: int) -> None:
    """Delete what has expired at `now`, and the sessions (not tokens) last seen before
    `idle_since`."""
    store.execute("DELETE FROM web_sessions WHERE expires_at < ? OR (kind = 'session' AND "
                  "last_seen < ?)", [now, idle_since])


def active_user(store: Store, id_hash: str, kind: str, now: int) -> list[tuple[Any, ...]]:
    """(username, role, areas, facilities, active, expires_at, last_seen) of the active user
    behind the session or token of this id hash and kind, not expired at `now` (none or one
    row)."""
    return store.fetchall(
        "SELECT u.username, u.role, u.areas, u.facilities, u.active, s.expires_at, "
        "s.last_seen FROM web_sessions s JOIN web_users u ON u.username = s.username "
        "WHERE s.id_hash = ? AND s.kind = ? AND s.expires_at >= ? AND u.active",
        [id_hash, kind, now])
