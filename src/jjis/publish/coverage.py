"""Coverage: for each indicator and area, how many registered sources of the needed kind sent
data for the period or census date (indicators.md, "Quality and publication").

A source is *registered* when `facilities` lists it with a needed kind and it was open at some
time in the period (opened empty or <= C; closed empty or after the period's first day; 13b: open
on C). It *reported* when the indicator's register has at least one row of it for the period,
or it sent an aggregate return of one of the indicator's measures (snapshot measures: for C;
period measures: for a period overlapping the period). A return counts as a source that reported,
whatever the kind of the facility that sent it. A return for an area reports for the registered
sources of that area and below it; an area with such a return and no registered source of the
needed kind has its return as its one source. An area counts the sources of its own facilities
and of every area below it. The kinds of source and their SQL are store/coverage.py's, plain
SQL that runs on every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from jjis import notes
from jjis.indicators.base import Areas
from jjis.indicators.catalogue import Catalogue, load_catalogue
from jjis.indicators.periods import Period
from jjis.indicators.results import Figure
from jjis.settings import Config
from jjis.store import Store, registers
from jjis.store.coverage import SOURCES, Source, registered, returns


@dataclass(frozen=True)
class Need:
    """What an indicator needs (from its catalogue entry): its kind of source and the
    aggregate-return measures whose senders count as sources that reported."""

    source: Source
    measures: tuple[str, ...] = ()


def needs(catalogue: Catalogue) -> dict[int, Need]:
    """Indicator -> its need, for every entry that names a kind of source."""
    return {ind.id: Need(SOURCES[ind.source], ind.measures) for ind in catalogue if ind.source}


def period_start(census_date: date) -> date:
    """The first day of the 12 months ending on the census date (the indicators' period)."""
    return Period(census_date).start


def _sources(registered: list[tuple[str, str, bool]], returns: list[tuple[str | None, str]],
             chain: Callable[[str], list[str]]) -> dict[str, tuple[str, bool]]:
    """Every source, keyed by facility (or `area:<id>` for an area's own return): its area and
    whether it reported. An area return reports for the registered sources of that area and
    below; where it has none, the area's return is the area's source."""
    returning = {a for f, a in returns if f is None}
    sources = {f: (a, ok or bool(returning & set(chain(a)))) for f, a, ok in registered}
    for f, a in returns:
        if f is not None:
            sources[f] = (a, True)  # a return counts as a source that reported, of any kind
    covered = {x for a, _ in sources.values() for x in chain(a)}
    for a in returning - covered:
        sources[f"area:{a}"] = (a, True)
    return sources


def coverage(store: Store, config: Config, census_date: date
             ) -> dict[tuple[int, str], tuple[int, int]]:
    """(indicator, area) -> (sources that reported, sources registered), for every indicator
    whose entry names a kind of source."""
    parents = area_parents(store)
    chain = Areas(parents).chain
    out: dict[tuple[int, str], tuple[int, int]] = {}
    for indicator, sources in sources_by_indicator(store, config, census_date, chain).items():
        counts = {a: [0, 0] for a in parents}
        for area, sent in sources.values():
            for a in chain(area):
                counts.setdefault(a, [0, 0])
                counts[a][0] += int(sent)
                counts[a][1] += 1
        for area, (reported, expected) in counts.items():
            out[(indicator, area)] = (reported, expected)
    return out


def sources_by_indicator(store: Store, config: Config, census_date: date,
                         chain: Callable[[str], list[str]]
                         ) -> dict[int, dict[str, tuple[str, bool]]]:
    """Indicator -> every source of the needed kind (keyed by facility, or `area:<id>` for an
    area's own return): its area and whether it reported. Coverage and timeliness both count
    these."""
    start = period_start(census_date)
    detention = tuple(config["indicators.detention_kinds"])
    return {indicator: _sources(registered(store, need.source, need.measures,
                                           need.source.kinds or detention, start, census_date),
                                returns(store, need.measures, start, census_date), chain)
            for indicator, need in needs(load_catalogue(config)).items()}


def area_parents(store: Store) -> dict[str, str | None]:
    """Each area's parent (None for the top), for `publish(..., parents=...)`."""
    return {str(a): (None if p is None else str(p)) for a, p in registers.area_parents(store)}


def apply_coverage(figures: Iterable[Figure],
                   cover: dict[tuple[int, str], tuple[int, int]]) -> None:
    """Fill coverage_reported / coverage_expected; a note where coverage is not full."""
    for figure in figures:
        if figure.unit == "answer" or (figure.indicator, figure.area) not in cover:
            continue
        reported, expected = cover[(figure.indicator, figure.area)]
        figure.coverage_reported, figure.coverage_expected = reported, expected
        if expected == 0:
            note = notes.note("no-source")
        elif reported < expected:
            note = notes.note("coverage", reported=reported, expected=expected)
        else:
            continue
        figure.note = notes.join(figure.note, note)
