"""The small Python API the command line and the web application stand on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jjis.ingest import pseudonym
from jjis.ingest.load import Progress, _noop
from jjis.ingest.load import import_registers as _import
from jjis.ingest.report import ImportReport
from jjis.settings import Config
from jjis.store import Store, open_store

if TYPE_CHECKING:
    from jjis.indicators.engine import ComputeResult
    from jjis.indicators.results import Figure


def init_database(db: str) -> Path | None:
    """Create the database tables and, unless JJIS_SECRET is set, the pseudonymisation key.

    Refuses to overwrite an existing key. Returns the key file written (None with JJIS_SECRET)."""
    import os

    key = None
    if not os.environ.get(pseudonym.ENV):
        key = pseudonym.create_key(db)
    store = open_store(db, create=True)
    store.close()
    return key


def import_registers(
    store: Store,
    paths: list[str | Path],
    config: Config,
    *,
    today: date | None = None,
    progress: Progress = _noop,
) -> ImportReport:
    """Validate and load registers (CSV files, folders of them, .xlsx workbooks)."""
    from datetime import UTC, datetime

    from jjis.publish.timeliness import record_arrivals

    key = pseudonym.load_key(store.url)
    report = _import(store, paths, config, key, today=today, progress=progress)
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
