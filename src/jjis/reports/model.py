"""The report model: the published figures and the catalogue, arranged the way a report reads.

Nothing here computes an indicator: every number is a published figure (disclosure control
applied) picked out of the runs of the report's census dates; the words come from the catalogue.
The model is language-neutral; the writers translate and format it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jjis.indicators.base import CROSS, DIMENSIONS
from jjis.indicators.catalogue import Catalogue, Indicator
from jjis.indicators.results import Figure
from jjis.publish import Manifest
from jjis.reports.labels import BANDS, REPORT_BREAKDOWNS, TABLE_STATISTICS
from jjis.settings import Config

Key = tuple[int, str, str, date, str, str]  # indicator, statistic, area, census date, dim, value


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    level: str
    parent: str | None
    depth: int  # below the report's area: 0 for the area itself


@dataclass
class Row:
    """One line of a table: a label's code and the figures of the table's statistics."""

    code: str
    figures: dict[str, Figure]

    def get(self, statistic: str) -> Figure | None:
        return self.figures.get(statistic)


@dataclass
class Breakdown:
    dim: str
    rows: list[Row]


@dataclass
class AreaLevel:
    depth: int
    level: str
    rows: list[Row]  # code = area id, sorted by the headline value, largest first


@dataclass
class Section:
    indicator: Indicator
    headline: str
    table_statistics: tuple[str, ...]
    key: list[Figure]  # the report area's totals on the census date, in catalogue order
    breakdowns: list[Breakdown]
    levels: list[AreaLevel]
    trend: list[Figure]  # the headline total of the report area, one per census date
    bands: list[tuple[str, Figure | None, Figure | None]]  # band, ended in period, on census date

    @property
    def id(self) -> int:
        return self.indicator.id

    @property
    def figures(self) -> Iterable[Figure]:
        """Every figure the section shows."""
        yield from self.key
        for b in self.breakdowns:
            for row in b.rows:
                yield from row.figures.values()
        for lv in self.levels:
            for row in lv.rows:
                yield from row.figures.values()
        yield from self.trend
        for _, ended, held in self.bands:
            yield from (f for f in (ended, held) if f is not None)


@dataclass
class ReportModel:
    catalogue: Catalogue
    config: Config
    census_date: date
    dates: list[date]  # every census date of the report, oldest first
    area: Area
    areas: dict[str, Area]
    figures: dict[date, list[Figure]]  # the published figures of each census date
    manifests: dict[date, Manifest | None] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    releases: dict[date, str | None] = field(default_factory=dict)  # release id; None: draft
    boundaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # area -> its geometry

    @property
    def period(self) -> tuple[date, date]:
        key = self.sections[0].key if self.sections else []
        if key:
            return key[0].period_start, key[0].period_end
        return self.census_date, self.census_date

    @property
    def core(self) -> list[Section]:
        return [s for s in self.sections if s.indicator.core]

    @property
    def threshold(self) -> int:
        return int(self.config["publication.disclosure_threshold"])

    def headline(self, section: Section) -> Figure | None:
        return next((f for f in section.key if f.statistic == section.headline), None)

    def all_figures(self) -> list[Figure]:
        return [f for d in self.dates for f in self.figures[d]]


def key_of(f: Figure) -> Key:
    # a cell of a cross table ({"sex": "f", "age_group": "14_15"}) is `sex*age_group`, `f*14_15`
    names = sorted(f.breakdown, key=lambda d: DIMENSIONS.index(d) if d in DIMENSIONS else 99)
    dim = CROSS.join(names)
    value = CROSS.join(f.breakdown[d] for d in names)
    return (f.indicator, f.statistic, f.area, f.census_date, dim, value)


def _areas(rows: Iterable[tuple[str, str, str, str | None]], top: str,
           parents: dict[str, str | None]) -> dict[str, Area]:
    info = {r[0]: r for r in rows}
    out: dict[str, Area] = {}
    cur: str | None
    for area in parents:
        depth, cur = 0, area
        while cur != top and cur is not None and depth <= len(parents):  # guard against cycles
            cur, depth = parents.get(cur), depth + 1
        if cur != top:
            continue
        _, name, level, _ = info.get(area, (area, area, "", None))
        out[area] = Area(area, name or area, level or "", parents.get(area), depth)
    return out


class _Index:
    def __init__(self, figures: dict[date, list[Figure]]) -> None:
        self.by_key: dict[Key, Figure] = {}
        self.values: dict[tuple[int, str], list[str]] = defaultdict(list)
        for day_figures in figures.values():
            for f in day_figures:
                k = key_of(f)
                self.by_key[k] = f
                if k[4] and k[5] not in self.values[(k[0], k[4])]:
                    self.values[(k[0], k[4])].append(k[5])

    def get(self, ind: int, stat: str, area: str, day: date, dim: str = "",
            value: str = "") -> Figure | None:
        return self.by_key.get((ind, stat, area, day, dim, value))

    def row(self, ind: int, stats: tuple[str, ...], area: str, day: date, dim: str, value: str,
            code: str) -> Row:
        found = {s: self.get(ind, s, area, day, dim, value) for s in stats}
        return Row(code, {s: f for s, f in found.items() if f is not None})


def _sort_key(row: Row, stat: str) -> tuple[int, float]:
    f = row.get(stat)
    if f is None or f.value is None:
        return (1, 0.0)
    return (0, -float(f.value))


def _value_order(dim: str, values: list[str], config: Config) -> list[str]:
    if dim == "age_group":
        known = config.age_group_labels
        return sorted(values, key=lambda v: known.index(v) if v in known else len(known))
    return sorted(values, key=lambda v: (v in ("u", "unknown"), v))


def _section(ind: Indicator, model: ReportModel, idx: _Index) -> Section:
    head = ind.headline
    stats = TABLE_STATISTICS.get(ind.id, (head,))
    top, day = model.area.id, model.census_date
    key = [f for s in ind.statistics if not s.startswith(("band_", "on_census_band_"))
           if (f := idx.get(ind.id, s, top, day)) is not None]
    breakdowns = []
    for dim in REPORT_BREAKDOWNS:
        values = _value_order(dim, idx.values.get((ind.id, dim), []), model.config)
        rows = [idx.row(ind.id, stats, top, day, dim, v, v) for v in values]
        rows = [r for r in rows if r.figures]
        if rows:
            breakdowns.append(Breakdown(dim, rows))
    levels = []
    by_depth: dict[int, list[Area]] = defaultdict(list)
    for a in model.areas.values():
        if a.depth:
            by_depth[a.depth].append(a)
    for depth in sorted(by_depth):
        rows = [idx.row(ind.id, stats, a.id, day, "", "", a.id) for a in by_depth[depth]]
        rows = sorted((r for r in rows if r.figures), key=lambda r: _sort_key(r, head))
        if rows:
            levels.append(AreaLevel(depth, by_depth[depth][0].level, rows))
    trend = [f for d in model.dates if (f := idx.get(ind.id, head, top, d)) is not None]
    bands: list[tuple[str, Figure | None, Figure | None]] = []
    if f"band_{BANDS[0]}" in ind.statistics:
        bands = [(b, idx.get(ind.id, f"band_{b}", top, day),
                  idx.get(ind.id, f"on_census_band_{b}", top, day)) for b in BANDS]
    return Section(ind, head, stats, key, breakdowns, levels, trend, bands)


def build_model(catalogue: Catalogue, config: Config, census_date: date,
                figures: dict[date, list[Figure]], parents: dict[str, str | None],
                area_rows: Iterable[tuple[str, str, str, str | None]], top: str,
                manifests: dict[date, Manifest | None] | None = None) -> ReportModel:
    """Arrange the published figures of each census date into the report's sections.

    `area_rows` are (area_id, name, level, parent_id) from the areas register; `top` is the
    report's area."""
    areas = _areas(area_rows, top, parents)
    model = ReportModel(catalogue, config, census_date, sorted(figures), areas[top], areas,
                        figures, manifests or {})
    idx = _Index(figures)
    model.sections = [_section(ind, model, idx) for ind in catalogue]
    return model
