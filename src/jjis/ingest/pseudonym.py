"""Pseudonymisation: child identifiers become HMAC-SHA-256 under the deployment's secret.

The secret is 32 bytes, found in this order (docs/security.md, "The pseudonymisation key"):
1. the environment variable JJIS_SECRET (64 hexadecimal characters);
2. the file named by the environment variable JJIS_KEY_FILE;
3. the file named by the setting `key.file` (a relative path is read from the configuration
   file's folder);
4. for a DuckDB database only, `<database>.key` beside it. A PostgreSQL database has no default:
   its key is never looked for in the working folder.
A key file has mode 0600. The hash is computed inside the database engine, so the raw identifier
is never written anywhere. Which key a database expects is checked in `keycheck`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from jjis.errors import JjisError
from jjis.settings import Config, setting_path
from jjis.store import database_file
from jjis.store.base import is_postgres_url

ENV = "JJIS_SECRET"
ENV_FILE = "JJIS_KEY_FILE"
SETTING = "key.file"
KEY_BYTES = 32
# The pseudonym is HMAC-SHA-256 truncated to its first 128 bits (as RFC 4868 and NIST SP 800-107
# allow), stored as a UUID: 16 bytes, a fraction of the storage and join work of 64 hexadecimal
# characters, and still no collision to expect among 10^15 children.
PSEUDONYM_HEX = 32
PREFIX = "h:"


@dataclass(frozen=True)
class KeySource:
    """Where the key of a database is looked for: a file, or JJIS_SECRET (path None)."""

    path: Path | None
    origin: str  # how the place was chosen, for messages: "JJIS_KEY_FILE", "beside the database"

    @property
    def where(self) -> str:
        if self.path is None:
            return f"the environment variable {ENV}"
        return f"{self.path} ({self.origin})"


def locate_key(db: str, config: Config | None = None) -> KeySource:
    """Where the key of `db` is looked for, in the documented order of precedence."""
    if os.environ.get(ENV):
        return KeySource(None, ENV)
    if os.environ.get(ENV_FILE):
        return KeySource(Path(os.environ[ENV_FILE]).expanduser(), f"from {ENV_FILE}")
    configured = setting_path(config, SETTING) if config is not None else None
    if configured is not None:
        return KeySource(configured, f"from the setting {SETTING} in {config.source}"
                         if config is not None else "")
    local = database_file(db)
    if local is None:
        what = "a PostgreSQL database" if is_postgres_url(db) else "an in-memory database"
        raise JjisError(f"{what} has no default key location: name the key file with "
                        f"{ENV_FILE}=/path/to/jjis.key or the setting `[key] file = ...` in the "
                        f"configuration, or give the key itself in {ENV}")
    p = Path(local)
    return KeySource(p.with_name(p.stem + ".key"), "beside the database")


def key_path(db: str, config: Config | None = None) -> Path | None:
    """The key file of a database (None when the key comes from JJIS_SECRET)."""
    return locate_key(db, config).path


def create_key(db: str, config: Config | None = None) -> Path:
    """Write a new random key; never overwrite one (its loss would unlink every child)."""
    path = key_path(db, config)
    if path is None:
        raise JjisError(f"the key is given in {ENV}; no key file is written")
    if path.exists():
        raise JjisError(f"a key already exists at {path}; it is never overwritten, since every "
                        "pseudonymised child depends on it. Keep it, or move it away yourself")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(KEY_BYTES))
    return path


class MissingKey(JjisError):
    """No key where it is looked for (its place is in `source`)."""

    def __init__(self, message: str, source: KeySource) -> None:
        super().__init__(message)
        self.source = source


def read_key(source: KeySource) -> bytes:
    """The key at `source`; a missing file raises MissingKey (whose message callers may replace
    by one that knows the database)."""
    if source.path is None:
        try:
            key = bytes.fromhex(os.environ.get(ENV, ""))
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise JjisError(f"{ENV} must be {KEY_BYTES * 2} hexadecimal characters (a {KEY_BYTES}-byte "
                            "key); generate one with `python -c 'import secrets; "
                            "print(secrets.token_hex(32))'`")
        return key
    path = source.path
    if not path.exists():
        raise MissingKey(f"there is no pseudonymisation key at {source.where}; restore the key "
                         f"file from its backup there, or name it with {ENV_FILE} or {ENV}", source)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise JjisError(f"the key file {path} can be read by other users (mode {mode:o}); run "
                        f"`chmod 600 {path}`")
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise JjisError(f"the key file {path} is not a {KEY_BYTES}-byte key")
    return key


def load_key(db: str, config: Config | None = None) -> bytes:
    """The key found for `db`, not checked against the database (`keycheck.database_key` does)."""
    return read_key(locate_key(db, config))


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
