"""The queries of coverage and timeliness (publish/coverage.py, publish/timeliness.py): the kinds
of source an indicator's entry may name, with the SQL condition that says a source reported; the
registered sources and the aggregate returns of a period; the arrivals of the sources' data
(`source_arrivals`). Plain SQL that runs on every engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jjis.schema import codes
from jjis.store.base import Store

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


def registered(store: Store, source: Source, measures: tuple[str, ...], kinds: tuple[str, ...],
               start: date, census: date) -> list[tuple[str, str, bool]]:
    """(facility, area, sent register rows or its own return) of every registered source of the
    `kinds`: open at some time from `start` to `census` (on `census` when the source says so);
    reported when `source.reported` holds for it or it sent a return of one of `measures`."""
    reported = source.reported
    params: list[object] = ([census, start] if reported == _STAYS
                            else [start, census] * source.params)
    if measures:
        window, more = _window(measures, start, census)
        reported = (f"({reported} OR f.facility_id IN (SELECT facility_id FROM aggregate_returns "
                    f"WHERE facility_id IS NOT NULL AND ({window})))")
        params += more
    open_from = census if source.open_on_census_date else start
    sql = (f"SELECT f.facility_id, f.area_id, CASE WHEN {reported} THEN 1 ELSE 0 END "
           f"FROM facilities f WHERE f.kind IN ({', '.join(repr(k) for k in kinds)}) "
           "AND (f.opened IS NULL OR f.opened <= ?) AND (f.closed IS NULL OR f.closed > ?)")
    return [(str(f), str(a), bool(r)) for f, a, r in
            store.fetchall(sql, [*params, census, open_from])]


def returns(store: Store, measures: tuple[str, ...], start: date, census: date
            ) -> list[tuple[str | None, str]]:
    """(facility or None, area) of every return of `measures` for `census` (snapshot
    measures) or for a period overlapping `start` to `census`."""
    if not measures:
        return []
    window, params = _window(measures, start, census)
    sql = ("SELECT DISTINCT r.facility_id, coalesce(f.area_id, r.area_id) FROM aggregate_returns r "
           f"LEFT JOIN facilities f ON f.facility_id = r.facility_id WHERE {window}")
    return [(None if f is None else str(f), str(a)) for f, a in store.fetchall(sql, params)]


def record_arrivals(store: Store, table: str, column: str, import_id: int, arrived_at: str) -> None:
    """Record, per source, the months of the register's date `column` that it holds and that no
    earlier import brought (the month as year * 12 + month - 1), as arrived with `import_id` at
    `arrived_at` (a TIMESTAMP's text)."""
    month = (f"CAST(extract(year FROM {column}) AS INTEGER) * 12 + "
             f"CAST(extract(month FROM {column}) AS INTEGER) - 1")
    store.execute(
        f"INSERT INTO source_arrivals (facility_id, table_name, month, import_id, "
        f"arrived_at) SELECT DISTINCT facility_id, '{table}', {month}, ?, "
        f"CAST(? AS TIMESTAMP) FROM {table} t WHERE facility_id IS NOT NULL AND "
        f"{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source_arrivals s WHERE "
        f"s.facility_id = t.facility_id AND s.table_name = '{table}' AND s.month = "
        f"{month})", [import_id, arrived_at])


def arrived_by(store: Store, first_month: int, last_month: int, deadline: str) -> set[str]:
    """The sources with data for a month from `first_month` to `last_month` that had arrived by
    `deadline` (a TIMESTAMP's text)."""
    return {str(f) for (f,) in store.fetchall(
        "SELECT DISTINCT facility_id FROM source_arrivals WHERE month BETWEEN ? AND ? AND "
        "arrived_at <= CAST(? AS TIMESTAMP)", [first_month, last_month, deadline])}
