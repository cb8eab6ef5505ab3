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
and of every area below it. The SQL is plain and runs on DuckDB and PostgreSQL.
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
from jjis.schema import codes
from jjis.settings import Config
from jjis.store import Store

AUTHORITY_KINDS = ("police_station", "prosecutor", "court")  # decide diversion (10)
SENTENCING_KINDS = ("court",)  # only courts sentence (9)
ARRESTING = ("police_station", "police_lockup")


@dataclass(frozen=True)
class Source:
    """A kind of source (catalogue.SOURCE_KINDS): the facility kinds, and what counts as having
    reported."""

    kinds: tuple[str, ...] | None  # None: the configured places of detention
    reported: str  # SQL condition on facility f; ? = period start, census date
    params: int  # how many (period start, census date) pairs `reported` takes
    open_on_census_date: bool = False


@dataclass(frozen=True)
class Need:
    """What an indicator needs (from its catalogue entry): its kind of source and the
    aggregate-return measures whose senders count as sources that reported."""

    source: Source
    measures: tuple[str, ...] = ()


def _rows(table: str, column: str) -> str:
    return f"f.facility_id IN (SELECT facility_id FROM {table} WHERE {column} BETWEEN ? AND ?)"


_STAYS = ("f.facility_id IN (SELECT facility_id FROM detentions WHERE admission_date <= ? "
          "AND (release_date IS NULL OR release_date >= ?))")

# Every kind of source an entry may name (catalogue.SOURCE_KINDS; a test checks both agree).
SOURCES: dict[str, Source] = {
    "arrests": Source(ARRESTING, _rows("arrests", "arrest_date"), 1),
    "detentions": Source(None, _STAYS, 1),
    "sentencing": Source(SENTENCING_KINDS, _rows("decisions", "decision_date"), 1),
    "deciding": Source(AUTHORITY_KINDS, _rows("decisions", "decision_date"), 1),
    "inspections": Source(None, _rows("inspections", "inspection_date"), 1),
    "complaints": Source(None, "f.complaints_system IS NOT NULL", 0, open_on_census_date=True),
}


def needs(catalogue: Catalogue) -> dict[int, Need]:
    """Indicator -> its need, for every entry that names a kind of source."""
    return {ind.id: Need(SOURCES[ind.source], ind.measures) for ind in catalogue if ind.source}


def period_start(census_date: date) -> date:
    """The first day of the 12 months ending on the census date (the indicators' period)."""
    return Period(census_date).start


def _window(measures: tuple[str, ...], start: date, census: date) -> tuple[str, list[object]]:
    """SQL condition (on aggregate_returns) for a return of `measures` for C or the period."""
    snap = [m for m in measures if m in codes.SNAPSHOT_MEASURES]
    per = [m for m in measures if m not in codes.SNAPSHOT_MEASURES]
    parts: list[str] = []
    params: list[object] = []
    if snap:
        parts.append(f"(measure IN ({', '.join(repr(m) for m in snap)}) AND census_date = ?)")
        params.append(census)
    if per:
        parts.append(f"(measure IN ({', '.join(repr(m) for m in per)}) "
                     "AND period_start <= ? AND period_end >= ?)")
        params += [census, start]
    return " OR ".join(parts), params


def _registered(store: Store, need: Need, kinds: tuple[str, ...], start: date, census: date
                ) -> list[tuple[str, str, bool]]:
    """(facility, area, sent register rows or its own return) of every registered source."""
    reported = need.source.reported
    params: list[object] = ([census, start] if reported == _STAYS
                            else [start, census] * need.source.params)
    if need.measures:
        window, more = _window(need.measures, start, census)
        reported = (f"({reported} OR f.facility_id IN (SELECT facility_id FROM aggregate_returns "
                    f"WHERE facility_id IS NOT NULL AND ({window})))")
        params += more
    open_from = census if need.source.open_on_census_date else start
    sql = (f"SELECT f.facility_id, f.area_id, CASE WHEN {reported} THEN 1 ELSE 0 END "
           f"FROM facilities f WHERE f.kind IN ({', '.join(repr(k) for k in kinds)}) "
           "AND (f.opened IS NULL OR f.opened <= ?) AND (f.closed IS NULL OR f.closed > ?)")
    return [(str(f), str(a), bool(r)) for f, a, r in
            store.fetchall(sql, [*params, census, open_from])]


def _returns(store: Store, need: Need, start: date, census: date
             ) -> list[tuple[str | None, str]]:
    """(facility or None, area) of every return of the indicator's measures."""
    if not need.measures:
        return []
    window, params = _window(need.measures, start, census)
    sql = ("SELECT DISTINCT r.facility_id, coalesce(f.area_id, r.area_id) FROM aggregate_returns r "
           f"LEFT JOIN facilities f ON f.facility_id = r.facility_id WHERE {window}")
    return [(None if f is None else str(f), str(a)) for f, a in store.fetchall(sql, params)]


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
    return {indicator: _sources(_registered(store, need, need.source.kinds or detention, start,
                                            census_date),
                                _returns(store, need, start, census_date), chain)
            for indicator, need in needs(load_catalogue(config)).items()}


def area_parents(store: Store) -> dict[str, str | None]:
    """Each area's parent (None for the top), for `publish(..., parents=...)`."""
    return {str(a): (None if p is None else str(p))
            for a, p in store.fetchall("SELECT area_id, parent_id FROM areas")}


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
