"""Counting units: events reduced to distinct children, and units summed over areas.

`per_child` applies the counting unit of indicators.md: a child counts once, is broken down by the
first qualifying event of the period, counts in a numerator if any qualifying event meets its
condition (or, for `last` measures, if the last one does). A person with no event as a child is
kept as one `over_age` unit so the number left out can be reported.

`by_area` sums unit columns for every computed area (through the area closure) and every value of
each requested breakdown: one query, all areas, one union branch per breakdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jjis.indicators.base import CROSS, parts
from jjis.indicators.periods import as_int, is_child_expr
from jjis.lazy import lazy

ibis = lazy("ibis")  # imported at the first expression built (jjis/lazy.py)

# columns every per-child table keeps: the person, the area and the breakdowns
KEEP = ("child_id", "area_id", "is_child", "estimated", "unknown_age", "sex", "age_group", "offence",
        "facility_kind", "legal_status")


def _as_int(x: Any) -> Any:
    return as_int(x) if x.type().is_boolean() else x.cast("int64")


def per_child(
    t: Any,
    order: Sequence[str],
    *,
    any_of: Sequence[str] = (),
    count_of: Sequence[str] = (),
    last_of: Sequence[str] = (),
    keep: Sequence[str] = (),
    flags: Callable[[Any], dict[str, Any]] | None = None,
) -> Any:
    """One row per person: the first event's columns (events ordered by the columns named in
    `order`), plus per-person measures.

    `t` has child_id, is_child (bool), estimated (bool) and the columns named in the measures.
    any_of: 1 when any event has the (boolean) column true; count_of: number of events where it
    is true; last_of: the column's value at the person's last event; keep: other columns to
    keep from the first event. The result has `child`
    (1 for a child, 0 for a person left out as over age), `over_age`, `estimated` and
    `unknown_age` (0/1: the first event's age was unknown, so the person counts as a child).

    With `flags` (base.person_flags), `t` has the age `age_now` in place of is_child,
    unknown_age and age_group, and `flags(age)` makes them once the person's first window is
    computed: PostgreSQL does not pull a subquery with a window function up into the query
    above it, so the age is computed once per row (and once more in that window), not once in
    every flag and every branch of the age group.
    """
    wanted = {*KEEP, *order, *any_of, *count_of, *last_of, *keep, "age_now"}
    t = t.select(*[c for c in t.columns if c in wanted])
    person = ibis.window(group_by=t.child_id)
    if flags is not None:
        child = ibis.ifelse(is_child_expr(t.age_now), 1, 0)  # never null: tested once
        t = t.mutate(_any_child=child.cast("int64").max().over(person))
        t = t.mutate(**flags(t.age_now)).drop("age_now")
    else:
        t = t.mutate(_any_child=_as_int(t.is_child).max().over(person))
    # the events of the person's kind (a child's events as a child; else all): `>=` is `==`
    # here (the maximum is at least each value), written so because PostgreSQL estimates an
    # equality on a window's result at 0.5% of the rows and an inequality at a third (the 0.5%
    # made it sort millions of rows it expected to be a few, further up)
    t = t.filter(_as_int(t.is_child) >= t._any_child)
    ordered = ibis.window(group_by=t.child_id, order_by=[t[o] for o in order])
    backwards = ibis.window(group_by=t.child_id, order_by=[t[o].desc() for o in order])
    t = t.mutate(_rn=ibis.row_number().over(ordered), _rn_last=ibis.row_number().over(backwards))
    person = ibis.window(group_by=t.child_id)
    measures: dict[str, Any] = {}
    for c in any_of:
        measures[c] = _as_int(t[c].fill_null(False)).max().over(person)
    for c in count_of:
        measures[c] = _as_int(t[c].fill_null(False)).sum().over(person)
    for c in last_of:
        value = _as_int(t[c])
        measures[c] = ibis.cases((t._rn_last == 0, value)).max().over(person)
    t = t.mutate(**measures).filter(t._rn <= 0)  # the first event (`<=`: see above)
    return t.mutate(
        child=t._any_child,
        over_age=1 - t._any_child,
        estimated=_as_int(t.estimated) * t._any_child,
        unknown_age=_as_int(t.unknown_age) * t._any_child,
    ).drop("_any_child", "_rn", "_rn_last")


def by_area(
    units: Any,
    closure: Any,
    dims: Sequence[str],
    sums: Sequence[str],
    stats: dict[str, Any] | None = None,
) -> Any:
    """Sum `sums` (and compute `stats`: name -> function of the joined table) per computed area,
    for the total and for each breakdown in `dims`. Columns: area, dim, value, sums..., stats...

    Each unit row is joined to every computed area it lies in, and repeated once per breakdown
    (the total being the breakdown ""), so one scan and one grouping give every figure. Where
    there are only sums (no median), they are first added up per member area, so that the
    closure join multiplies a few rows per area rather than every unit.

    A statistic that does not add up (a median) needs every unit's row under every area and
    breakdown: only the columns it reads go that way (the sums take the short way above), and
    the two are put together per area, breakdown and value (PostgreSQL sorts those rows for the
    median: the narrower they are, the less it writes to disk)."""
    if not stats:
        units = _per_member_area(units, dims, sums)
        j = units.join(closure, units.area_id == closure.member)
        return j.group_by(area=j.area, dim=j.dim, value=j.value).aggregate(
            **{s: j[s].sum() for s in sums})
    import ibis.expr.operations as ops

    read = {f.name for fn in stats.values() for f in fn(units).op().find(ops.Field)
            if f.rel == units.op()}  # the units' columns the statistics read
    columns = dict.fromkeys(["area_id", *(n for d in dims for n in parts(d)), *sorted(read)])
    spread = _spread(units.select(*columns), closure, dims)
    figures = spread.group_by("area", "dim", "value").aggregate(
        **{name: fn(spread).cast("float64") for name, fn in stats.items()})
    totals = by_area(units, closure, dims, sums)
    both = ibis.union(
        totals.mutate(**{name: ibis.null("float64") for name in stats}),
        figures.mutate(**{s: ibis.null("int64") for s in sums}).select(*totals.columns, *stats))
    return both.group_by("area", "dim", "value").aggregate(
        **{s: both[s].sum() for s in sums}, **{name: both[name].max() for name in stats})


def _spread(units: Any, closure: Any, dims: Sequence[str]) -> Any:
    """Every unit row under every computed area it lies in and once per breakdown (the total
    being the breakdown ""), with its area, dim and value."""
    j = units.join(closure, units.area_id == closure.member)
    if dims:
        j = j.cross_join(ibis.memtable({"dim": ["", *dims]}, schema={"dim": "string"}))
        value = ibis.cases(*[(j.dim == d, _value(j, d)) for d in dims], else_="")
    else:
        j = j.mutate(dim=ibis.literal("", type="string"))
        value = ibis.literal("", type="string")
    return j.mutate(value=value)


def _per_member_area(units: Any, dims: Sequence[str], sums: Sequence[str]) -> Any:
    """The sums per area of the units, total and breakdown value (area_id, dim, value, sums):
    a few rows per area (PostgreSQL sorts what it groups; this keeps the sort small).

    The units are first added up per area and combination of the breakdown columns (a few
    thousand rows), and only those rows are repeated once per breakdown: PostgreSQL, which
    cannot estimate how many units the per-child windows leave, otherwise sorted every unit
    once per breakdown (1.9 million rows for the arrests of a 1M-children country)."""
    if dims:
        columns = list(dict.fromkeys(n for d in dims for n in parts(d)))
        units = units.group_by(["area_id", *columns]).aggregate(
            **{s: units[s].cast("int64").sum().cast("int64") for s in sums})
        u = units.cross_join(ibis.memtable({"dim": ["", *dims]}, schema={"dim": "string"}))
        value = ibis.cases(*[(u.dim == d, _value(u, d)) for d in dims], else_="")
    else:
        u = units.mutate(dim=ibis.literal("", type="string"))
        value = ibis.literal("", type="string")
    return u.group_by(area_id=u.area_id, dim=u.dim, value=value).aggregate(
        **{s: u[s].cast("int64").sum().cast("int64") for s in sums})


def _value(j: Any, dim: str) -> Any:
    """The breakdown value of a row: its `sex`, or `f*14_15` for the cross breakdown
    `sex*age_group` (grouped by both dimensions at once)."""
    names = parts(dim)
    if len(names) == 1:
        return j[dim].cast("string")
    cells = [j[n].cast("string").fill_null("unknown") for n in names]  # a pair is never null
    return cells[0].concat(*[x for c in cells[1:] for x in (CROSS, c)])


class Query:
    """One aggregated query behind one or more indicators: units summed per area and breakdown."""

    def __init__(self, name: str, indicators: tuple[int, ...], units: Any, closure: Any,
                 dims: Sequence[str], sums: Sequence[str], stats: dict[str, Any] | None = None):
        self.name = name
        self.indicators = indicators
        self.dims = tuple(dims)
        self.expr = by_area(units, closure, self.dims, sums, stats)


def flag(cond: Any) -> Any:
    """A condition as 0/1 (null counts as 0)."""
    return ibis.ifelse(cond.fill_null(False), 1, 0).cast("int64")


def units_of(t: Any, columns: Sequence[str], sums: Sequence[str]) -> Any:
    """The unit columns, the summed ones as int64 (so unions of unit tables line up)."""
    return t.select(*columns, **{s: t[s].cast("int64") for s in sums})
