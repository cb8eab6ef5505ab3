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

from jjis.indicators.base import Areas
from jjis.indicators.results import Figure
from jjis.publish.coverage import area_parents, period_start, sources_by_indicator
from jjis.settings import Config
from jjis.store import Store
from jjis.store.coverage import arrived_by
from jjis.store.coverage import record_arrivals as record

# register -> the date columns whose month a row is data for
DATED: dict[str, tuple[str, ...]] = {
    "arrests": ("arrest_date",), "detentions": ("admission_date", "release_date"),
    "decisions": ("decision_date",), "family_contacts": ("contact_date",),
    "inspections": ("inspection_date",), "aggregate_returns": ("census_date", "period_end"),
}


def month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def ensure_table(store: Store) -> None:
    store.ensure_tables(["source_arrivals"])


def record_arrivals(store: Store, import_id: int, arrived_at: datetime) -> int:
    """Record the (source, register, month) the registers now hold that no earlier import
    brought, as arrived with this import. Returns how many were new."""
    ensure_table(store)
    before = store.count("source_arrivals")
    for table, columns in DATED.items():
        for column in columns:
            record(store, table, column, import_id,
                   arrived_at.isoformat(sep=" ", timespec="seconds"))
    return store.count("source_arrivals") - before


def timeliness(store: Store, config: Config, census_date: date) -> dict[tuple[int, str], int]:
    """(indicator, area) -> sources that reported and whose data arrived in time. The sources
    are coverage's (`sources_by_indicator`); a facility is timely when some of its data for a
    month of the period had arrived by the deadline. An area's own return carries no facility
    and so no arrival: it is never counted timely."""
    ensure_table(store)
    start = period_start(census_date)
    deadline = datetime.combine(census_date + timedelta(days=int(config["release.deadline_days"])),
                                datetime.max.time()).replace(microsecond=0)
    timely = arrived_by(store, month_number(start), month_number(census_date),
                        deadline.isoformat(sep=" "))
    parents = area_parents(store)
    chain = Areas(parents).chain
    out: dict[tuple[int, str], int] = {}
    for indicator, sources in sources_by_indicator(store, config, census_date, chain).items():
        if indicator == 13:  # an answer about the place, not data sent for the period
            continue
        counts = dict.fromkeys(parents, 0)
        for source, (area, sent) in sources.items():
            if sent and source in timely:
                for a in chain(area):
                    counts[a] = counts.get(a, 0) + 1
        for area, n in counts.items():
            out[(indicator, area)] = n
    return out


def apply_timeliness(figures: Iterable[Figure], timely: dict[tuple[int, str], int]) -> None:
    """Fill timely_reported beside coverage_reported."""
    for f in figures:
        if f.coverage_expected is not None and (f.indicator, f.area) in timely:
            f.timely_reported = timely[(f.indicator, f.area)]
