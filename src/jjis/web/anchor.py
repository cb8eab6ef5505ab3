"""The audit log's anchor: a signed checkpoint of the chain's head, kept outside the database.

The hash chain shows an entry changed, inserted or removed in the middle, but not entries cut
from the end or the whole log wiped: what is left is still a valid chain. So every append also
writes, outside the audit table, the number of entries and the hash of the last one, signed with
HMAC-SHA-256 under the audit key (derived from the database's pseudonymisation key). `verify`
then requires the log to reach the anchored entry, with the anchored hash.

The anchor is a small JSON file, replaced atomically (written beside, flushed, renamed) under a
lock, and only ever moved forward: when two processes append side by side, it names the
furthest entry either wrote. Where it lives (docs/security.md): JJIS_AUDIT_ANCHOR, else the
setting `audit.anchor_file`, else `<database>.audit-anchor` beside a DuckDB file; a PostgreSQL
database without either is not anchored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jjis.errors import JjisError
from jjis.settings import Config, setting_path
from jjis.store.url import parse

ENV = "JJIS_AUDIT_ANCHOR"
SETTING = "audit.anchor_file"
LABEL = "jjis audit anchor v1"


def anchor_path(db: str, config: Config | None = None) -> Path | None:
    """Where the anchor of the database `db` lives (None: the log is not anchored)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    configured = setting_path(config, SETTING) if config is not None else None
    if configured is not None:
        return configured
    p = parse(db).path
    if p is None:  # a server database, or one in memory
        return None
    return p.with_name(p.stem + ".audit-anchor")


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    head: str
    written_at: str
    signature: str


class Anchor:
    """The anchor file of one database, signed with its audit key."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.key = key

    def sign(self, entries: int, head: str, written_at: str) -> str:
        body = json.dumps([LABEL, entries, head, written_at], separators=(",", ":"))
        return hmac.new(self.key, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def read(self) -> Checkpoint | None:
        """The checkpoint written last (None when there is no anchor file). A file that is not
        an anchor raises JjisError."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Checkpoint(int(data["entries"]), str(data["head"]), str(data["written_at"]),
                              str(data["signature"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise JjisError(f"the audit anchor {self.path} cannot be read ({exc}); it was damaged "
                            "or replaced: restore it from the backup") from None

    def genuine(self, cp: Checkpoint) -> bool:
        return hmac.compare_digest(self.sign(cp.entries, cp.head, cp.written_at), cp.signature)

    def advance(self, entries: int, head: str) -> None:
        """Record that the chain reaches entry `entries` with hash `head` (never moves back)."""
        with self._locked():
            current = self._current()
            if current is not None and current.entries >= entries:
                return
            at = datetime.now(UTC).isoformat(timespec="seconds")
            self.write(Checkpoint(entries, head, at, self.sign(entries, head, at)))

    def write(self, cp: Checkpoint) -> None:
        """Replace the anchor file atomically: a reader sees the old checkpoint or the new one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        text = json.dumps({"entries": cp.entries, "head": cp.head, "written_at": cp.written_at,
                           "signature": cp.signature}, indent=1)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        with contextlib.suppress(OSError):  # make the rename itself durable where possible
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _current(self) -> Checkpoint | None:
        try:
            cp = self.read()
        except JjisError:
            return None  # a damaged anchor is replaced; verify reports the log against it
        return cp if cp is not None and self.genuine(cp) else None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock between processes (a lock file beside the anchor)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            except ImportError:  # no fcntl (Windows): the in-process locks of audit.py remain
                pass
            yield
        finally:
            os.close(fd)
