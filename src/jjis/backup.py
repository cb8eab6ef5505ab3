"""`jjis backup` and `jjis restore`: the whole database in one portable file, and back.

A backup is a zip file: `manifest.json` and one Parquet file per table (`tables/<name>.parquet`),
every table of the database (registers, the system's tables, the web application's, runs and
results, the key check). The manifest lists each table's portable column types, row count and
SHA-256, the data snapshot hash (publish.provenance.snapshot_hash), the key check and the audit
anchor. It never holds the key itself: the key is backed up apart (docs/security.md).

DuckDB and PostgreSQL read and write the same format, so a backup of one restores into the other.
Restore checks every checksum before it touches anything, refuses a database holding data unless
forced, and never leaves a half-restored database: DuckDB is restored into a new file that then
replaces the old in one rename, PostgreSQL in one transaction. The snapshot hash is computed
again on the restored data and must equal the recorded one, or nothing is kept.

This module sits beside the command line, above the web package, whose tables it restores.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jjis.errors import JjisError, refusal
from jjis.ingest import keycheck
from jjis.publish.provenance import ensure_tables as ensure_run_tables
from jjis.publish.provenance import program_version, snapshot_hash
from jjis.settings import Config
from jjis.store import Store, archive, open_store, parse, versions
from jjis.store.base import masked
from jjis.store.ddl import META_TABLE
from jjis.web.anchor import Anchor, Checkpoint, anchor_path
from jjis.web.db import ensure_web_tables

FORMAT = "jjis-backup"
VERSION = 1
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class BackupDone:
    path: Path
    tables: int
    rows: int
    snapshot: str
    fingerprint: str | None
    anchored: bool


def backup(db: str, out: Path, config: Config | None = None) -> BackupDone:
    """Write the backup of `db` to `out` (never over an existing file; a killed backup leaves no
    file under that name)."""
    parse(db).refuse("backup")
    out = Path(out)
    if out.exists():
        raise JjisError(f"{out} exists already; a backup is never written over a file: give "
                        "another --out")
    where = anchor_path(db, config)
    anchor_text = where.read_text(encoding="utf-8") if where and where.exists() else None
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        # any schema version: a database is backed up as it is (before `jjis upgrade`, say)
        with open_store(db, read_only=True, any_version=True) as store, \
                archive.consistent(store):
            manifest = _write_tables(store, tmp, anchor_text)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    check = manifest["key_check"]
    return BackupDone(out, len(manifest["tables"]), sum(t["rows"] for t in manifest["tables"]),
                      manifest["snapshot"], check["fingerprint"] if check else None,
                      anchor_text is not None)


def _write_tables(store: Store, tmp: Path, anchor_text: str | None) -> dict[str, Any]:
    digest, per_table = snapshot_hash(store)
    expected = keycheck.recorded(store)
    entries = []
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zf:  # Parquet is compressed already
        for name in archive.tables(store):
            cols = archive.columns(store, name)
            buf = io.BytesIO()
            data = archive.read(store, name, cols)
            pq.write_table(data, buf, compression="zstd")
            raw = buf.getvalue()
            zf.writestr(f"tables/{name}.parquet", raw)
            entries.append({"name": name, "columns": [list(c) for c in cols],
                            "rows": data.num_rows, "sha256": hashlib.sha256(raw).hexdigest()})
        manifest = {
            "format": FORMAT, "version": VERSION, "engine": store.engine,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "program_version": program_version(), "snapshot": digest, "snapshot_tables": per_table,
            "key_check": {"check_value": expected, "fingerprint": keycheck.fingerprint(expected)}
            if expected else None,
            "audit_anchor": json.loads(anchor_text) if anchor_text else None,
            "tables": entries,
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


@dataclass
class Backup:
    """A backup file whose every checksum held."""

    path: Path
    manifest: dict[str, Any]
    data: dict[str, pa.Table]


def open_backup(path: Path) -> Backup:
    """Read and check a backup whole before anything is restored from it."""
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("format") != FORMAT or int(manifest.get("version", 0)) > VERSION:
                raise JjisError(f"{path} is not a jjis backup this version can read (format "
                                f"{manifest.get('format')!r}, version {manifest.get('version')!r})")
            data = {t["name"]: _table(zf, path, t) for t in manifest["tables"]}
    except FileNotFoundError:
        raise JjisError(f"there is no backup at {path}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, pa.ArrowException) as exc:
        raise JjisError(f"{path} is damaged or not a jjis backup ({type(exc).__name__}: {exc}); "
                        "nothing was restored") from None
    return Backup(path, manifest, data)


def _table(zf: zipfile.ZipFile, path: Path, entry: dict[str, Any]) -> pa.Table:
    name = str(entry["name"])
    cols = [(str(n), str(t)) for n, t in entry["columns"]]
    if not _NAME.match(name) or any(not _NAME.match(n) or t not in archive.ARROW for n, t in cols):
        raise JjisError(f"{path} names a table or column jjis does not make ({name}); nothing was "
                        "restored")
    raw = zf.read(f"tables/{name}.parquet")
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise JjisError(f"{path}: the table {name} does not match its checksum (the file was "
                        "damaged or changed); nothing was restored")
    data = pq.read_table(io.BytesIO(raw))
    if data.num_rows != int(entry["rows"]) or data.schema.names != [n for n, _ in cols]:
        raise JjisError(f"{path}: the table {name} does not hold the rows and columns its "
                        "manifest lists; nothing was restored")
    return data.cast(archive.schema(cols))


@dataclass(frozen=True)
class RestoreDone:
    database: str
    tables: int
    rows: int
    snapshot: str
    anchor: Path | None  # where the audit anchor was put back (None: none to put back, or nowhere)
    key: keycheck.KeyStatus | None  # whether the key found is the restored database's own


def restore(path: Path, db: str, config: Config | None = None, *, force: bool = False) -> RestoreDone:
    """Restore the backup at `path` into `db` (a DuckDB path or a PostgreSQL database that
    exists), replacing it whole; a database holding data only with `force`."""
    parse(db).refuse("restore")
    b = open_backup(Path(path))
    if parse(db).engine.local_file:  # one file: replaced whole, in one rename
        _restore_duckdb(b, db, force)
    else:  # a server database: its tables replaced in one transaction
        _restore_postgres(b, db, force)
    anchor = _put_back_anchor(b, db, config)
    with open_store(db) as store:
        key = keycheck.status(store, config) if keycheck.recorded(store) else None
    return RestoreDone(db, len(b.data), sum(t.num_rows for t in b.data.values()),
                       b.manifest["snapshot"], anchor, key)


def _holds_data(store: Store) -> list[str]:
    return [t for t in archive.tables(store)
            if t not in (keycheck.TABLE, META_TABLE) and store.count(t)]


def _refuse_if_full(store: Store, db: str, force: bool) -> None:
    full = _holds_data(store)
    if full and not force:
        raise JjisError(f"{masked(db)} holds data ({', '.join(full[:5])}"
                        f"{', …' if len(full) > 5 else ''}); restore replaces it whole, so it is "
                        "refused: restore into a new database, or give --force")


def _fill(store: Store, b: Backup) -> None:
    """Create the tables and load the backup's rows into them (inside the caller's
    transaction), then hold the data against the recorded snapshot hash."""
    versions.create(store)
    ensure_web_tables(store)
    ensure_run_tables(store)
    for entry in b.manifest["tables"]:
        name, cols = entry["name"], [(str(n), str(t)) for n, t in entry["columns"]]
        if name == META_TABLE:  # the new tables record this version; a later one is refused
            _refuse_later_version(b)
            continue
        archive.create(store, name, cols)
        archive.load(store, name, b.data[name])
    digest, _ = snapshot_hash(store)
    if digest != b.manifest["snapshot"]:
        raise JjisError(f"the data restored from {b.path} gives the snapshot hash {digest}, not "
                        f"{b.manifest['snapshot']} as recorded at the backup; nothing was kept")


def _refuse_later_version(b: Backup) -> None:
    meta = b.data[META_TABLE].to_pylist()
    found = next((int(r["value"]) for r in meta if r.get("name") == versions.KEY), None)
    if found is not None and found > versions.SCHEMA_VERSION:
        raise refusal("schema-newer", db=str(b.path), found=found,
                      current=versions.SCHEMA_VERSION)


def _restore_duckdb(b: Backup, db: str, force: bool) -> None:
    if Path(db).exists():
        with open_store(db, any_version=True) as old:  # replaced whole, whatever its version
            _refuse_if_full(old, db, force)
    scratch = archive.scratch_path(db)
    try:
        with open_store(str(scratch), create=True) as store:
            store.begin()
            _fill(store, b)
            store.commit()
            store.checkpoint()
        archive.replace_file(scratch, db)
    finally:
        scratch.unlink(missing_ok=True)
        Path(str(scratch) + ".wal").unlink(missing_ok=True)


def _restore_postgres(b: Backup, db: str, force: bool) -> None:
    with open_store(db, create=True) as store:
        _refuse_if_full(store, db, force)
        store.begin()
        try:
            for name in archive.tables(store):
                store.drop_table(name)
            _fill(store, b)
            store.commit()
        except BaseException:
            store.rollback()
            raise


def _put_back_anchor(b: Backup, db: str, config: Config | None) -> Path | None:
    saved = b.manifest.get("audit_anchor")
    where = anchor_path(db, config)
    if not saved or where is None:
        return None
    Anchor(where, b"").write(Checkpoint(int(saved["entries"]), str(saved["head"]),
                                        str(saved["written_at"]), str(saved["signature"])))
    return where
