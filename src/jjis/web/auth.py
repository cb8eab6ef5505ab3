"""Sign-in, sessions, bearer tokens, CSRF tokens and the sign-in rate limit.

- Passwords: argon2id hashes (users.py).
- Sessions: a random id in a signed, HttpOnly, SameSite=Strict cookie (itsdangerous, keyed by a
  key derived from the deployment's secret); the database keeps only the id's SHA-256, so a
  copy of the database opens no session. Sessions end after `web.session_idle_minutes` without
  a request and `web.session_hours` after sign-in, at sign-out, and when the user is disabled,
  gets a new password or another role or scope (seen by this server at once, by other server
  processes within `CACHE_SECONDS`).
- Bearer tokens for the API (`POST /api/token`): random, stored as SHA-256, valid
  `web.token_hours`; revoked at sign-out and with the user's sessions, or one by one
  (`revoke`, `jjis user token revoke`). A token is named by the first 12 hex digits of its
  SHA-256 (`token_id`), which cannot be used in its place.
- CSRF: every form carries HMAC(key, session id) — or, before sign-in, HMAC of a random
  pre-session cookie — and every form post is checked against it.
- Sign-in is limited per user name and per client address (`Limiter`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from jjis.errors import JjisError
from jjis.settings import Config
from jjis.store import Store, sessions
from jjis.web.users import User, _user

SESSION_COOKIE = "jjis_session"
PRE_COOKIE = "jjis_pre"  # binds the sign-in form's CSRF token before there is a session
CACHE_SECONDS = 5.0
TOUCH_SECONDS = 30  # a session's last request is written at most this often
_COLUMNS = "id_hash, kind, username, created_at, expires_at, last_seen"


@dataclass(frozen=True)
class Keys:
    cookie: bytes
    csrf: bytes
    audit: bytes
    totp: bytes

    @classmethod
    def derive(cls, secret: bytes) -> Keys:
        def k(label: bytes) -> bytes:
            return hmac.new(secret, label, hashlib.sha256).digest()

        from jjis.web.audit import audit_key
        from jjis.web.totp import totp_key

        return cls(k(b"jjis session cookie v1"), k(b"jjis csrf v1"), audit_key(secret),
                   totp_key(secret))


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def token_id(id_hash: str) -> str:
    return id_hash[:12]


def list_tokens(store: Store, username: str) -> list[dict[str, object]]:
    """The user's API tokens that have not expired: id, issued, expires (seconds since 1970)."""
    rows = sessions.live_tokens(store, username, int(time.time()))
    return [{"token_id": token_id(str(h)), "issued_at": int(c), "expires_at": int(e)}
            for h, c, e in rows]


def revoke(store: Store, username: str, *, token: str | None = None,
           kind: str | None = None) -> int:
    """End the user's sessions and tokens (`kind`: only "session" or only "token"; `token`: the
    one token of that id). Returns how many ended."""
    if token is not None and not re.fullmatch(r"[0-9a-f]{12}", token):
        raise JjisError(f"{token!r} is not a token id: give the 12 characters "
                        "`jjis user token list` shows")
    return sessions.end(store, username, kind=kind, token_prefix=token)


class Sessions:
    """Sessions and tokens in the `web_sessions` table."""

    def __init__(self, keys: Keys, config: Config | None = None) -> None:
        config = config or Config()
        self.keys = keys
        self.idle = int(config["web.session_idle_minutes"]) * 60
        self.life = {"session": int(config["web.session_hours"]) * 3600,
                     "token": int(config["web.token_hours"]) * 3600}
        self.signer = URLSafeTimedSerializer(keys.cookie, salt="session")
        # (id hash, kind) -> (user, expires_at, when read): a session is read from the table at
        # most every CACHE_SECONDS; sign-out and user changes here clear it at once
        self._cache: dict[tuple[str, str], tuple[User, int, float]] = {}

    def start(self, store: Store, username: str, kind: str = "session") -> str:
        """A new session (returns the signed cookie value) or token (returns the token)."""
        raw = secrets.token_urlsafe(32)
        now = int(time.time())
        sessions.purge(store, now, now - self.idle)
        store.insert_rows("web_sessions", _COLUMNS.split(", "),
                          [[_digest(raw), kind, username, now, now + self.life[kind], now]])
        return self.signer.dumps(raw) if kind == "session" else raw

    def session_id(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return str(self.signer.loads(cookie, max_age=self.life["session"]))
        except BadSignature:
            return None

    def user(self, store: Store, raw: str | None, kind: str) -> User | None:
        """The active user behind a session id or token that has not expired."""
        if not raw or len(raw) > 200:
            return None
        key, now = (_digest(raw), kind), int(time.time())
        hit = self._cache.get(key)
        if hit is not None and hit[1] >= now and time.monotonic() - hit[2] < CACHE_SECONDS:
            return hit[0]
        rows = sessions.active_user(store, key[0], kind, now)
        idle = kind == "session" and rows and int(rows[0][6] or 0) < now - self.idle
        if not rows or idle:
            self._cache.pop(key, None)
            if idle:
                store.delete("web_sessions", {"id_hash": key[0]})
            return None
        if int(rows[0][6] or 0) < now - TOUCH_SECONDS:
            store.update("web_sessions", {"last_seen": now}, {"id_hash": key[0]})
        user = _user(rows[0])
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (user, int(rows[0][5]), time.monotonic())
        return user

    def forget(self) -> None:
        """Read every session again (after a user was disabled or changed)."""
        self._cache.clear()

    def end(self, store: Store, raw: str | None, username: str) -> None:
        """Sign-out: this session and every API token of the user end."""
        if raw:
            store.delete("web_sessions", {"id_hash": _digest(raw)})
        revoke(store, username, kind="token")
        self.forget()

    def csrf_token(self, binding: str) -> str:
        return hmac.new(self.keys.csrf, binding.encode("utf-8"), hashlib.sha256).hexdigest()

    def csrf_ok(self, binding: str | None, token: str | None) -> bool:
        if not binding or not token:
            return False
        return hmac.compare_digest(self.csrf_token(binding), token)


class Limiter:
    """At most `per_name` failed sign-ins per user name and address, and `per_address` per
    address, within `window` seconds; a success clears the name's count."""

    def __init__(self, per_name: int = 5, per_address: int = 20, window: float = 900.0) -> None:
        self.per_name, self.per_address, self.window = per_name, per_address, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def retry_after(self, username: str, address: str) -> int:
        """Seconds to wait before another attempt (0: go ahead)."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in ((f"n:{username.lower()}|{address}", self.per_name),
                               (f"a:{address}", self.per_address)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(int(q[0] + self.window - now) + 1)
            return max(waits, default=0)

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures[f"n:{username.lower()}|{address}"].append(now)
            self._failures[f"a:{address}"].append(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(f"n:{username.lower()}|{address}", None)
