"""The engine: every indicator for a census date, the chosen area and every area below it.

Per query the catalogue names (indicators sharing their units name the same query), one Ibis
expression builds the counting units once (children, periods of detention, places), joins them to
the area closure and sums them per area and breakdown value: all areas in one query. Queries
register themselves by name (registry.py); the catalogue's entries name them and the modules that
register them. Aggregate returns, populations and policy answers are small and combined in Python
(figures.py; the entry's type chooses how, figures_by_indicator.py). Nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jjis.errors import JjisError
from jjis.indicators import aggregates, backend, policy
from jjis.indicators.base import Areas, Sources, check_by, parts
from jjis.indicators.catalogue import Catalogue, Type, load_catalogue
from jjis.indicators.counting import Query
from jjis.indicators.figures import Cells, FigureBuilder
from jjis.indicators.figures_by_indicator import build_figures
from jjis.indicators.periods import Period
from jjis.indicators.population import Population
from jjis.indicators.registry import QUERIES, Inputs
from jjis.indicators.results import Figure
from jjis.indicators.spells import with_spells
from jjis.notes import Note
from jjis.settings import Config
from jjis.store import Store


@dataclass
class ComputeResult:
    figures: list[Figure]
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)  # typed (jjis.notes), shown at the edge
    problems: list[Note] = field(default_factory=list)  # the run's exit code is 1 when any
    catalogue_version: str = ""
    parents: dict[str, str | None] = field(default_factory=dict)  # the area hierarchy


def load_areas(con: Any) -> Areas:
    t = con.table("areas").select("area_id", "parent_id")
    rows = backend.rows(con, t)
    return Areas({r["area_id"]: r["parent_id"] for r in rows})


def _top_area(areas: Areas, area: str | None) -> str:
    if area is not None:
        if area not in areas.parent:
            raise JjisError(f"there is no area {area!r} in the areas register; give an area_id "
                            "that is there, or leave --area out for the whole country")
        return area
    roots = areas.roots()
    if len(roots) != 1:
        found = ", ".join(sorted(roots)) if roots else "none"
        raise JjisError(f"the areas register must have exactly one top area (found: {found}); "
                        "choose one with --area or import the areas register")
    return roots[0]


def _check_by(by: Sequence[str]) -> tuple[str, ...]:
    return check_by(by)  # single breakdowns, and cross ones (sex*age_group) after their margins


def build_queries(src: Sources, catalogue: Catalogue, by: Sequence[str],
                  materialize: bool = True) -> list[Query]:
    """The queries the catalogue names, each broken down by the breakdowns in `by` that any
    indicator reading it allows; with `materialize`, the detention spells (read by most of them)
    are computed once into a temporary table, else inlined (as --explain shows them)."""
    closure = src.closure()

    def spells() -> Any:
        s = with_spells(src)
        return backend.temp_table(src.con, "spells", s) if materialize else s

    inputs = Inputs(src, spells)
    out = []
    for name in catalogue.queries:
        readers = catalogue.reading(name)
        allowed = {d for i in readers for d in catalogue[i].breakdowns}
        units = QUERIES[name](inputs)
        out.append(Query(name, readers, units.table, closure, [d for d in by if set(parts(d)) <= allowed],
                         units.sums, units.stats))
    return out


def prepare(store: Store, config: Config, census_date: date, area: str | None,
            by: Sequence[str], materialize: bool = True) -> tuple[Sources, list[Query], str]:
    con = backend.connect(store)
    areas = load_areas(con)
    top = _top_area(areas, area)
    src = Sources(con, config, Period(census_date), areas, areas.subtree(top))
    queries = build_queries(src, load_catalogue(config), _check_by(by), materialize)
    return src, queries, top


def explain(store: Store, config: Config, census_date: date, area: str | None = None,
            by: Sequence[str] = ()) -> dict[str, str]:
    """The SQL of each query, by name (the indicators it serves are in the name's Query)."""
    src, queries, _ = prepare(store, config, census_date, area, by, materialize=False)
    out = {f"{q.name} (indicators {', '.join(map(str, q.indicators))})":
           backend.to_sql(q.expr, store.engine) for q in queries}
    answered = ", ".join(f"{i.id}a" if i.query else str(i.id)  # part (a) beside a query
                         for i in load_catalogue(config) if i.type is Type.POLICY)
    out[f"policy (indicators {answered})"] = backend.to_sql(
        policy.expression(src.con, census_date), store.engine)
    return out


def compute(store: Store, config: Config, census_date: date, area: str | None = None,
            by: Sequence[str] = ()) -> ComputeResult:
    """Compute the catalogue's indicators for `area` (the top area by default) and every area
    below it, the total and one set of figures per breakdown in `by`. Writes nothing."""
    catalogue = load_catalogue(config)
    src, queries, top = prepare(store, config, census_date, area, by)
    cells = Cells()
    for q in queries:
        cells.add_rows(q.name, backend.rows(src.con, q.expr))
    contributions = aggregates.collect(src)
    cells.add_contributions(contributions, src.areas, src.scope)
    population = Population.load(src.con, src.areas, config, census_date)
    builder = FigureBuilder(catalogue, src, cells, population, contributions, top,
                            policy.answers(src.con, census_date, catalogue.of_type(Type.POLICY)),
                            {q.name: q.dims for q in queries})
    figures = build_figures(builder, catalogue)
    return ComputeResult(
        figures=figures,
        overlaps=contributions.overlaps,
        warnings=builder.warnings,
        problems=builder.problems,
        catalogue_version=catalogue.version,
        parents=dict(src.areas.parent),
    )
