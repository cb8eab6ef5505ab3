"""A run of the indicators as every output uses it: computed, with 95% intervals, coverage and
timeliness, recorded under a run manifest; and the published form of figures (disclosure
control). The API (api.py), the reports and the release workflow call these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from jjis.settings import Config
from jjis.store import Store

if TYPE_CHECKING:
    from jjis.indicators.engine import ComputeResult
    from jjis.indicators.results import Figure


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

    hashing = _hash_beside(store) if record and snapshot is None else None
    try:
        result = compute(store, config, census_date, area, by)
    finally:
        if hashing is not None:
            snapshot = hashing()
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


def _hash_beside(store: Store) -> Callable[[], tuple[str, dict[str, list[int | str]]]] | None:
    """Start the snapshot hash of the data (an MD5 of every register row, publish/provenance.py)
    on a session of its own, in a thread beside the computation, where the store has sessions
    (DuckDB: the engine works while Python builds the figures); returns the function that waits
    for it. The same hash of the same data: only when it is computed changes."""
    if not store.sessions:
        return None
    from concurrent.futures import ThreadPoolExecutor

    from jjis.publish.provenance import snapshot_hash

    session = store.session()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jjis-snapshot")
    future = pool.submit(snapshot_hash, session)

    def wait() -> tuple[str, dict[str, list[int | str]]]:
        try:
            return future.result()
        finally:
            pool.shutdown()
            if session is not store:
                session.close()

    return wait


def published_figures(figures: list[Figure], config: Config,
                      parents: dict[str, str | None]) -> list[Figure]:
    """The figures as every published output shows them: disclosure control applied."""
    from jjis.publish import publish

    return publish(figures, config, parents).figures
