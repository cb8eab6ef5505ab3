"""A run of the indicators as every output uses it: computed, with 95% intervals, coverage and
timeliness, recorded under a run manifest; and the published form of figures (disclosure
control). The API (api.py), the reports and the release workflow call these."""

from __future__ import annotations

from collections.abc import Sequence
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
