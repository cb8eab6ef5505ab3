"""Stays of a place of detention as the action lists and the record-level pages read them.

Child identifiers (pseudonyms) are used only to link a child's stays, contacts and decisions;
nothing here returns them. The counting rules (spells, legal status on a day, ages, month
windows) are the indicators' own, in their Python form (jjis.indicators.spells and
jjis.indicators.periods): an action list and the indicators cannot disagree on days held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jjis.indicators.periods import Period, age_on_date
from jjis.indicators.spells import StayDates, chain_spells, legal_status_on_date
from jjis.store import Store
from jjis.store import stays as queries


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
    spell_age: int | None = None  # age at the spell's start (from the spell's first stay)
    family_contact: bool = False
    last_decision: date | None = None

    def released(self, d: date) -> bool:
        return self.release_date is not None and self.release_date <= d

    def status_on(self, d: date) -> str | None:
        """The legal status on `d` (indicator 3's rule); None when none is recorded."""
        if self.status_at_admission is None and self.sentence_date is None:
            return None
        return legal_status_on_date(self.status_at_admission, self.sentence_date, d)

    def age_on(self, d: date) -> int | None:
        return age_on_date(self.date_of_birth, self.age, self.admission_date, d)


def _stay(row: tuple[Any, ...]) -> Stay:
    r = list(row)
    for i in (9, 10):
        r[i] = None if r[i] is None else bool(r[i])
    r[3] = None if r[3] is None else int(r[3])
    r[1] = str(r[1])
    return Stay(*r)


def stay_dates(row: Sequence[Any]) -> StayDates:
    """A row of store/stays.py's `DATES` columns as the rules read it."""
    sid, fid, adm, rel, reason, status, sentenced, dob, age = row
    return StayDates(str(sid), str(fid), adm, rel, reason, status, sentenced, dob,
                     None if age is None else int(age))


def _spell_of(stay: Stay, facility_id: str, child_stays: list[StayDates]) -> None:
    """Fill the stay's spell start and the age at it, from all the child's stays."""
    for spell in chain_spells(child_stays):
        if any(s.stay_id == stay.stay_id and s.facility_id == facility_id for s in spell.stays):
            first = spell.first
            stay.spell_start = spell.start
            stay.spell_age = age_on_date(first.date_of_birth, first.age, spell.start, spell.start)
            return
    stay.spell_start = stay.admission_date  # not a stay of a place of detention: its own spell
    stay.spell_age = stay.age_on(stay.admission_date)


def load_stays(store: Store, facility_id: str, as_of: date, released_days: int, *,
               detention_kinds: Sequence[str] | None = None,
               contact_window_start: date | None = None) -> list[Stay]:
    """Stays in the facility on `as_of`, and stays ended there within `released_days` days
    (the as-of date included), with spells, family contact and last decision filled in.

    Spells chain the child's stays in facilities of `detention_kinds` (all kinds when None), as
    the indicators do; family contact counts from `contact_window_start` (default: the three
    months ending on `as_of`, indicator 8's window)."""
    since = as_of - timedelta(days=released_days)
    stays = [_stay(r) for r in queries.in_facility(store, facility_id, as_of, since)]
    if not stays:
        return []
    by_child: dict[str, list[StayDates]] = {}
    for child, *rest in queries.stays_of_children(store, facility_id, as_of, since,
                                                  detention_kinds):
        by_child.setdefault(str(child), []).append(stay_dates(rest))
    window = contact_window_start or Period(as_of).contact_window_start
    contact = queries.children_with_contact(store, facility_id, as_of, since, window)
    decided = queries.last_decisions(store, facility_id, as_of, since)
    for s in stays:
        _spell_of(s, facility_id, by_child.get(s.child_id, []))
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
    rows = queries.records(store, facility_id, as_of, current_only=current_only, limit=limit)
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
