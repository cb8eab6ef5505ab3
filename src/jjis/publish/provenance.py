"""Provenance: every compute run leaves a manifest, and its figures are stored under its id.

The manifest names the data snapshot (a hash of the register tables' contents), the catalogue
version, the program version and the settings, so that any published figure can be traced and
recomputed. `runs` holds the manifests; `results` (RESULTS_COLUMNS) the figures.

The snapshot hash is computed in SQL that DuckDB and PostgreSQL evaluate alike: each row is
written as text (dates as days since 1970, booleans as t/f, every value prefixed by its length,
NULL as `~`, so no two rows read the same) and hashed with md5; the first 128 bits of the row
hashes are summed in four 32-bit parts, read digit by digit with strpos. The sums do not depend
on row order. The count and the four sums of every table are then hashed with SHA-256 in
Python. The same data gives the same hash on both engines.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from hashlib import sha256
from typing import Any

from jjis.indicators.results import RESULTS_COLUMNS, Figure, result_columns
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.store import Store, manifests, registers
from jjis.store.arrow import arrow_schema, arrow_table
from jjis.store.ddl import RUNS_COLUMNS as RUNS_COLUMNS  # declared with the tables
from jjis.store.fingerprints import table_fingerprint


def program_version() -> str:
    try:
        import jjis

        return str(jjis.__version__)
    except (ImportError, AttributeError):
        from importlib.metadata import version

        return version("jjis")


@dataclass
class Manifest:
    run_id: str
    created_at: str  # ISO 8601, UTC
    snapshot: str
    catalogue_version: str
    program_version: str
    settings: dict[str, Any]
    census_date: str
    area: str | None = None
    by: list[str] = field(default_factory=list)
    tables: dict[str, list[int | str]] = field(default_factory=dict)  # per table: count, sums
    last_import: int = 0  # the import_log id of the last import the data had

    def as_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, default=str)


def new_manifest(store: Store, config: Config, *, catalogue_version: str, census_date: date,
                 area: str | None = None, by: list[str] | tuple[str, ...] = (),
                 snapshot: tuple[str, dict[str, list[int | str]]] | None = None) -> Manifest:
    """The manifest of a run; `snapshot` (from `snapshot_hash`) may be given when several runs
    are made of the same data, so that it is computed once."""
    digest, tables = snapshot or snapshot_hash(store)
    return Manifest(
        run_id=uuid.uuid4().hex,
        created_at=datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        snapshot=digest, catalogue_version=catalogue_version,
        program_version=program_version(), settings=config.as_dict(),
        census_date=census_date.isoformat(), area=area, by=list(by), tables=tables,
        last_import=registers.last_import_id(store),
    )


def snapshot_hash(store: Store) -> tuple[str, dict[str, list[int | str]]]:
    """SHA-256 over every register table's row count and order-free sums of row hashes."""
    tables: dict[str, list[int | str]] = {}
    for name in sorted(TABLES):
        tables[name] = table_fingerprint(store, name)
    text = json.dumps(tables, sort_keys=True)
    return sha256(text.encode()).hexdigest(), tables


def ensure_tables(store: Store) -> None:
    manifests.ensure(store)


def _has_runs(store: Store) -> bool:
    return manifests.exists(store)


def _arrow_results(figures: list[Figure]) -> Any:
    return arrow_table(result_columns(figures), arrow_schema(RESULTS_COLUMNS))


def record_run(store: Store, manifest: Manifest, figures: list[Figure]) -> str:
    """Write the manifest and the figures in one transaction; stamp run_id on the figures."""
    ensure_tables(store)
    for f in figures:
        f.run_id = manifest.run_id
    manifests.insert(store, [
        manifest.run_id, datetime.fromisoformat(manifest.created_at),
        date.fromisoformat(manifest.census_date), manifest.area, manifest.snapshot,
        manifest.catalogue_version, manifest.program_version, len(figures),
        manifest.as_json()], _arrow_results(figures))
    return manifest.run_id


def list_runs(store: Store) -> list[dict[str, Any]]:
    """The recorded runs, newest first (empty when none was recorded)."""
    if not _has_runs(store):
        return []
    names = [c for c, _ in RUNS_COLUMNS if c != "manifest"]
    rows = manifests.runs(store)
    out = []
    for row in rows:
        d = dict(zip(names, row, strict=True))
        d["created_at"] = d["created_at"].isoformat(sep=" ", timespec="seconds")
        d["census_date"] = d["census_date"].isoformat()
        d["figures"] = int(d["figures"])
        out.append(d)
    return out


def load_manifest(store: Store, run_id: str) -> Manifest | None:
    text = manifests.manifest_text(store, run_id) if _has_runs(store) else None
    return Manifest(**json.loads(text)) if text is not None else None


def load_results(store: Store, run_id: str) -> list[Figure]:
    """The figures of one run, as recorded."""
    if not _has_runs(store):
        return []
    names = [c for c, _ in RESULTS_COLUMNS]
    rows = manifests.results(store, run_id)
    out = []
    for row in rows:
        d = dict(zip(names, row, strict=True))
        d["breakdown"] = json.loads(d["breakdown"] or "{}")
        d["suppressed"] = bool(d["suppressed"])
        for k in ("indicator", "unknown", "over_age", "unknown_age", "events", "coverage_reported",
                  "coverage_expected", "timely_reported"):
            d[k] = None if d[k] is None else int(d[k])
        for k in ("numerator", "denominator", "value", "ci_low", "ci_high"):
            d[k] = None if d[k] is None else float(d[k])
        out.append(Figure(**d))
    return out
