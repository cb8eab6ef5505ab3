"""Areas side by side: every area of one level with the headline figure of an indicator, sorted
on the server, as a table, a bar chart and a map.

The figures are those a page already shows (`routes_figures.view`: a release for the public,
the user's remit for the signed-in, through `Scope.visible`); nothing here decides who sees what.
An area with no registered source of the kind the indicator needs is shown as such, never as a
value, and an area whose figure is withheld shows the withheld mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jjis.indicators.results import Figure
from jjis.remit import Geography
from jjis.reports.maps import MapArea, status_of
from jjis.web.present import coverage, interval, shown

SORTS = ("name", "value", "count", "coverage")
ORDERS = ("asc", "desc")


@dataclass
class Row:
    area: str
    name: str
    figure: Figure | None
    status: str  # reports.maps.STATUSES

    @property
    def value(self) -> float | None:
        return self.figure.value if self.status == "value" and self.figure else None

    @property
    def low(self) -> float | None:
        return self.figure.ci_low if self.status == "value" and self.figure else None

    @property
    def high(self) -> float | None:
        return self.figure.ci_high if self.status == "value" and self.figure else None

    @property
    def count(self) -> float | None:
        f = self.figure
        return None if f is None or f.suppressed or self.status == "no_source" else f.numerator

    @property
    def coverage_share(self) -> float | None:
        f = self.figure
        if f is None or not f.coverage_expected or f.coverage_reported is None:
            return None
        return f.coverage_reported / f.coverage_expected

    @property
    def shown(self) -> str:
        return shown(self.figure)

    @property
    def interval(self) -> str:
        return "" if self.status != "value" else interval(self.figure)

    @property
    def coverage(self) -> str:
        return coverage(self.figure)

    @property
    def count_shown(self) -> str:
        c = self.count
        return "" if c is None else f"{c:,.0f}"


def levels(geo: Geography) -> list[str]:
    """The levels of the areas register, from the top down (by how deep their areas lie)."""
    depth: dict[str, int] = {}
    for a, level in geo.levels.items():
        depth[level] = min(depth.get(level, 99), len(geo.chain(a)))
    return sorted(depth, key=lambda lv: (depth[lv], lv))


def default_level(geo: Geography, area: str) -> str:
    """The level of the area's children (its own level when it has none)."""
    kids = geo.children(area)
    return geo.levels.get(kids[0] if kids else area, "")


def rows(geo: Geography, by_area: dict[str, list[Figure]], within: str, level: str,
         indicator: int, statistic: str) -> list[Row]:
    """Each area of `level` under `within` (or `within` itself) that has figures here, with its
    headline figure (None: not computed)."""
    out = []
    for a in geo.below(within):
        if geo.levels.get(a) != level or a not in by_area:
            continue
        f = next((g for g in by_area[a] if g.indicator == indicator and g.statistic == statistic
                  and not g.breakdown), None)
        out.append(Row(a, geo.names.get(a, a), f, status_of(f)))
    return out


def sort_rows(found: list[Row], sort: str, order: str) -> list[Row]:
    """Sorted by name, value, count or coverage; rows without that number (withheld, no source,
    not computed) come last whatever the order, in name order."""
    desc = order == "desc"
    if sort == "name":
        return sorted(found, key=lambda r: (r.name.casefold(), r.area), reverse=desc)
    key: dict[str, Any] = {"value": lambda r: r.value, "count": lambda r: r.count,
                           "coverage": lambda r: r.coverage_share}
    get = key[sort]
    known = [r for r in found if get(r) is not None]
    missing = sorted((r for r in found if get(r) is None), key=lambda r: (r.name.casefold(), r.area))
    return sorted(known, key=lambda r: (get(r), r.name.casefold()), reverse=desc) + missing


def map_areas(found: list[Row], shapes: dict[str, dict[str, Any]]) -> list[MapArea]:
    """The rows that have a boundary, as the map draws them."""
    return [MapArea(r.area, r.name, shapes[r.area], r.status, r.value, r.shown)
            for r in found if r.area in shapes]
