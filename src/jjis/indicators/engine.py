"""The engine: every indicator for a census date, the chosen area and every area below it.

Per query the catalogue names (indicators sharing their units name the same query), one Ibis
expression builds the counting units once (children, periods of detention, places), joins them to
the area closure and sums them per area and breakdown value: all areas in one query. Queries
register themselves by name (registry.py); the catalogue's entries name them and the modules that
register them. Aggregate returns, populations and policy answers are small and combined in Python
(figures.py; the entry's type chooses how, figures_by_indicator.py). Nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jjis.errors import JjisError
from jjis.indicators import aggregates, backend, plans, policy
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
from jjis.store.arrow import arrow_schema, arrow_table


@dataclass
class ComputeResult:
    figures: list[Figure]
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)  # typed (jjis.notes), shown at the edge
    problems: list[Note] = field(default_factory=list)  # the run's exit code is 1 when any
    catalogue_version: str = ""
    parents: dict[str, str | None] = field(default_factory=dict)  # the area hierarchy
    compiled: tuple[str, ...] = ()  # the statements compiled in this run (not from a plan)


def load_areas(con: Any) -> Areas:
    """The areas register (`con`: the run's Runner, or an Ibis backend)."""
    rows = backend.run_rows(con, "areas",
                            lambda: con.table("areas").select("area_id", "parent_id"))
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


def _closure(src: Sources) -> Any:
    """(member, area) as rows: every member area paired with each computed area it lies in."""
    pairs = [(m, a) for m in src.areas.ids for a in src.areas.chain(m) if a in src.scope]
    return arrow_table({"member": [p[0] for p in pairs], "area": [p[1] for p in pairs]},
                       arrow_schema([("member", "VARCHAR"), ("area", "VARCHAR")]))


def _query_builder(src: Sources, catalogue: Catalogue, runner: backend.Runner, name: str,
                   by: Sequence[str], inputs: Inputs) -> Callable[[], Any]:
    readers = catalogue.reading(name)
    allowed = {d for i in readers for d in catalogue[i].breakdowns}
    dims = [d for d in by if set(parts(d)) <= allowed]

    def build() -> Any:
        units = QUERIES[name](inputs)
        return Query(name, readers, units.table, runner.ref("closure"), dims, units.sums,
                     units.stats).expr

    build.dims = tuple(dims)  # type: ignore[attr-defined]
    return build


def _queries(src: Sources, catalogue: Catalogue, runner: backend.Runner,
             by: Sequence[str]) -> dict[str, Callable[[], Any]]:
    """The statement of each query the catalogue names (by its name), each broken down by the
    breakdowns in `by` that any indicator reading it allows. The detention spells (read by most
    of them) are computed once into a temporary table; the area closure is one made of this
    run's areas."""
    runner.provide("closure", _closure(src))
    runner.temp("spells", lambda: with_spells(src))
    inputs = Inputs(src, lambda: runner.ref("spells"))
    return {name: _query_builder(src, catalogue, runner, name, by, inputs)
            for name in catalogue.queries}


def _start(store: Store, config: Config, census_date: date, area: str | None,
           runner: backend.Runner) -> tuple[Sources, str]:
    areas = load_areas(runner)
    top = _top_area(areas, area)
    return Sources(runner, config, Period(census_date), areas, areas.subtree(top)), top


def runner_for(store: Store, config: Config, census_date: date, by: Sequence[str],
               cache: plans.Cache | None | bool = True) -> tuple[backend.Runner, Any]:
    """The run's Runner, on the plan the cache keeps for these inputs (`cache`: True for the
    default cache, a Cache, or False/None for none: everything compiled now)."""
    chosen = plans.default_cache() if cache is True else (cache or None)
    if chosen is None:
        return backend.Runner(store), None
    key = plans.plan_key(store, config, load_catalogue(config), census_date, by)
    return backend.Runner(store, chosen.load(key)), (chosen, key)


def explain(store: Store, config: Config, census_date: date, area: str | None = None,
            by: Sequence[str] = (), *, cache: plans.Cache | None | bool = True) -> dict[str, str]:
    """The SQL the run sends to the engine, statement by statement in the order it runs them,
    by a title naming the statement (and the indicators a query serves): the statements of the
    plan kept for these inputs, as kept. Where the cache has none (or keeps none), the plan is
    compiled by computing once (nothing is written to the store; the plan is kept as a run
    keeps it). A temporary table a statement reads is made by the statement of its name
    (jjis_tmp_spells: the spells), except jjis_tmp_closure, the area closure, made from the
    areas read in each run."""
    catalogue = load_catalogue(config)
    dims = _check_by(by)
    runner, kept = runner_for(store, config, census_date, dims, cache)
    if not runner.plan:
        _run(store, config, census_date, area, dims, runner, catalogue)
        if kept is not None:
            kept[0].save(kept[1], runner.plan)
    temps = {r for statement in runner.plan.values() for r in statement["reads"]}
    out = {}
    for name, statement in runner.plan.items():
        notes = [f"reads {', '.join(statement['reads'])}"] if statement["reads"] else []
        notes += [f"with the constant table {t} ({len(next(iter(rows['rows'].values()), []))} "
                  "rows)" for t, rows in statement["memtables"].items()]
        out[_title(name, catalogue, temps) + "".join(f"\n-- {n}" for n in notes)] = \
            statement["sql"]
    return out


def _title(name: str, catalogue: Catalogue, temps: set[str]) -> str:
    if name.startswith("query."):
        query = name.removeprefix("query.")
        return f"{query} (indicators {', '.join(map(str, catalogue.reading(query)))})"
    if backend.TEMP + name in temps:
        return f"{name} (the temporary table {backend.TEMP}{name})"
    if name == "policy":
        answered = ", ".join(f"{i.id}a" if i.query else str(i.id)  # part (a) beside a query
                             for i in catalogue if i.type is Type.POLICY)
        return f"policy (indicators {answered})"
    return name


def compute(store: Store, config: Config, census_date: date, area: str | None = None,
            by: Sequence[str] = (), *, cache: plans.Cache | None | bool = True,
            mode: str = "sql", read: Callable[[], None] | None = None) -> ComputeResult:
    """Compute the catalogue's indicators for `area` (the top area by default) and every area
    below it, the total and one set of figures per breakdown in `by`. Writes nothing to the
    store; the plan of the run (its compiled SQL) is kept in `cache` (indicators/plans.py; the
    default cache unless False). `mode="ibis"` runs the expressions through Ibis, no plan.
    `read` is called once every statement has run, before the figures are built from their
    rows (Python's work, the engine idle: a caller's own reads may run beside it then)."""
    catalogue = load_catalogue(config)
    dims = _check_by(by)
    if mode == "ibis":
        runner, kept = backend.Runner(store, mode="ibis"), None
    else:
        runner, kept = runner_for(store, config, census_date, dims, cache)
    result = _run(store, config, census_date, area, dims, runner, catalogue, read)
    if kept is not None and runner.compiled:
        kept[0].save(kept[1], runner.plan)
    return result


def _run(store: Store, config: Config, census_date: date, area: str | None,
         dims: tuple[str, ...], runner: backend.Runner, catalogue: Catalogue,
         read: Callable[[], None] | None = None) -> ComputeResult:
    src, top = _start(store, config, census_date, area, runner)
    builders = _queries(src, catalogue, runner, dims)
    cells = Cells()
    for name, build in builders.items():
        cells.add_rows(name, runner.rows(f"query.{name}", build))
    contributions = aggregates.collect(src)
    cells.add_contributions(contributions, src.areas, src.scope)
    population = Population.load(runner, src.areas, config, census_date)
    builder = FigureBuilder(catalogue, src, cells, population, contributions, top,
                            policy.answers(runner, census_date, catalogue.of_type(Type.POLICY)),
                            {name: b.dims for name, b in builders.items()})  # type: ignore[attr-defined]
    if read is not None:
        read()
    figures = build_figures(builder, catalogue)
    return ComputeResult(
        figures=figures,
        overlaps=contributions.overlaps,
        warnings=builder.warnings,
        problems=builder.problems,
        catalogue_version=catalogue.version,
        parents=dict(src.areas.parent),
        compiled=tuple(runner.compiled),
    )
