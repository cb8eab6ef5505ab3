"""Coverage: for each indicator and area, how many registered sources of the needed kind sent
data for the period or census date (indicators.md, "Quality and publication").

A source is *registered* when `facilities` lists it with a needed kind and it was open at some
time in the period (opened empty or <= C; closed empty or after the period's first day; 13b: open
on C). It *reported* when the indicator's register has at least one row of it for the period,
or it sent an aggregate return of one of the indicator's measures (snapshot measures: for C;
period measures: for a period overlapping the period). An area counts the sources of its own
facilities and of every area below it. The SQL is plain and runs on DuckDB and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from jjis.indicators.results import Figure
from jjis.schema import codes
from jjis.settings import Config
from jjis.store import Store

AUTHORITY_KINDS = ("police_station", "prosecutor", "court")  # decide diversion (10)
SENTENCING_KINDS = ("court",)  # only courts sentence (9)
ARRESTING = ("police_station", "police_lockup")


@dataclass(frozen=True)
class Need:
    """What an indicator needs: the kinds of source, and what counts as having reported."""

    kinds: tuple[str, ...] | None  # None: the configured places of detention
    reported: str  # SQL condition on facility f; ? = period start, census date
    params: int  # how many (period start, census date) pairs `reported` takes
    measures: tuple[str, ...] = ()
    open_on_census_date: bool = False


def _rows(table: str, column: str) -> str:
    return f"f.facility_id IN (SELECT facility_id FROM {table} WHERE {column} BETWEEN ? AND ?)"


_STAYS = ("f.facility_id IN (SELECT facility_id FROM detentions WHERE admission_date <= ? "
          "AND (release_date IS NULL OR release_date >= ?))")

NEEDS: dict[int, Need] = {
    1: Need(ARRESTING, _rows("arrests", "arrest_date"), 1, ("arrested",)),
    2: Need(None, _STAYS, 1, ("in_detention",)),
    3: Need(None, _STAYS, 1, ("in_pre_sentence_detention",)),
    4: Need(None, _STAYS, 1),
    5: Need(None, _STAYS, 1),
    6: Need(None, _STAYS, 1, ("deaths",)),
    7: Need(None, _STAYS, 1, ("not_wholly_separated",)),
    8: Need(None, _STAYS, 1, ("with_family_contact",)),
    9: Need(SENTENCING_KINDS, _rows("decisions", "decision_date"), 1,
            ("sentenced", "custodial_sentences")),
    10: Need(AUTHORITY_KINDS, _rows("decisions", "decision_date"), 1,
             ("diverted_or_sentenced", "diverted")),
    11: Need(None, _STAYS, 1, ("released", "released_with_aftercare")),
    12: Need(None, _rows("inspections", "inspection_date"), 1),
    13: Need(None, "f.complaints_system IS NOT NULL", 0, open_on_census_date=True),
}

_TREE = f"""WITH RECURSIVE tree (ancestor, area_id, depth) AS (
    SELECT area_id, area_id, 0 FROM areas
    UNION ALL
    SELECT t.ancestor, a.area_id, t.depth + 1 FROM tree t JOIN areas a ON a.parent_id = t.area_id
    WHERE t.depth < {codes.MAX_AREA_DEPTH}
)"""  # the depth guard: a cycle of areas stored all the same cannot make this run for ever


def period_start(census_date: date) -> date:
    """The first day of the 12 months ending on the census date."""
    try:
        return census_date.replace(year=census_date.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return census_date.replace(year=census_date.year - 1, day=28) + timedelta(days=1)


def _aggregate_sql(measures: tuple[str, ...]) -> str:
    snap = [m for m in measures if m in codes.SNAPSHOT_MEASURES]
    per = [m for m in measures if m not in codes.SNAPSHOT_MEASURES]
    parts = []
    if snap:
        parts.append(f"(measure IN ({', '.join(repr(m) for m in snap)}) AND census_date = ?)")
    if per:
        parts.append(f"(measure IN ({', '.join(repr(m) for m in per)}) "
                     "AND period_start <= ? AND period_end >= ?)")
    return ("f.facility_id IN (SELECT facility_id FROM aggregate_returns WHERE facility_id IS "
            f"NOT NULL AND ({' OR '.join(parts)}))")


def _query(need: Need, kinds: tuple[str, ...], start: date, census: date
           ) -> tuple[str, list[object]]:
    reported = need.reported
    params: list[object] = []
    if need.reported == _STAYS:
        params += [census, start]
    else:
        params += [start, census] * need.params
    if need.measures:
        reported = f"({reported} OR {_aggregate_sql(need.measures)})"
        if any(m in codes.SNAPSHOT_MEASURES for m in need.measures):
            params.append(census)
        if any(m not in codes.SNAPSHOT_MEASURES for m in need.measures):
            params += [census, start]
    open_from = census if need.open_on_census_date else start
    sql = f"""{_TREE}
SELECT t.ancestor, count(f.facility_id),
       count(CASE WHEN {reported} THEN f.facility_id END)
FROM tree t LEFT JOIN facilities f
  ON f.area_id = t.area_id AND f.kind IN ({', '.join(repr(k) for k in kinds)})
  AND (f.opened IS NULL OR f.opened <= ?) AND (f.closed IS NULL OR f.closed > ?)
GROUP BY t.ancestor"""
    # the CASE's parameters come first in the text, then the ON clause's
    return sql, [*params, census, open_from]


def coverage(store: Store, config: Config, census_date: date
             ) -> dict[tuple[int, str], tuple[int, int]]:
    """(indicator, area) -> (sources that reported, sources registered), indicators 1 to 13."""
    start = period_start(census_date)
    detention = tuple(config["indicators.detention_kinds"])
    out: dict[tuple[int, str], tuple[int, int]] = {}
    for indicator, need in NEEDS.items():
        sql, params = _query(need, need.kinds or detention, start, census_date)
        for area, expected, reported in store.fetchall(sql, params):
            out[(indicator, str(area))] = (int(reported), int(expected))
    return out


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
            note = "no source of the kind this indicator needs is registered in this area"
        elif reported < expected:
            note = f"coverage: {reported} of {expected} registered sources sent data"
        else:
            continue
        figure.note = f"{figure.note}; {note}" if figure.note else note
