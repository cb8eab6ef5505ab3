"""The audit log: append-only and hash-chained.

Each entry holds its sequence number, time, actor, action, target and a JSON detail, the hash of
the entry before it, and its own hash: HMAC-SHA-256, under a key derived from the deployment's
secret, of the previous hash and the entry's fields. Changing, deleting or reordering an entry
breaks the chain from that entry on, and without the secret the chain cannot be rebuilt.
Entries cut from the end, or the whole log wiped, leave a valid chain: every append therefore
moves the anchor forward (a signed checkpoint of the chain's head kept outside the database,
web/anchor.py). `verify` (and `jjis audit verify`) walks the chain and holds it against the
anchor; a chain none of whose entries holds under the key is reported as a wrong key, not as
tampering. Details never carry a child's data: they
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

from jjis.ingest import keycheck
from jjis.settings import Config
from jjis.store import Store, open_store
from jjis.store import audit as audit_log
from jjis.web.anchor import Anchor, anchor_path

GENESIS = "0" * 64
ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "token", "upload", "export", "view_records",
           "view_action_list", "action_handled", "user_added", "user_changed", "token_revoked",
           "upload_refused", "view_denied", "view_action_summary")
_COLUMNS = "seq, logged_at, actor, action, target, detail, prev_hash, hash"
_lock = threading.Lock()


class _DefaultAnchor:
    """The anchor at the default place for the store's database (anchor.anchor_path)."""


FROM_STORE = _DefaultAnchor()
AnchorArg = Anchor | None | _DefaultAnchor


def anchor_of(store: Store, key: bytes, anchor: AnchorArg = FROM_STORE) -> Anchor | None:
    if isinstance(anchor, _DefaultAnchor):
        path = anchor_path(store.url)
        return Anchor(path, key) if path is not None else None
    return anchor


def audit_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"jjis audit log v1", hashlib.sha256).digest()


def entry_hash(key: bytes, prev_hash: str, seq: int, at: str, actor: str, action: str,
               target: str, detail: str) -> str:
    body = json.dumps([prev_hash, seq, at, actor, action, target, detail], separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def append(store: Store, key: bytes, actor: str, action: str, target: str = "",
           detail: dict[str, Any] | None = None, *, anchor: AnchorArg = FROM_STORE) -> int:
    """Add one entry at the end of the chain and move the anchor to it; returns its sequence
    number."""
    text = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str)
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    with _lock:
        last = store.select("audit_log", ["seq", "hash"], order_by=["seq DESC"], limit=1)
        seq, prev = (int(last[0][0]) + 1, str(last[0][1])) if last else (1, GENESIS)
        digest = entry_hash(key, prev, seq, at, actor, action, target, text)
        store.insert_rows("audit_log", _COLUMNS.split(", "),
                          [[seq, at, actor, action, target, text, prev, digest]])
        anchored = anchor_of(store, key, anchor)
        if anchored is not None:
            anchored.advance(seq, digest)
    return seq


class Trail:
    """Appends for one server process: it keeps the chain's head in memory instead of reading it
    before each entry, and reads it again when another process appended in between (the insert
    then fails on the sequence number, the primary key)."""

    def __init__(self, key: bytes, anchor: AnchorArg = FROM_STORE) -> None:
        self.key = key
        self.anchor = anchor
        self._head: tuple[int, str] | None = None
        self._lock = threading.Lock()

    def append(self, store: Store, actor: str, action: str, target: str = "",
               detail: dict[str, Any] | None = None) -> int:
        text = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str)
        with self._lock:
            for attempt in (1, 2):
                if self._head is None or attempt == 2:
                    last = store.select("audit_log", ["seq", "hash"], order_by=["seq DESC"],
                                        limit=1)
                    self._head = (int(last[0][0]), str(last[0][1])) if last else (0, GENESIS)
                seq, prev = self._head[0] + 1, self._head[1]
                at = datetime.now(UTC).isoformat(timespec="microseconds")
                digest = entry_hash(self.key, prev, seq, at, actor, action, target, text)
                try:
                    store.insert_rows("audit_log", _COLUMNS.split(", "),
                                      [[seq, at, actor, action, target, text, prev, digest]])
                except Exception:
                    self._head = None
                    if attempt == 2:
                        raise
                    continue
                self._head = (seq, digest)
                anchored = anchor_of(store, self.key, self.anchor)
                if anchored is not None:
                    anchored.advance(seq, digest)
                return seq
        raise AssertionError("unreachable")

    def verify(self, store: Store) -> Verification:
        """`verify` with this trail's key and anchor."""
        return verify(store, self.key, anchor=self.anchor)


def entries(store: Store, *, limit: int = 100, offset: int = 0,
            action: str | None = None) -> list[dict[str, Any]]:
    """Entries, newest first."""
    keys = _COLUMNS.split(", ")
    rows = audit_log.entries(store, keys, limit=limit, offset=offset, action=action)
    out = []
    for row in rows:
        d = dict(zip(keys, row, strict=True))
        d["seq"] = int(d["seq"])
        d["detail"] = json.loads(d["detail"])
        out.append(d)
    return out


