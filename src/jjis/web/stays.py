"""Stays of a place of detention as the action lists and the record-level pages read them.

Child identifiers (pseudonyms) are used only to link a child's stays, contacts and decisions;
nothing here returns them. Ages are whole years (indicators.md, "Age"): from the date of birth,
or from the `age` recorded on admission plus the whole years elapsed since.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jjis.store import Store

_STAY = ("stay_id, child_id, date_of_birth, age, admission_date, status_at_admission, "
         "sentence_date, release_date, release_reason, aftercare, wholly_separated")
_HERE = ("facility_id = ? AND admission_date <= ? AND (release_date IS NULL OR release_date > ?)")


def add_months(d: date, months: int) -> date:
    """The same day `months` calendar months later (earlier), clamped to the month's end."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def whole_years(start: date, end: date) -> int:
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


@dataclass
class Stay:
    stay_id: str
    child_id: str  # the pseudonym's text
    date_of_birth: date | None
    age: int | None  # on admission, where no date of birth is known
    admission_date: date
    status_at_admission: str | None
    sentence_date: date | None
    release_date: date | None
    release_reason: str | None
    aftercare: bool | None
    wholly_separated: bool | None
    spell_start: date | None = None
    pre_sentence_start: date | None = None
    family_contact: bool = False
    last_decision: date | None = None

    def released(self, d: date) -> bool:
        return self.release_date is not None and self.release_date <= d

    def status_on(self, d: date) -> str | None:
        if self.status_at_admission == "sentenced" or (
                self.sentence_date is not None and self.sentence_date <= d):
            return "sentenced"
        return self.status_at_admission

    def age_on(self, d: date) -> int | None:
        if self.date_of_birth is not None:
            return whole_years(self.date_of_birth, d)
        if self.age is not None:
            return self.age + whole_years(self.admission_date, d)
        return None


def _stay(row: tuple[Any, ...]) -> Stay:
    r = list(row)
    for i in (9, 10):
        r[i] = None if r[i] is None else bool(r[i])
    r[3] = None if r[3] is None else int(r[3])
    r[1] = str(r[1])
    return Stay(*r)


def _chain(stay: Stay, earlier: list[tuple[Any, ...]]) -> None:
    """Walk back through transfers (a stay ending in transfer, the next starting the same or the
    next day) to the spell's start and to the start of its pre-sentence time."""
    start = pre = stay.admission_date
    pre_open = stay.status_at_admission == "pre_sentence"
    current = stay.admission_date
    while True:
        prev = [e for e in earlier if e[2] == "transfer" and e[1] is not None
                and e[1] <= current <= e[1] + timedelta(days=1) and e[0] < current]
        if not prev:
            break
        adm, _rel, _reason, status, sentenced = min(prev, key=lambda e: e[0])
        start = current = adm
        pre_open = pre_open and status == "pre_sentence" and sentenced is None
        if pre_open:
            pre = adm
    stay.spell_start, stay.pre_sentence_start = start, pre


def load_stays(store: Store, facility_id: str, as_of: date, released_days: int) -> list[Stay]:
    """Stays in the facility on `as_of`, and stays ended there within `released_days` days
    (the as-of date included), with spells, family contact and last decision filled in."""
    since = as_of - timedelta(days=released_days)
    rows = store.fetchall(
        f"SELECT {_STAY} FROM detentions WHERE facility_id = ? AND admission_date <= ? "
        "AND (release_date IS NULL OR release_date > ?) ORDER BY stay_id",
        [facility_id, as_of, since])
    stays = [_stay(r) for r in rows]
    if not stays:
        return []
    children = ("SELECT child_id FROM detentions WHERE facility_id = ? AND admission_date <= ? "
                "AND (release_date IS NULL OR release_date > ?)")
    cparams = [facility_id, as_of, since]
    earlier: dict[str, list[tuple[Any, ...]]] = {}
    for child, *rest in store.fetchall(
            "SELECT child_id, admission_date, release_date, release_reason, status_at_admission, "
            f"sentence_date FROM detentions WHERE child_id IN ({children})", cparams):
        earlier.setdefault(str(child), []).append(tuple(rest))
    window = add_months(as_of, -3) + timedelta(days=1)
    contact = {str(c) for (c,) in store.fetchall(
        f"SELECT DISTINCT child_id FROM family_contacts WHERE contact_date >= ? AND contact_date <= ? "
        f"AND child_id IN ({children})", [window, as_of, *cparams])}
    decided = {str(c): d for c, d in store.fetchall(
        f"SELECT child_id, max(decision_date) FROM decisions WHERE decision_date <= ? "
        f"AND child_id IN ({children}) GROUP BY child_id", [as_of, *cparams])}
    for s in stays:
        _chain(s, earlier.get(s.child_id, []))
        s.family_contact = s.child_id in contact
        s.last_decision = decided.get(s.child_id)
    return stays


RECORD_COLUMNS = ("stay_id", "sex", "age", "admission_date", "status_at_admission", "legal_status",
                  "sentence_date", "release_date", "release_reason", "aftercare",
                  "wholly_separated", "offence_code")


def record_rows(store: Store, facility_id: str, as_of: date, *, current_only: bool = True,
                limit: int = 1000) -> list[dict[str, Any]]:
    """The record-level stays of a facility, without child identifiers or dates of birth: the
    age on the as-of date stands in for the date of birth."""
    where = _HERE if current_only else "facility_id = ? AND admission_date <= ?"
    params: list[Any] = [facility_id, as_of, as_of] if current_only else [facility_id, as_of]
    rows = store.fetchall(
        f"SELECT {_STAY}, sex, offence_code FROM detentions WHERE {where} "
        f"ORDER BY admission_date DESC, stay_id LIMIT {int(limit)}", params)
    out = []
    for row in rows:
        s = _stay(row[:11])
        out.append({
            "stay_id": s.stay_id, "sex": row[11], "age": s.age_on(as_of),
            "admission_date": s.admission_date.isoformat(),
            "status_at_admission": s.status_at_admission, "legal_status": s.status_on(as_of),
            "sentence_date": _iso(s.sentence_date), "release_date": _iso(s.release_date),
            "release_reason": s.release_reason, "aftercare": s.aftercare,
            "wholly_separated": s.wholly_separated, "offence_code": row[12],
        })
    return out


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()
