"""The small Python API the command line and the web application stand on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jjis.errors import JjisError
from jjis.ingest import keycheck, pseudonym
from jjis.ingest.load import Progress, _noop
from jjis.ingest.load import import_registers as _import
from jjis.ingest.load import read_sources as read_sources  # for callers that check sources first
from jjis.ingest.report import ImportReport
from jjis.ingest.sources import Source
from jjis.settings import Config
from jjis.store import Store, database_file, is_postgres_url, open_store
from jjis.store.base import masked

if TYPE_CHECKING:
    from jjis.indicators.engine import ComputeResult
    from jjis.indicators.results import Figure


@dataclass(frozen=True)
class Initialised:
    """What `init_database` did: the key file written (None when the key was found: JJIS_SECRET
    or a key file already there) and the fingerprint the new database now expects."""

    database: str
    written: Path | None
    source: pseudonym.KeySource
    fingerprint: str


def _database_exists(db: str) -> bool:
    if is_postgres_url(db):
        try:
            with open_store(db) as store:  # refuses a database without jjis tables
                return store.has_tables()
        except JjisError as exc:
            if "has no jjis tables" in str(exc):
                return False
            raise
    local = database_file(db)  # a DuckDB file, or a Spark warehouse's system file
    return local is not None and Path(local).exists() and Path(local).stat().st_size > 0


def init_database(db: str, config: Config | None = None) -> Initialised:
    """Create the database tables and record which key they expect. The key is JJIS_SECRET, or
    the key file where it is looked for (pseudonym.locate_key): an existing file is used, a
    missing one is written.

    `init` never gives an existing database a key: there it refuses, with the key's fingerprint
    when the key is present and what to restore when it is missing."""
    source = pseudonym.locate_key(db, config)
    if _database_exists(db):
        with open_store(db) as store:
            found = keycheck.database_key(store, config)
        note = f" ({found.note})" if found.note else ""
        raise JjisError(f"{masked(db)} is already set up, with its key in {found.source.where}, "
                        f"fingerprint {found.fingerprint}{note}; nothing was changed")
    written = None
    if source.path is not None and not source.path.exists():
        written = pseudonym.create_key(db, config)
    key = pseudonym.read_key(source)
    store = open_store(db, create=True)
    try:
        keycheck.record(store, key)
    finally:
        store.close()
    return Initialised(db, written, source, keycheck.key_fingerprint(key))


def database_key(store: Store, config: Config | None = None) -> keycheck.DatabaseKey:
    """The database's own key, checked against the key check value it records."""
    return keycheck.database_key(store, config)


def import_registers(
    store: Store,
    paths: list[str | Path],
    config: Config,
    *,
    today: date | None = None,
    progress: Progress = _noop,
    sources: list[Source] | None = None,
) -> ImportReport:
    """Validate and load registers (CSV files, folders of them, .xlsx workbooks); `sources`, when
    given, are those `read_sources` found among the same paths (each workbook is parsed once)."""
    from datetime import UTC, datetime

    from jjis.publish.timeliness import record_arrivals

    found = keycheck.database_key(store, config)
    report = _import(store, paths, config, found.key, today=today, progress=progress, sources=sources)
    if found.note:
        report.notes.append(found.note)
    last = int(store.fetchall("SELECT coalesce(max(import_id), 0) FROM import_log")[0][0])
    arrived = datetime.combine(today, datetime.min.time()) if today else \
        datetime.now(UTC).replace(tzinfo=None)
    record_arrivals(store, last, arrived)  # when each source's data for each month arrived
    return report


@dataclass
class IndicatorRun:
    """One computation of the indicators, with intervals and coverage, recorded as a run."""

    run_id: str | None
    figures: list[Figure]  # exact figures: the results table holds these
    result: ComputeResult

    @property
    def parents(self) -> dict[str, str | None]:
        return self.result.parents


def run_indicators(
    store: Store,
    config: Config,
    census_date: date,
    *,
    area: str | None = None,
    by: Sequence[str] = (),
    record: bool = True,
    snapshot: tuple[str, dict[str, list[int | str]]] | None = None,
) -> IndicatorRun:
    """Compute every indicator for `area` and the areas below it, add 95% intervals and coverage,
    and (with `record`) write the figures to the results table under a new run manifest.
    `snapshot` (jjis.publish.snapshot_hash) saves hashing the data again for several census
    dates of the same data."""
    from jjis.indicators import compute
    from jjis.publish import add_intervals, apply_coverage, coverage, new_manifest, record_run
    from jjis.publish.timeliness import apply_timeliness, timeliness

    result = compute(store, config, census_date, area, by)
    add_intervals(result.figures)
    apply_coverage(result.figures, coverage(store, config, census_date))
    apply_timeliness(result.figures, timeliness(store, config, census_date))
    run_id = None
    if record:
        manifest = new_manifest(store, config, catalogue_version=result.catalogue_version,
                                census_date=census_date, area=area, by=tuple(by),
                                snapshot=snapshot)
        run_id = record_run(store, manifest, result.figures)
    return IndicatorRun(run_id, result.figures, result)


def published_figures(figures: list[Figure], config: Config,
                      parents: dict[str, str | None]) -> list[Figure]:
    """The figures as every published output shows them: disclosure control applied."""
    from jjis.publish import publish

    return publish(figures, config, parents).figures


def key_status(db: str, config: Config | None = None) -> keycheck.KeyStatus:
    """`jjis key check`: whether the key found for `db` is the one it expects."""
    with open_store(db) as store:
        return keycheck.status(store, config)


def export_parquet(db: str, out: Path) -> dict[str, int]:
    """Write the database `db` as a Parquet warehouse at `out` (store/collate.py); rows per
    register."""
    from jjis.store import collate

    with open_store(db) as store:
        return collate.export(store, out)


def collate_countries(out: Path, countries: dict[str, Path], region: str,
                      region_name: str) -> dict[str, int]:
    """Collate several countries' warehouses into one regional warehouse at `out`."""
    from jjis.store import collate

    return collate.collate(out, countries, region, region_name)
