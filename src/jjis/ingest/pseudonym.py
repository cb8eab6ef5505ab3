"""Pseudonymisation: child identifiers become HMAC-SHA-256 under the deployment's secret.

The secret is a 32-byte key file (mode 0600) beside the database, or the environment variable
JJIS_SECRET (64 hexadecimal characters). The hash is computed inside the database engine, so the
raw identifier is never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import uuid
from pathlib import Path

from jjis.errors import JjisError
from jjis.store.base import is_postgres_url

ENV = "JJIS_SECRET"
KEY_BYTES = 32
# The pseudonym is HMAC-SHA-256 truncated to its first 128 bits (as RFC 4868 and NIST SP 800-107
# allow), stored as a UUID: 16 bytes, a fraction of the storage and join work of 64 hexadecimal
# characters, and still no collision to expect among 10^15 children.
PSEUDONYM_HEX = 32
PREFIX = "h:"


def key_path(db: str) -> Path:
    """Where the key file of a database lives: beside a DuckDB file, in the working folder for a
    server database."""
    if is_postgres_url(db) or db == ":memory:":
        return Path("jjis.key")
    p = Path(db)
    return p.with_name(p.stem + ".key")


def create_key(db: str) -> Path:
    """Write a new random key; never overwrite one (its loss would unlink every child)."""
    path = key_path(db)
    if path.exists():
        raise JjisError(f"a key already exists at {path}; it is never overwritten, since every "
                        "pseudonymised child depends on it. Keep it, or move it away yourself")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(KEY_BYTES))
    return path


def load_key(db: str) -> bytes:
    env = os.environ.get(ENV)
    if env:
        try:
            key = bytes.fromhex(env)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise JjisError(f"{ENV} must be {KEY_BYTES * 2} hexadecimal characters (a {KEY_BYTES}-byte "
                            "key); generate one with `python -c 'import secrets; "
                            "print(secrets.token_hex(32))'`")
        return key
    path = key_path(db)
    if not path.exists():
        raise JjisError(f"there is no pseudonymisation key at {path}; run `jjis init --db {db}` "
                        f"or set {ENV}")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise JjisError(f"the key file {path} can be read by other users (mode {mode:o}); run "
                        f"`chmod 600 {path}`")
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise JjisError(f"the key file {path} is not a {KEY_BYTES}-byte key")
    return key


def pseudonym(key: bytes, value: str) -> uuid.UUID:
    """The pseudonym of one identifier (the reference the SQL version is tested against)."""
    return uuid.UUID(hex=hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX])


def shown(child: uuid.UUID) -> str:
    """A pseudonym as people see it (quarantine, exports, findings): h:<32 hexadecimal digits>."""
    return PREFIX + child.hex


def hmac_sql(key: bytes, expr: str) -> str:
    """DuckDB SQL computing HMAC-SHA-256(key, expr) (RFC 2104), its first 128 bits as a UUID."""
    block = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    ipad = bytes(b ^ 0x36 for b in block).hex()
    opad = bytes(b ^ 0x5C for b in block).hex()
    outer = f"sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode({expr}))))"
    return f"CAST(substr({outer}, 1, {PSEUDONYM_HEX}) AS UUID)"
