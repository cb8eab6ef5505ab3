"""The statistics of each indicator, from the counts of one area and breakdown value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jjis.indicators.catalogue import Indicator
from jjis.indicators.durations import BANDS
from jjis.indicators.figures import SCALE, FigureBuilder, _ratio
from jjis.indicators.results import Figure
from jjis.notes import join, note

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
                     value=_ratio(num, pop, SCALE[ind.unit(stat)]),
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
        _add_note(rate, note("arrests-without-children", areas=", ".join(no_children)).text)
    if no_events:
        _add_note(count, note("children-without-arrests", areas=", ".join(no_events)).text)
    return [rate, count]


def _add_note(f: Figure, text: str) -> None:
    f.note = join(f.note, text)


def detained(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    c = b.cells.get("snapshot", area, dim, value)
    return [_rate(b, ind, "rate", area, dim, value, c.get("child", 0), c, **_ages(c))]


def pre_sentence(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str
                 ) -> list[Figure]:
    c = b.cells.get("snapshot", area, dim, value)
    pre, child = c.get("pre", 0), c.get("child", 0)
    return [
        _rate(b, ind, "rate", area, dim, value, pre, c, **_ages(c)),
        b._share(ind, "share_of_detained", area, dim, value, pre, child, c),
    ]


def duration(query: str) -> Maker:
    def make(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
        c = b.cells.get(query, area, dim, value)
        n = c.get("count", 0)
        median = c.get("median_days") if n else None
        out = [
            b._figure(ind, "count", area, dim, value, numerator=n, value=n, **_ages(c),
                      note=b._notes(ind, area, c)),
            b._figure(ind, "median_days", area, dim, value, denominator=n, value=median),
            b._figure(ind, "mean_days", area, dim, value, numerator=c.get("days", 0),
                      denominator=n, value=_ratio(c.get("days", 0), n, 1.0)),
        ]
        for prefix in ("band_", "on_census_band_"):
            for *_, name in BANDS:
                k = c.get(f"{prefix}{name}", 0)
                out.append(b._figure(ind, f"{prefix}{name}", area, dim, value, numerator=k,
                                     value=k))
        return out

    return make


def died(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    c = b.cells.get("deaths", area, dim, value)
    census = b.cells.get("snapshot", area, dim, value).get("child", 0)
    d = c.get("deaths", 0)
    adp = c.get("held_days", 0) / b.src.period.days
    return [
        b._share(ind, "rate", area, dim, value, d, c.get("detained", 0), c, **_ages(c)),
        b._share(ind, "rate_census", area, dim, value, d, census, c),
        b._share(ind, "rate_average_daily_population", area, dim, value, d, adp, c),
    ]


def separated(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    c = b.cells.get("snapshot", area, dim, value)
    return [b._share(ind, "percent", area, dim, value, c.get("sep_num", 0), c.get("sep_den", 0),
                     c, unknown=int(c.get("sep_unknown", 0)), **_ages(c))]


def family(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
    c = b.cells.get("snapshot", area, dim, value)
    f = b._share(ind, "percent", area, dim, value, c.get("contact_num", 0),
                 c.get("contact_den", 0), c, **_ages(c))
    short = int(c.get("short_stay", 0))
    if short:
        f.note = join(f.note, note("short-stays-left-out", n=short))
    return [f]


def share(query: str) -> Maker:
    def make(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
        c = b.cells.get(query, area, dim, value)
        unknown = int(c["unknown"]) if "unknown" in c else (0 if query == "aftercare" else None)
        return [b._share(ind, "percent", area, dim, value, c.get("num", 0), c.get("den", 0), c,
                         **_ages(c), unknown=unknown)]

    return make


def places(num: str, den: str) -> Maker:
    def make(b: FigureBuilder, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
        c = b.cells.get("places", area, dim, value)
        out = []
        if area == b.top and not dim:
            out.append(b._answer(ind, "part_a"))
        out.append(b._share(ind, "part_b", area, dim, value, c.get(num, 0), c.get(den, 0), c))
        return out

    return make


FIGURES: dict[int, Maker] = {
    1: arrested, 2: detained, 3: pre_sentence,
    4: duration("pre_sentence_duration"), 5: duration("sentenced_duration"),
    6: died, 7: separated, 8: family,
    9: share("sentencing"), 10: share("diversion"), 11: share("aftercare"),
    12: places("inspected", "open_in_period"), 13: places("complaints", "open_on_census"),
}
