"""Time-based one-time passwords (RFC 6238, pyotp) as a second factor at sign-in.

A user enrolls with `jjis user totp NAME`, which prints the `otpauth://` address an
authenticator app reads (as a QR code or typed in). The shared secret is kept in `web_users`
encrypted under a key derived from the deployment's secret (HMAC-SHA-256 as a keystream over a
random nonce), so a copy of the table alone gives no one the codes. A code is accepted for its
30-second step and the steps either side (clocks drift); each step is accepted once per user, so
a code that was seen cannot be used again. Who must give a code: every enrolled user, and, when
`web.require_totp` is on, every admin and analyst (those not enrolled cannot sign in).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp

from jjis.errors import JjisError
from jjis.store import Store
from jjis.store import web as web_tables

ISSUER = "jjis"
ROLES_REQUIRED = ("admin", "analyst")
STEP = 30


def totp_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"jjis totp v1", hashlib.sha256).digest()


def _pad(key: bytes, username: str, nonce: bytes, n: int) -> bytes:
    out = b""
    block = 0
    while len(out) < n:
        out += hmac.new(key, nonce + block.to_bytes(4, "big") + username.encode("utf-8"),
                        hashlib.sha256).digest()
        block += 1
    return out[:n]


def seal(key: bytes, username: str, secret: str) -> str:
    nonce = secrets.token_bytes(16)
    raw = secret.encode("ascii")
    body = bytes(a ^ b for a, b in zip(raw, _pad(key, username, nonce, len(raw)), strict=True))
    return f"v1:{nonce.hex()}:{body.hex()}"


def unseal(key: bytes, username: str, sealed: str) -> str:
    _, nonce, body = sealed.split(":")
    raw = bytes.fromhex(body)
    pad = _pad(key, username, bytes.fromhex(nonce), len(raw))
    return bytes(a ^ b for a, b in zip(raw, pad, strict=True)).decode("ascii")


def enrol(store: Store, key: bytes, username: str) -> str:
    """A new secret for the user (replacing any earlier one); returns the otpauth:// address."""
    if not store.exists("web_users", {"username": username}):
        raise JjisError(f"there is no user {username}")
    secret = pyotp.random_base32()
    store.update("web_users", {"totp_secret": seal(key, username, secret), "totp_step": 0},
                 {"username": username})
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def remove(store: Store, username: str) -> None:
    if not store.exists("web_users", {"username": username}):
        raise JjisError(f"there is no user {username}")
    store.update("web_users", {"totp_secret": None, "totp_step": None}, {"username": username})


def enrolled(store: Store, username: str) -> bool:
    rows = store.select("web_users", ["totp_secret"], {"username": username})
    return bool(rows and rows[0][0])


def needed(store: Store, username: str, role: str, required: bool) -> bool:
    return enrolled(store, username) or (required and role in ROLES_REQUIRED)


def check(store: Store, key: bytes, username: str, code: str, *, now: float | None = None) -> bool:
    """Whether `code` is the user's current code, not used before (then it is used up)."""
    code = code.strip().replace(" ", "")
    rows = store.select("web_users", ["totp_secret", "totp_step"], {"username": username})
    if not rows or not rows[0][0] or not code.isdigit() or len(code) != 6:
        return False
    last = int(rows[0][1] or 0)
    step = int((time.time() if now is None else now) // STEP)
    try:  # under another key the secret unseals to nonsense
        otp = pyotp.TOTP(unseal(key, username, str(rows[0][0])))
        codes = {c: otp.at(c * STEP) for c in (step - 1, step, step + 1)}
    except ValueError:
        return False
    for candidate, expected in codes.items():
        if candidate > last and hmac.compare_digest(expected, code):
            web_tables.advance_totp_step(store, username, candidate)
            return True
    return False
