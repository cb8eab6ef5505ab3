"""What the review page shows before a release: completeness and timeliness, findings, what
disclosure control will withhold, and every figure that would change against the release
served now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jjis.indicators.catalogue import load_catalogue
from jjis.indicators.periods import Period
from jjis.indicators.results import Figure
from jjis.publish import area_parents, publish, snapshot_hash
from jjis.publish import releases as rel
from jjis.release.make import current_figures
from jjis.release.outliers import Outlier, import_findings, outliers
from jjis.remit import Geography
from jjis.settings import Config
from jjis.store import Store


@dataclass
class Change:
    figure: Figure  # as it would be published
    old: float | str | None  # as published now (None: withheld)


@dataclass
class Review:
    census_date: date
    area: str
    snapshot: str  # the data hash the page was drawn on
    coverage: list[Figure]  # the area's and its children's headline totals with a coverage
    outliers: list[Outlier]
    import_findings: list[dict[str, object]]
    withheld: list[tuple[Figure, str]]  # (figure, primary/secondary), of the area
    served: rel.Served | None
    changes: list[Change] = field(default_factory=list)
    new_figures: int = 0


def review(store: Store, config: Config, geo: Geography, census_date: date, area: str) -> Review:
    snap = snapshot_hash(store)
    catalogue = load_catalogue(config)
    top = geo.top()[0]
    _, exact = current_figures(store, config, census_date, area, top, snap)
    below = set(geo.below(area))
    result = publish([f for f in exact if f.area in below], config, area_parents(store))
    shown = {area, *geo.children(area)}
    coverage = [f for f in result.figures if f.area in shown and not f.breakdown
                and f.coverage_expected is not None
                and f.statistic == getattr(catalogue.indicators.get(f.indicator), "headline", None)]
    served = rel.covering(rel.served_index(store), [area], census_date)
    changes: list[Change] = []
    if served is not None:
        old = rel.release_figures(store, served.release_id)
        rel.mark_revisions(result.figures, old)
        changes = [Change(f, f.revised_from) for f in result.figures if f.revised]
    facilities = {f for f, fac in geo.facilities.items() if fac.area_id in below}
    found = [o for o in outliers(store, config, start=Period(census_date).start, end=census_date)
             if o.facility_id in facilities]
    withheld = [(w.figure, w.reason) for w in result.withheld if w.figure.area in shown]
    return Review(census_date, area, snap[0], sorted(coverage, key=lambda f: (f.indicator, f.area)),
                  found, import_findings(store), withheld, served, changes)

