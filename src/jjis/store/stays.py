"""The stays of one facility as the web pages list them (web/stays.py: the spells, family
contact and last decision of each): reads of `detentions`, `family_contacts`, `decisions` and
`facilities`. A stay "in the facility" between `since` and `as_of` was admitted on or before
`as_of` and not released on or before `since`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jjis.store.base import Store

# the columns of a stay's row, in the order web/stays.py reads them
STAY = ("stay_id, child_id, date_of_birth, age, admission_date, status_at_admission, "
        "sentence_date, release_date, release_reason, aftercare, wholly_separated")
# the columns of a stay as the counting rules read it (indicators/spells.py)
DATES = ("stay_id, facility_id, admission_date, release_date, release_reason, "
         "status_at_admission, sentence_date, date_of_birth, age")
_HERE = "facility_id = ? AND admission_date <= ? AND (release_date IS NULL OR release_date > ?)"
_CHILDREN = f"SELECT child_id FROM detentions WHERE {_HERE}"


def in_facility(store: Store, facility_id: str, as_of: date, since: date) -> list[tuple[Any, ...]]:
    """The stays (STAY columns) in the facility between `since` and `as_of`, by stay id."""
    return store.fetchall(f"SELECT {STAY} FROM detentions WHERE {_HERE} ORDER BY stay_id",
                          [facility_id, as_of, since])


def stays_of_children(store: Store, facility_id: str, as_of: date, since: date,
                      kinds: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """(child_id, DATES columns) of every stay, in any facility of the `kinds` (any facility
    when None), of the children with a stay in the facility between `since` and `as_of`."""
    where, params = "", []
    if kinds is not None:
        where = (" AND facility_id IN (SELECT facility_id FROM facilities WHERE kind IN "
                 f"({', '.join('?' * len(kinds))}))")
        params = list(kinds)
    return store.fetchall(
        f"SELECT child_id, {DATES} FROM detentions WHERE child_id IN ({_CHILDREN}){where}",
        [facility_id, as_of, since, *params])


def children_with_contact(store: Store, facility_id: str, as_of: date, since: date,
                          window_start: date) -> set[str]:
    """The children with a stay in the facility between `since` and `as_of` who had family
    contact from `window_start` to `as_of`."""
    return {str(c) for (c,) in store.fetchall(
        "SELECT DISTINCT child_id FROM family_contacts WHERE contact_date >= ? AND "
        f"contact_date <= ? AND child_id IN ({_CHILDREN})",
        [window_start, as_of, facility_id, as_of, since])}


def last_decisions(store: Store, facility_id: str, as_of: date, since: date) -> dict[str, Any]:
    """The date of the last decision on or before `as_of` of each child with a stay in the
    facility between `since` and `as_of`."""
    return {str(c): d for c, d in store.fetchall(
        f"SELECT child_id, max(decision_date) FROM decisions WHERE decision_date <= ? "
        f"AND child_id IN ({_CHILDREN}) GROUP BY child_id", [as_of, facility_id, as_of, since])}


def records(store: Store, facility_id: str, as_of: date, *, current_only: bool, limit: int
            ) -> list[tuple[Any, ...]]:
    """(STAY columns, sex, offence_code) of the facility's stays held on `as_of` (or, not
    `current_only`, admitted by then), the newest admitted first, at most `limit`."""
    where = _HERE if current_only else "facility_id = ? AND admission_date <= ?"
    params: list[Any] = [facility_id, as_of, as_of] if current_only else [facility_id, as_of]
    return store.fetchall(
        f"SELECT {STAY}, sex, offence_code FROM detentions WHERE {where} "
        f"ORDER BY admission_date DESC, stay_id LIMIT {int(limit)}", params)


def held(store: Store, facility_id: str, limit: int) -> list[tuple[Any, ...]]:
    """(stay_id, admission_date) of the facility's stays not released, the newest admitted
    first, at most `limit`."""
    return store.fetchall(
        "SELECT stay_id, admission_date FROM detentions WHERE facility_id = ? AND release_date "
        f"IS NULL ORDER BY admission_date DESC, stay_id LIMIT {int(limit)}", [facility_id])
