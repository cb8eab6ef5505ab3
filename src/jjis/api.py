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
from jjis.schema import TABLES as REGISTER_TABLES
from jjis.settings import Config
from jjis.store import Store, open_store, parse, registers
from jjis.store.base import masked

if TYPE_CHECKING:
    from jjis.indicators.results import Figure
    from jjis.publish.runs import IndicatorRun
    from jjis.store.versions import Upgrade


@dataclass(frozen=True)
class Initialised:
    """What `init_database` did: the key file written (None when the key was found: JJIS_SECRET
    or a key file already there) and the fingerprint the new database now expects."""

    database: str
    written: Path | None
    source: pseudonym.KeySource
    fingerprint: str


def _database_exists(db: str) -> bool:
    url = parse(db)
    if url.path is None and not url.in_memory:  # a server database: ask it
        try:
            with open_store(db) as store:  # refuses a database without jjis tables
                return store.has_tables()
        except JjisError as exc:
            if "has no jjis tables" in str(exc):
                return False
            raise
    return url.path is not None and url.path.exists() and url.path.stat().st_size > 0


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


def upgrade_database(db: str) -> Upgrade:
    """Bring a database made by an earlier jjis to this schema version in place (store/versions.py),
    or refuse with one sentence, changing nothing."""
    from jjis.store import versions

    with open_store(db, any_version=True) as store:
        return versions.upgrade(store)


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
    """Validate and load registers (CSV files, folders of them, .xlsx workbooks) and the areas'
    boundaries (`areas.geojson`, checked against the areas once they are loaded); `sources`, when
    given, are those `read_sources` found among the same paths (each workbook is parsed once)."""
    from datetime import UTC, datetime

    from jjis.ingest.boundaries import boundary_files, import_boundaries
    from jjis.publish.timeliness import record_arrivals

    found = keycheck.database_key(store, config)
    maps = boundary_files(paths)  # areas.geojson: after the registers, so after the areas
    files = [p for p in paths if Path(p).absolute() not in {m for m, _ in maps}]
    report = _import(store, files, config, found.key, today=today, progress=progress,
                     sources=sources)
    for path, shown in maps:
        next_id = registers.last_import_id(store) + 1
        report.files.append(import_boundaries(store, path, next_id, shown))
    if found.note:
        report.notes.append(found.note)
    last = registers.last_import_id(store)
    arrived = datetime.combine(today, datetime.min.time()) if today else \
        datetime.now(UTC).replace(tzinfo=None)
    record_arrivals(store, last, arrived)  # when each source's data for each month arrived
    # the planner's statistics of the registers this import wrote (a one-row web entry: one)
    store.analyze(sorted(t for t, r in report.tables.items() if t in REGISTER_TABLES and r.accepted))
    return report


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
    and (with `record`) write the figures to the results table under a new run manifest
    (publish/runs.py)."""
    from jjis.publish import runs

    return runs.run_indicators(store, config, census_date, area=area, by=by, record=record,
                               snapshot=snapshot)


def published_figures(figures: list[Figure], config: Config,
                      parents: dict[str, str | None]) -> list[Figure]:
    """The figures as every published output shows them: disclosure control applied."""
    from jjis.publish import runs

    return runs.published_figures(figures, config, parents)


def key_status(db: str, config: Config | None = None) -> keycheck.KeyStatus:
    """`jjis key check`: whether the key found for `db` is the one it expects."""
    with open_store(db) as store:
        return keycheck.status(store, config)


def figures_files(store: Store, config: Config, census_date: date, area: str,
                  figures: list[Figure], out_dir: Path, *, release_id: str | None,
                  run_id: str | None, lang: str = "en") -> dict[str, Path]:
    """Write the SDMX-ML structure and data messages, the SDMX-CSV file and the XLSX workbook
    of figures already read (a release's, or a run's for a draft) for `area` and the areas
    below it: nothing is computed. Returns the paths by name (`sdmx-structure.xml`,
    `sdmx-data.xml`, `sdmx-data.csv`, `indicators.xlsx`)."""
    from jjis.publish import area_parents, load_manifest
    from jjis.publish.releases import get_release
    from jjis.reports.formatting import Lang
    from jjis.reports.sdmx import write_sdmx
    from jjis.reports.write import PublishedRuns, report_model
    from jjis.reports.xlsx import write_xlsx

    if release_id is not None:
        found = get_release(store, release_id)
        run_id = found.run_id if found is not None else run_id
    manifest = load_manifest(store, run_id) if run_id else None
    runs = PublishedRuns({census_date: figures}, {census_date: manifest}, area_parents(store),
                         {census_date: run_id}, [], [], {census_date: release_id})
    model = report_model(store, config, census_date, runs, area)
    sdmx = write_sdmx(model, out_dir / "sdmx")
    xlsx = write_xlsx(model, Lang(lang), out_dir / "indicators.xlsx")
    return {"sdmx-structure.xml": sdmx.structure, "sdmx-data.xml": sdmx.data,
            "sdmx-data.csv": sdmx.csv, "indicators.xlsx": xlsx}


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
