"""The figures of each indicator, from the counts of one area and breakdown value.

The entry's type chooses the function (`maker_of`, exhaustive over catalogue.Type); an entry whose
figures follow a rule of their own in the manual names a hook (`figures = "module:function"`),
one of the functions below for the fifteen or a function of an extra catalogue's module. A maker
reads the query columns the entry names (`columns`) and makes the entry's statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, assert_never

from jjis.indicators.catalogue import Catalogue, Indicator, Type
from jjis.indicators.durations import BANDS
from jjis.indicators.figures import SCALE, FigureBuilder, ratio
from jjis.indicators.results import Figure
from jjis.notes import Note, join, note

Maker = Callable[[FigureBuilder, Indicator, str, str, str], list[Figure]]


def _ages(c: dict[str, float]) -> dict[str, int]:
    """Persons left out as 18 or older, and children counted whose age was unknown."""
    return {"over_age": int(c.get("over_age", 0)), "unknown_age": int(c.get("unknown_age", 0))}


def _rate(b: FigureBuilder, ind: Indicator, stat: str, area: str, dim: str, bval: str,
          num: float, c: dict[str, float], **fields: Any) -> Figure:
    pop, why = b._population(area, dim, bval)
    if pop == 0:
        why = join(why, note("population-zero"))
    return b._figure(ind, stat, area, dim, bval, numerator=num, denominator=pop,
                     value=ratio(num, pop, SCALE[ind.unit(stat)]),
                     note=b._notes(ind, area, c, why), **fields)


def arrested(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    c = b.cells.get("arrests", area, dim, value)
    no_children = b.not_given("arrests", "child", area)
    no_events = b.not_given("arrests", "events", area)
    events = None if no_events else int(c.get("events", 0))
    rate = _rate(b, ind, "rate", area, dim, value, c.get("child", 0), c, **_ages(c),
                 events=events)
    count = b._figure(ind, "events", area, dim, value, numerator=events, value=events)
    if no_children:
        rate.value = None
        _add_note(rate, note("arrests-without-children", areas=", ".join(no_children)))
    if no_events:
        _add_note(count, note("children-without-arrests", areas=", ".join(no_events)))
    return [rate, count]


def _add_note(f: Figure, n: Note) -> None:
    f.note = join(f.note, n)


def _cells(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str
           ) -> dict[str, float]:
    return b.cells.get(ind.query or "", area, dim, value)


def rate(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    """The entry's numerator column over the child population."""
    c = _cells(b, ind, area, dim, value)
    return [_rate(b, ind, ind.headline, area, dim, value, c.get(ind.columns["numerator"], 0), c,
                  **_ages(c))]


def count(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    """The entry's numerator column, as it is."""
    c = _cells(b, ind, area, dim, value)
    n = c.get(ind.columns["numerator"], 0)
    return [b._figure(ind, ind.headline, area, dim, value, numerator=n, value=n, **_ages(c),
                      note=b._notes(ind, area, c))]


def share(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    """The entry's numerator column over its denominator column; `unknown` where it names one
    (else the figure has no count of unknowns)."""
    c = _cells(b, ind, area, dim, value)
    col = ind.columns
    unknown = int(c.get(col["unknown"], 0)) if "unknown" in col else None
    return [b._share(ind, ind.headline, area, dim, value, c.get(col["numerator"], 0),
                     c.get(col["denominator"], 0), c, **_ages(c), unknown=unknown)]


def pre_sentence(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str
                 ) -> list[Figure]:
    """Indicator 3: a rate, and the same count as a share of the children in detention."""
    c = _cells(b, ind, area, dim, value)
    pre, child = c.get(ind.columns["numerator"], 0), c.get(ind.columns["denominator"], 0)
    return [
        _rate(b, ind, "rate", area, dim, value, pre, c, **_ages(c)),
        b._share(ind, "share_of_detained", area, dim, value, pre, child, c),
    ]


def duration(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str
             ) -> list[Figure]:
    """The cohort's count, median and mean days, and the bands (durations.py's columns)."""
    c = _cells(b, ind, area, dim, value)
    n = c.get("count", 0)
    median = c.get("median_days") if n else None
    out = [
        b._figure(ind, "count", area, dim, value, numerator=n, value=n, **_ages(c),
                  note=b._notes(ind, area, c)),
        b._figure(ind, "median_days", area, dim, value, denominator=n, value=median),
        b._figure(ind, "mean_days", area, dim, value, numerator=c.get("days", 0),
                  denominator=n, value=ratio(c.get("days", 0), n, 1.0)),
    ]
    for prefix in ("band_", "on_census_band_"):
        for *_, name in BANDS:
            k = c.get(f"{prefix}{name}", 0)
            out.append(b._figure(ind, f"{prefix}{name}", area, dim, value, numerator=k,
                                 value=k))
    return out


def died(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    """Indicator 6: deaths per 1,000 of three denominators, one of them the children in
    detention on the census date of the query it shares (`shares`, the snapshot)."""
    c = _cells(b, ind, area, dim, value)
    census = b.cells.get(ind.shares[0], area, dim, value).get("child", 0)  # the snapshot's
    d = c.get("deaths", 0)
    adp = c.get("held_days", 0) / b.src.period.days
    return [
        b._share(ind, "rate", area, dim, value, d, c.get("detained", 0), c, **_ages(c)),
        b._share(ind, "rate_census", area, dim, value, d, census, c),
        b._share(ind, "rate_average_daily_population", area, dim, value, d, adp, c),
    ]


def family(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    """Indicator 8: a share, noting the children held less than three months left out."""
    [f] = share(b, ind, area, dim, value)
    c = _cells(b, ind, area, dim, value)
    short = int(c.get("short_stay", 0))
    if short:
        f.note = join(f.note, note("short-stays-left-out", n=short))
    return [f]


def policy(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    """(a) the checklist's answer, once, for the top area; (b) a share of places of detention."""
    c = _cells(b, ind, area, dim, value)
    out = []
    if area == b.top and not dim:
        out.append(b._answer(ind, "part_a"))
    out.append(b._share(ind, "part_b", area, dim, value, c.get(ind.columns["numerator"], 0),
                        c.get(ind.columns["denominator"], 0), c))
    return out


def maker_of(type_: Type) -> Maker:
    """The function that makes the figures of an indicator of this type, per area and
    breakdown value."""
    match type_:
        case Type.RATE:
            return rate
        case Type.SHARE:
            return share
        case Type.DURATION:
            return duration
        case Type.COUNT:
            return count
        case Type.POLICY:
            return policy
        case _:
            assert_never(type_)


def figures_of(b: FigureBuilder, ind: Indicator) -> list[Figure]:
    """Every figure of one indicator: per area and breakdown value, by its hook or its type's
    maker; a policy indicator without a query is its checklist answer alone."""
    if ind.query is None:
        return [b._answer(ind, ind.headline)]
    make: Maker = ind.hook or maker_of(ind.type)
    out: list[Figure] = []
    for area in b.src.scope:
        for dim, value in b._breakdowns(ind):
            out += make(b, ind, area, dim, value)
    return out


def build_figures(b: FigureBuilder, catalogue: Catalogue) -> list[Figure]:
    """The figures of every indicator of the catalogue, in its order."""
    return [f for ind in catalogue for f in figures_of(b, ind)]
