"""A database knows its key: the key check value and the key's fingerprint.

At `jjis init` the database records the key check value, HMAC-SHA-256(key, "jjis key check"),
never the key itself, and its fingerprint: the check value's first 16 hexadecimal digits in
groups of four (`3f2a-9c1b-77d0-e412`), what people compare. Every use of the key goes through
`database_key`, which refuses a key whose check value is not the recorded one, naming both
fingerprints and where the key was looked for. A database made before key checks existed gets
its check value recorded on the first use with a key present (`DatabaseKey.recorded_now`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from jjis.errors import JjisError
from jjis.ingest.pseudonym import ENV, ENV_FILE, KeySource, MissingKey, locate_key, read_key
from jjis.settings import Config
from jjis.store import Store

LABEL = b"jjis key check"
TABLE = "key_check"


def check_value(key: bytes) -> str:
    return hmac.new(key, LABEL, hashlib.sha256).hexdigest()


def fingerprint(check: str) -> str:
    """The short form of a check value that people read and compare."""
    return "-".join(check[i:i + 4] for i in range(0, 16, 4))


def key_fingerprint(key: bytes) -> str:
    return fingerprint(check_value(key))


class KeyMismatch(JjisError):
    """The key found is not the database's own."""


@dataclass(frozen=True)
class DatabaseKey:
    key: bytes
    source: KeySource
    fingerprint: str
    recorded_now: bool = False  # a database made before key checks: its check was just written

    @property
    def note(self) -> str | None:
        if not self.recorded_now:
            return None
        return (f"this database had no key check yet; it now expects the key found in "
                f"{self.source.where} (fingerprint {self.fingerprint}) and refuses any other")


def has_table(store: Store, name: str) -> bool:
    return store.table_exists(name)


def recorded(store: Store) -> str | None:
    """The check value the database expects (None for a database made before key checks)."""
    if not has_table(store, TABLE):
        return None
    rows = store.select(TABLE, ["check_value"], order_by=["recorded_at"])
    return str(rows[0][0]) if rows else None


def record(store: Store, key: bytes) -> None:
    """Write the key check of a database that has none; never replace one."""
    if recorded(store) is not None:
        raise JjisError("this database already records its key check; it is never replaced")
    store.ensure_tables([TABLE])
    check = check_value(key)
    store.insert_rows(TABLE, ["check_value", "fingerprint", "recorded_at"],
                      [[check, fingerprint(check), datetime.now(UTC).isoformat(timespec="seconds")]])


def mismatch_message(expected: str, found: bytes, source: KeySource) -> str:
    return (f"this database expects the key with fingerprint {fingerprint(expected)}, but the key "
            f"found in {source.where} has fingerprint {key_fingerprint(found)}; nothing was done: "
            f"give the database its own key (restore it from its backup, or point {ENV_FILE} or "
            f"{ENV} at it), since another key would give every child a second pseudonym")


def missing_message(expected: str | None, source: KeySource, reason: str) -> str:
    which = (f"the key with fingerprint {fingerprint(expected)}" if expected
             else "the key it was filled with")
    place = f" to {source.path}" if source.path is not None else ""
    return (f"{reason}; this database expects {which}: restore that key from its backup{place} "
            f"(or name its file with {ENV_FILE}, or give it in {ENV}); a new key would not link "
            "the children already stored")


def database_key(store: Store, config: Config | None = None, *,
                 record_missing: bool = True) -> DatabaseKey:
    """The key of the database in `store`, checked against the check value it records. With
    `record_missing`, a database that records none (made before key checks) records it now."""
    expected = recorded(store)
    try:
        source = locate_key(store.url, config)
    except JjisError as exc:
        if expected is None:
            raise
        raise JjisError(f"{exc}; this database expects the key with fingerprint "
                        f"{fingerprint(expected)}") from None
    try:
        key = read_key(source)
    except MissingKey:
        raise JjisError(missing_message(
            expected, source, f"there is no pseudonymisation key at {source.where}")) from None
    if expected is None:
        if not record_missing:
            return DatabaseKey(key, source, key_fingerprint(key))
        record(store, key)
        return DatabaseKey(key, source, key_fingerprint(key), recorded_now=True)
    if not hmac.compare_digest(check_value(key), expected):
        raise KeyMismatch(mismatch_message(expected, key, source))
    return DatabaseKey(key, source, key_fingerprint(key))


@dataclass(frozen=True)
class KeyStatus:
    """What `jjis key check` reports."""

    expected: str | None  # fingerprint the database records (None: none recorded)
    found: str | None  # fingerprint of the key found (None: no key there)
    where: str  # where the key was looked for
    path: str | None  # the key file (None for JJIS_SECRET or no location)
    problem: str = ""  # why the key cannot be used, when it cannot
    note: str | None = None

    @property
    def matches(self) -> bool:
        return self.found is not None and self.found == self.expected and not self.problem

    def as_json(self) -> dict[str, object]:
        return {"matches": self.matches, "expected_fingerprint": self.expected,
                "found_fingerprint": self.found, "key_path": self.path, "looked_in": self.where,
                "problem": self.problem or None, "note": self.note}


def status(store: Store, config: Config | None = None) -> KeyStatus:
    """Whether the key found for the database is its own (recording the check of a database
    made before key checks, as every use does)."""
    expected = recorded(store)
    shown = fingerprint(expected) if expected else None
    try:
        source = locate_key(store.url, config)
    except JjisError as exc:
        return KeyStatus(shown, None, "nowhere", None, str(exc))
    path = str(source.path) if source.path else None
    try:
        found = database_key(store, config)
    except KeyMismatch as exc:
        return KeyStatus(shown, key_fingerprint(read_key(source)), source.where, path, str(exc))
    except JjisError as exc:
        return KeyStatus(shown, None, source.where, path, str(exc))
    return KeyStatus(found.fingerprint, found.fingerprint, source.where, path, note=found.note)
