"""The findings table and the queries that look for findings at the end of an import
(ingest/findings.py turns their rows into `Finding`s): one child recorded with a different sex
or date of birth across registers, one child held in two stays that overlap in time; and the
findings recorded (release/outliers.py, for the review)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jjis.store.base import Store

OPEN = "DATE '9999-12-31'"  # the release day of a stay still open, for comparisons


def conflicting_children(store: Store, tables: Sequence[str], touched_children: str,
                         only_touched: bool) -> list[tuple[Any, ...]]:
    """(child_id, distinct sexes but 'u', distinct dates of birth, the sexes joined by '/', the
    dates of birth joined by '/') of each child of `touched_children` (a table of child_id)
    whose sex or date of birth differs across `tables`, by child. With `only_touched` only their
    rows are read; otherwise every row (cheaper past a share of the stored rows)."""
    where = f" WHERE child_id IN (SELECT child_id FROM {touched_children})" if only_touched else ""
    union = " UNION ALL ".join(f"SELECT child_id, sex, date_of_birth FROM {t}{where}"
                               for t in tables)
    # min <> max finds the children with two values cheaply; conflicts are rare, so the detail is
    # read for them only, and a full scan keeps those of them that this import touched
    odd = (f"WITH r AS ({union}) SELECT child_id FROM r GROUP BY child_id HAVING "
           f"min(NULLIF(sex, 'u')) <> max(NULLIF(sex, 'u')) OR min(date_of_birth) <> max(date_of_birth)")
    if not only_touched:
        odd = f"SELECT DISTINCT child_id FROM {touched_children} WHERE child_id IN ({odd})"
    store.temp_table_as("odd_children", odd)
    if not store.count("odd_children"):
        return []
    union = " UNION ALL ".join(f"SELECT child_id, sex, date_of_birth FROM {t} WHERE child_id IN "
                               f"(SELECT child_id FROM odd_children)" for t in tables)
    return store.fetchall(
        f"SELECT child_id, count(DISTINCT NULLIF(sex, 'u')), count(DISTINCT date_of_birth), "
        f"string_agg(DISTINCT sex, '/' ORDER BY sex), "
        f"string_agg(DISTINCT CAST(date_of_birth AS VARCHAR), '/' ORDER BY CAST(date_of_birth AS VARCHAR)) "
        f"FROM ({union}) r GROUP BY child_id ORDER BY child_id")


def overlapping_stays(store: Store, touched_children: str) -> list[tuple[Any, ...]]:
    """(child_id, then facility_id, stay_id, admission_date, release_date of the one stay and
    of the other) of each pair of stays of a child of `touched_children` that overlap in time
    (a stay released on the day the next one starts does not), by child and stays."""
    return store.fetchall(
        "SELECT a.child_id, a.facility_id, a.stay_id, a.admission_date, a.release_date, "
        "b.facility_id, b.stay_id, b.admission_date, b.release_date "
        "FROM detentions a JOIN detentions b ON a.child_id = b.child_id "
        "AND (a.facility_id < b.facility_id OR (a.facility_id = b.facility_id "
        "AND a.stay_id < b.stay_id)) "
        f"AND a.admission_date < COALESCE(b.release_date, {OPEN}) "
        f"AND b.admission_date < COALESCE(a.release_date, {OPEN}) "
        f"WHERE a.child_id IN (SELECT child_id FROM {touched_children}) "
        "ORDER BY a.child_id, a.facility_id, a.stay_id, b.facility_id, b.stay_id")


def recorded(store: Store) -> list[tuple[Any, ...]]:
    """(import_id, type, table_name, message) of every finding recorded, in that order."""
    return store.fetchall("SELECT import_id, type, table_name, message FROM findings "
                          "ORDER BY import_id, type, table_name, message")
