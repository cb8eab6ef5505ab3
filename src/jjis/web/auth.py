"""Sign-in, sessions, bearer tokens, CSRF tokens and the sign-in rate limit.

- Passwords: argon2id hashes (users.py).
- Sessions: a random id in a signed, HttpOnly, SameSite=Strict cookie (itsdangerous, keyed by a
  key derived from the deployment's secret); the database keeps only the id's SHA-256, so a
  copy of the database opens no session. Sessions end after `SESSION_SECONDS`, at sign-out, and
  when the user is disabled or gets a new password (seen by this server at once, by other
  server processes within `CACHE_SECONDS`).
- Bearer tokens for the API (`POST /api/token`): random, stored as SHA-256, valid `TOKEN_SECONDS`.
- CSRF: every form carries HMAC(key, session id) — or, before sign-in, HMAC of a random
  pre-session cookie — and every form post is checked against it.
- Sign-in is limited per user name and per client address (`Limiter`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from jjis.store import Store
from jjis.web.users import User, _user

SESSION_COOKIE = "jjis_session"
PRE_COOKIE = "jjis_pre"  # binds the sign-in form's CSRF token before there is a session
SESSION_SECONDS = 8 * 3600
TOKEN_SECONDS = 12 * 3600
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Keys:
    cookie: bytes
    csrf: bytes
    audit: bytes

    @classmethod
    def derive(cls, secret: bytes) -> Keys:
        def k(label: bytes) -> bytes:
            return hmac.new(secret, label, hashlib.sha256).digest()

        from jjis.web.audit import audit_key

        return cls(k(b"jjis session cookie v1"), k(b"jjis csrf v1"), audit_key(secret))


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


class Sessions:
    """Sessions and tokens in the `web_sessions` table."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys
        self.signer = URLSafeTimedSerializer(keys.cookie, salt="session")
        # (id hash, kind) -> (user, expires_at, when read): a session is read from the table at
        # most every CACHE_SECONDS; sign-out and user changes here clear it at once
        self._cache: dict[tuple[str, str], tuple[User, int, float]] = {}

    def start(self, store: Store, username: str, kind: str = "session") -> str:
        """A new session (returns the signed cookie value) or token (returns the token)."""
        raw = secrets.token_urlsafe(32)
        now = int(time.time())
        life = SESSION_SECONDS if kind == "session" else TOKEN_SECONDS
        store.execute("DELETE FROM web_sessions WHERE expires_at < ?", [now])
        store.execute("INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
                      [_digest(raw), kind, username, now, now + life])
        return self.signer.dumps(raw) if kind == "session" else raw

    def session_id(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return str(self.signer.loads(cookie, max_age=SESSION_SECONDS))
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
        rows = store.fetchall(
            "SELECT u.username, u.role, u.areas, u.facilities, u.active, s.expires_at "
            "FROM web_sessions s JOIN web_users u ON u.username = s.username "
            "WHERE s.id_hash = ? AND s.kind = ? AND s.expires_at >= ? AND u.active",
            [key[0], kind, now])
        if not rows:
            self._cache.pop(key, None)
            return None
        user = _user(rows[0])
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (user, int(rows[0][5]), time.monotonic())
        return user

    def forget(self) -> None:
        """Read every session again (after a user was disabled or changed)."""
        self._cache.clear()

    def end(self, store: Store, raw: str | None) -> None:
        if raw:
            store.execute("DELETE FROM web_sessions WHERE id_hash = ?", [_digest(raw)])
            self._cache.pop((_digest(raw), "session"), None)

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
