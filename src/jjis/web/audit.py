"""The audit log: append-only and hash-chained.

Each entry holds its sequence number, time, actor, action, target and a JSON detail, the hash of
the entry before it, and its own hash: HMAC-SHA-256, under a key derived from the deployment's
secret, of the previous hash and the entry's fields. Changing, deleting or reordering an entry
breaks the chain from that entry on, and without the secret the chain cannot be rebuilt.
`verify` (and `jjis audit verify`) walks the chain. Details never carry a child's data: they
name facilities, files, counts, rules and the register's own stay references.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jjis.store import Store

GENESIS = "0" * 64
ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "token", "upload", "export", "view_records",
           "view_action_list", "action_handled", "user_added", "user_changed")
_COLUMNS = "seq, logged_at, actor, action, target, detail, prev_hash, hash"
_lock = threading.Lock()


def audit_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"jjis audit log v1", hashlib.sha256).digest()


def entry_hash(key: bytes, prev_hash: str, seq: int, at: str, actor: str, action: str,
               target: str, detail: str) -> str:
    body = json.dumps([prev_hash, seq, at, actor, action, target, detail], separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def append(store: Store, key: bytes, actor: str, action: str, target: str = "",
           detail: dict[str, Any] | None = None) -> int:
    """Add one entry at the end of the chain; returns its sequence number."""
    text = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str)
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    with _lock:
        last = store.fetchall("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        seq, prev = (int(last[0][0]) + 1, str(last[0][1])) if last else (1, GENESIS)
        digest = entry_hash(key, prev, seq, at, actor, action, target, text)
        store.execute(f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      [seq, at, actor, action, target, text, prev, digest])
    return seq


class Trail:
    """Appends for one server process: it keeps the chain's head in memory instead of reading it
    before each entry, and reads it again when another process appended in between (the insert
    then fails on the sequence number, the primary key)."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self._head: tuple[int, str] | None = None
        self._lock = threading.Lock()

    def append(self, store: Store, actor: str, action: str, target: str = "",
               detail: dict[str, Any] | None = None) -> int:
        text = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str)
        with self._lock:
            for attempt in (1, 2):
                if self._head is None or attempt == 2:
                    last = store.fetchall("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                    self._head = (int(last[0][0]), str(last[0][1])) if last else (0, GENESIS)
                seq, prev = self._head[0] + 1, self._head[1]
                at = datetime.now(UTC).isoformat(timespec="microseconds")
                digest = entry_hash(self.key, prev, seq, at, actor, action, target, text)
                try:
                    store.execute(f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                  [seq, at, actor, action, target, text, prev, digest])
                except Exception:
                    self._head = None
                    if attempt == 2:
                        raise
                    continue
                self._head = (seq, digest)
                return seq
        raise AssertionError("unreachable")


def entries(store: Store, *, limit: int = 100, offset: int = 0,
            action: str | None = None) -> list[dict[str, Any]]:
    """Entries, newest first."""
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    rows = store.fetchall(
        f"SELECT {_COLUMNS} FROM audit_log {where} ORDER BY seq DESC LIMIT {int(limit)} "
        f"OFFSET {int(offset)}", params)
    keys = _COLUMNS.split(", ")
    out = []
    for row in rows:
        d = dict(zip(keys, row, strict=True))
        d["seq"] = int(d["seq"])
        d["detail"] = json.loads(d["detail"])
        out.append(d)
    return out


def count(store: Store) -> int:
    return int(store.fetchall("SELECT count(*) FROM audit_log")[0][0])


@dataclass
class Verification:
    ok: bool
    entries: int
    first_bad: int | None = None
    message: str = ""


def verify(store: Store, key: bytes) -> Verification:
    """Walk the chain from the first entry; report the first entry that does not hold."""
    prev, expected_seq, n = GENESIS, 1, 0
    rows = store.fetchall(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq")
    for seq, at, actor, action, target, detail, prev_hash, digest in rows:
        seq = int(seq)
        n += 1
        if seq != expected_seq:
            return Verification(False, n, seq, f"entry {seq} follows entry {expected_seq - 1}: "
                                "entries are missing or were renumbered")
        if prev_hash != prev:
            return Verification(False, n, seq, f"entry {seq} does not point at the hash of entry "
                                f"{seq - 1}: an entry was removed, inserted or changed")
        if not hmac.compare_digest(
                entry_hash(key, prev, seq, at, actor, action, target, detail), str(digest)):
            return Verification(False, n, seq, f"entry {seq} was changed after it was written "
                                "(its hash does not match its content)")
        prev, expected_seq = str(digest), seq + 1
    entries = "entry" if n == 1 else "entries"
    return Verification(True, n, None, f"the audit log holds {n} {entries} and its chain is "
                        "intact")
