"""A run of the indicators as every output uses it: computed, with 95% intervals, coverage and
timeliness, recorded under a run manifest; and the published form of figures (disclosure
control). The API (api.py), the reports and the release workflow call these."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

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
    from jjis.publish import add_intervals, apply_coverage, new_manifest, record_run
    from jjis.publish.timeliness import apply_timeliness

    beside = _Beside(store, config, census_date, hash_data=record and snapshot is None)
    try:
        result = compute(store, config, census_date, area, by, read=beside.start)
    except BaseException:
        beside.abandon()
        raise
    reads = beside.wait()
    add_intervals(result.figures)
    apply_coverage(result.figures, reads.coverage)
    apply_timeliness(result.figures, reads.timeliness)
    run_id = None
    if record:
        manifest = new_manifest(store, config, catalogue_version=result.catalogue_version,
                                census_date=census_date, area=area, by=tuple(by),
                                snapshot=snapshot or reads.snapshot)
        run_id = record_run(store, manifest, result.figures)
    return IndicatorRun(run_id, result.figures, result)


@dataclass
class _Reads:
    coverage: dict[tuple[int, str], tuple[int, int]]
    timeliness: dict[tuple[int, str], int]
    snapshot: tuple[str, dict[str, list[int | str]]] | None


class _Beside:
    """The reads of a run besides the indicators' statements: the snapshot hash of the data
    (for a recorded run: an MD5 of every register row, publish/provenance.py), coverage and
    timeliness. Where the store has sessions (DuckDB) they run on a session of their own, in a
    thread beside the computation: the hash from the start (a register of fewer rows than
    DuckDB's row group is read by one thread: the other core is free), coverage and timeliness
    once the statements have run (`start`), while Python builds the figures. Elsewhere they run
    after the computation. The same reads of the same data: only when they run changes."""

    def __init__(self, store: Store, config: Config, census_date: date, *,
                 hash_data: bool) -> None:
        from jjis.publish.provenance import snapshot_hash

        self.store, self.config, self.census_date = store, config, census_date
        self.hash_data = hash_data
        self._pool: ThreadPoolExecutor | None = None
        self._session: Store | None = None
        self._snapshot: Future[tuple[str, dict[str, list[int | str]]]] | None = None
        self._sources: Future[tuple[Any, Any]] | None = None
        if store.sessions:
            self._session = store.session()
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jjis-reads")
            if hash_data:
                self._snapshot = self._pool.submit(snapshot_hash, self._session)

    def _sources_read(self, store: Store) -> tuple[Any, Any]:
        from jjis.publish import coverage
        from jjis.publish.timeliness import timeliness

        return (coverage(store, self.config, self.census_date),
                timeliness(store, self.config, self.census_date))

    def start(self) -> None:
        """The statements have run: coverage and timeliness start on the thread."""
        if self._pool is not None and self._session is not None and self._sources is None:
            self._sources = self._pool.submit(self._sources_read, self._session)

    def wait(self) -> _Reads:
        """The reads: those of the thread (waited for), the others made now."""
        from jjis.publish.provenance import snapshot_hash

        try:
            covered, timely = (self._sources.result() if self._sources is not None
                               else self._sources_read(self.store))
            snapshot = None
            if self.hash_data:
                snapshot = (self._snapshot.result() if self._snapshot is not None
                            else snapshot_hash(self.store))
            return _Reads(covered, timely, snapshot)
        finally:
            self._end()

    def abandon(self) -> None:
        """The computation failed: the thread's reads are waited for and dropped (with their
        errors), so that the computation's own error is the one raised."""
        for future in (self._snapshot, self._sources):
            if future is not None:
                future.exception()
        self._end()

    def _end(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._session is not None and self._session is not self.store:
            self._session.close()
        self._session = None


def published_figures(figures: list[Figure], config: Config,
                      parents: dict[str, str | None]) -> list[Figure]:
    """The figures as every published output shows them: disclosure control applied."""
    from jjis.publish import publish

    return publish(figures, config, parents).figures