def count(store: Store) -> int:
    return store.count("audit_log")


@dataclass
class Verification:
    ok: bool
    entries: int
    first_bad: int | None = None
    message: str = ""
    wrong_key: bool = False  # no entry holds under the key: a wrong key, not tampering


def verify(store: Store, key: bytes, *, anchor: AnchorArg = FROM_STORE) -> Verification:
    """Walk the chain from the first entry and report the first entry that does not hold; then
    hold the chain against its anchor (when the database has one)."""
    rows = store.select("audit_log", _COLUMNS.split(", "), order_by=["seq"])
    chain = _walk(rows, key)
    if not chain.ok:
        return chain
    anchored = anchor_of(store, key, anchor)
    if anchored is None:
        if chain.entries:
            chain.message += (", but it is not anchored, so entries cut from its end could not be "
                              "seen")
        return chain
    heads = {int(r[0]): str(r[7]) for r in rows}
    return against_anchor(chain.entries, heads, anchored)


def _walk(rows: list[tuple[Any, ...]], key: bytes) -> Verification:
    prev, expected_seq, n = GENESIS, 1, 0
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
            if seq == 1 and _none_holds(rows, key):
                return Verification(False, n, seq, "no entry's hash holds under this key: the key "
                                    "is not the one the log was written with (or every entry "
                                    "was changed)", wrong_key=True)
            return Verification(False, n, seq, f"entry {seq} was changed after it was written "
                                "(its hash does not match its content)")
        prev, expected_seq = str(digest), seq + 1
    entries = "entry" if n == 1 else "entries"
    return Verification(True, n, None, f"the audit log holds {n} {entries} and its chain is "
                        "intact")


def _none_holds(rows: list[tuple[Any, ...]], key: bytes) -> bool:
    """Whether the chain links hold (each entry points at the stored hash before it) while no
    entry's hash holds under `key`: the mark of a wrong key, not of an entry changed."""
    prev = GENESIS
    for seq, at, actor, action, target, detail, prev_hash, digest in rows:
        if prev_hash != prev or hmac.compare_digest(
                entry_hash(key, prev, int(seq), at, actor, action, target, detail), str(digest)):
            return False
        prev = str(digest)
    return True


def against_anchor(n: int, heads: dict[int, str], anchor: Anchor) -> Verification:
    """An intact chain of `n` entries (their hashes by number) held against its anchor."""
    cp = anchor.read()
    if cp is None:
        if n == 0:
            return Verification(True, 0, None, "the audit log is empty and was never anchored")
        return Verification(False, n, None, f"the audit log holds {n} entries but has no anchor "
                            f"at {anchor.path}: entries cut from its end could not be seen (the "
                            "anchor was removed, or the log was written before anchors; the next "
                            "entry anchors it)")
    if not anchor.genuine(cp):
        return Verification(False, n, None, f"the anchor at {anchor.path} is not signed with this "
                            "database's key: it was changed or replaced")
    if cp.entries > n:
        return Verification(False, n, n + 1, f"the audit log holds {n} entries but its anchor "
                            f"recorded {cp.entries} on {cp.written_at}: entries were removed from "
                            "its end" + (" (the whole log was wiped)" if n == 0 else ""))
    if cp.entries and heads.get(cp.entries) != cp.head:
        return Verification(False, n, cp.entries, f"entry {cp.entries} is not the one its anchor "
                            f"recorded on {cp.written_at}: the log was rewritten")
    return Verification(True, n, None, f"the audit log holds {n} entries and its chain is intact "
                        f"up to its anchor (entry {cp.entries}, {cp.written_at})")


def verify_database(db: str, config: Config | None = None) -> Verification:
    """`jjis audit verify`: the audit chain of `db` under its own key (a wrong key is refused as
    such, never reported as tampering), held against its anchor."""
    with open_store(db, read_only=True) as store:  # where the engine allows it
        found = keycheck.database_key(store, config, record_missing=False)
        key = audit_key(found.key)
        path = anchor_path(db, config)
        anchor = Anchor(path, key) if path is not None else None
        if not keycheck.has_table(store, "audit_log"):
            if anchor is not None and anchor.read() is not None:
                return against_anchor(0, {}, anchor)
            return Verification(True, 0, None, "there is no audit log yet: the web application "
                                "has not run on this database")
        result = verify(store, key, anchor=anchor)
        head = store.select("audit_log", ["hash"], order_by=["seq DESC"], limit=1)
    if result.ok and anchor is None and result.entries:
        return Verification(False, result.entries, None, result.message + ": name an anchor "
                            "file with JJIS_AUDIT_ANCHOR or the setting audit.anchor_file")
    if result.ok and head:
        result.message += f"; last hash {head[0][0]}"
    return result
