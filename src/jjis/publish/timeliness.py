"""Timeliness: of the sources that reported for an indicator and area (coverage), those whose
data for the period had arrived within `[release] deadline_days` after the period's end.

Each import records, per source (facility), register and month of the rows it holds, when that
source's data for the month first arrived (`source_arrivals`, written by `record_arrivals`
after every import). A source is *timely* for a period when some of its data for a month of the
period had arrived by the census date plus the deadline. Detention sources count the months
of their admissions and releases: a place whose only children were held all year without
anyone coming or going has no month in the period and is not counted timely.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from jjis.indicators.results import Figure
from jjis.publish.coverage import NEEDS, _query, period_start
from jjis.settings import Config
from jjis.store import Store

# register -> the date columns whose month a row is data for
DATED: dict[str, tuple[str, ...]] = {
    "arrests": ("arrest_date",), "detentions": ("admission_date", "release_date"),
    "decisions": ("decision_date",), "family_contacts": ("contact_date",),
    "inspections": ("inspection_date",), "aggregate_returns": ("census_date", "period_end"),
}


def month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def ensure_table(store: Store) -> None:
    from jjis.store.ddl import SYSTEM_TABLES

    store.execute(f"CREATE TABLE IF NOT EXISTS source_arrivals ({SYSTEM_TABLES['source_arrivals']})")


def record_arrivals(store: Store, import_id: int, arrived_at: datetime) -> int:
    """Record the (source, register, month) the registers now hold that no earlier import
    brought, as arrived with this import. Returns how many were new."""
    ensure_table(store)
    before = store.count("source_arrivals")
    for table, columns in DATED.items():
        for column in columns:
            month = (f"CAST(extract(year FROM {column}) AS INTEGER) * 12 + "
                     f"CAST(extract(month FROM {column}) AS INTEGER) - 1")
            store.execute(
                f"INSERT INTO source_arrivals (facility_id, table_name, month, import_id, "
                f"arrived_at) SELECT DISTINCT facility_id, '{table}', {month}, ?, "
                f"CAST(? AS TIMESTAMP) FROM {table} t WHERE facility_id IS NOT NULL AND "
                f"{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source_arrivals s WHERE "
                f"s.facility_id = t.facility_id AND s.table_name = '{table}' AND s.month = "
                f"{month})", [import_id, arrived_at.isoformat(sep=" ", timespec="seconds")])
    return store.count("source_arrivals") - before


def timeliness(store: Store, config: Config, census_date: date) -> dict[tuple[int, str], int]:
    """(indicator, area) -> sources that reported and whose data arrived in time."""
    ensure_table(store)
    start = period_start(census_date)
    deadline = datetime.combine(census_date + timedelta(days=int(config["release.deadline_days"])),
                                datetime.max.time()).replace(microsecond=0)
    timely = ("f.facility_id IN (SELECT facility_id FROM source_arrivals WHERE month BETWEEN "
              f"{month_number(start)} AND {month_number(census_date)} AND arrived_at <= "
              f"CAST('{deadline.isoformat(sep=' ')}' AS TIMESTAMP))")
    detention = tuple(config["indicators.detention_kinds"])
    out: dict[tuple[int, str], int] = {}
    for indicator, need in NEEDS.items():
        if indicator == 13:  # an answer about the place, not data sent for the period
            continue
        sql, params = _query(need, need.kinds or detention, start, census_date)
        # count the reporting sources that are also timely: the third column, narrowed
        sql = sql.replace("count(CASE WHEN ", f"count(CASE WHEN {timely} AND (", 1).replace(
            " THEN f.facility_id END)", ") THEN f.facility_id END)", 1)
        for area, _expected, reported in store.fetchall(sql, params):
            out[(indicator, str(area))] = int(reported)
    return out


def apply_timeliness(figures: Iterable[Figure], timely: dict[tuple[int, str], int]) -> None:
    """Fill timely_reported beside coverage_reported."""
    for f in figures:
        if f.coverage_expected is not None and (f.indicator, f.area) in timely:
            f.timely_reported = timely[(f.indicator, f.area)]
