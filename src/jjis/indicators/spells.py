"""Counting rules of stays: detention spells and legal status (indicators.md, "Spells" and
indicator 3), each in its Python form and its Ibis form side by side, from the same constants.

A stay ends a spell unless it ends with release_reason = transfer and the child's next stay begins
on the same or the next day (`CHAIN_GAP_DAYS`). A child's stays are taken in the order (admission
date, stay_id, facility_id); each stay is compared with the one before it. Each stay carries its
spell's values: spell_start, spell_end (empty while held), spell_end_reason, sentence_at (when
the spell turned sentenced), whether it arrived sentenced, the first stay's date of birth and
age, and the age at the spell's start they give (`start_age`, periods.age_on).

| rule | Python form | Ibis form |
|---|---|---|
| a stay chains to the one before | `chains` | `chains_expr` |
| the spells of a child's stays | `chain_spells` | `with_spells` |
| a stay holds the child on a day | `holds_on` | `covering` |
| legal status on a day | `legal_status_on_date` | `legal_status_on` |
| days held before sentence on a day | `days_before_sentence` | `days_before_sentence_expr` |

The action lists (web/actions.py) and the record-level pages run the Python forms; the
indicators run the Ibis forms; tests/test_counting_rules.py checks they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jjis.indicators.base import Sources
from jjis.indicators.periods import age_on, as_int, days_between, days_between_expr, lit
from jjis.lazy import lazy

ibis = lazy("ibis")  # imported at the first expression built (jjis/lazy.py)

TRANSFER = "transfer"  # the release reason that may chain a stay to the next
CHAIN_GAP_DAYS = 1  # the next stay begins on the same day or up to this many days later
ENDS_BY_RELEASE = ("transfer", "death")  # reasons that do NOT end a spell "by release"
SENTENCED, PRE_SENTENCE = "sentenced", "pre_sentence"


# --- Python forms ---------------------------------------------------------------------------

@dataclass
class StayDates:
    """What the rules read of one stay (a row of `detentions`)."""

    stay_id: str
    facility_id: str
    admission_date: date
    release_date: date | None = None
    release_reason: str | None = None
    status_at_admission: str | None = None
    sentence_date: date | None = None
    date_of_birth: date | None = None
    age: int | None = None

    @property
    def order(self) -> tuple[date, str, str]:
        return (self.admission_date, self.stay_id, self.facility_id)


@dataclass
class Spell:
    """One detention spell: a child's stays chained by transfers, in order."""

    stays: list[StayDates] = field(default_factory=list)

    @property
    def start(self) -> date:
        return min(s.admission_date for s in self.stays)

    @property
    def end(self) -> date | None:
        """The last release; None while any stay of the spell is open."""
        releases = [s.release_date for s in self.stays]
        return None if any(r is None for r in releases) else max(r for r in releases if r)

    @property
    def end_reason(self) -> str | None:
        return self.stays[-1].release_reason

    @property
    def arrived_sentenced(self) -> bool:
        return self.stays[0].status_at_admission == SENTENCED

    @property
    def sentence_at(self) -> date | None:
        """When the spell turned sentenced: the earliest sentence date, or the admission of a
        later stay that began sentenced."""
        days = [s.sentence_date if s.sentence_date is not None
                else (s.admission_date if i > 0 and s.status_at_admission == SENTENCED else None)
                for i, s in enumerate(self.stays)]
        known = [d for d in days if d is not None]
        return min(known) if known else None

    @property
    def first(self) -> StayDates:
        return self.stays[0]


def chains(previous: StayDates | None, stay: StayDates) -> bool:
    """Whether `stay` continues the spell of `previous` (the child's stay just before it)."""
    if previous is None or previous.release_reason != TRANSFER or previous.release_date is None:
        return False
    return 0 <= days_between(previous.release_date, stay.admission_date) <= CHAIN_GAP_DAYS


def chain_spells(stays: Iterable[StayDates]) -> list[Spell]:
    """The spells of one child's stays (any order given; each stay in exactly one spell)."""
    spells: list[Spell] = []
    previous: StayDates | None = None
    for stay in sorted(stays, key=lambda s: s.order):
        if not chains(previous, stay) or not spells:
            spells.append(Spell())
        spells[-1].stays.append(stay)
        previous = stay
    return spells


def holds_on(stay: StayDates, day: date) -> bool:
    """The stay holds the child on `day`: admitted on or before it, not released by it."""
    return stay.admission_date <= day and (stay.release_date is None or stay.release_date > day)


def legal_status_on_date(status_at_admission: str | None, sentence_date: date | None,
                         day: date) -> str:
    """`sentenced` if the stay began sentenced or sentence_date <= day, else `pre_sentence`."""
    if status_at_admission == SENTENCED or (sentence_date is not None and sentence_date <= day):
        return SENTENCED
    return PRE_SENTENCE


def days_before_sentence(spell_start: date, day: date) -> int:
    """Days held before sentence so far, on `day`, of a child pre-sentence on it: from the start
    of the spell (indicator 4: a transfer does not restart it)."""
    return days_between(spell_start, day)


# --- Ibis forms -----------------------------------------------------------------------------

def stays(src: Sources) -> Any:
    """Stays in the configured places of detention, with their facility's area and kind."""
    d = src.table("detentions")
    f = src.facilities(detention_only=True).select(
        "facility_id", facility_area="area_id", facility_kind="kind")
    s = d.join(f, "facility_id")
    return s.mutate(area_id=s.facility_area).drop("facility_area")


def chains_expr(prev_reason: Any, prev_release: Any, admission: Any) -> Any:
    """Ibis form of `chains` (the previous stay's reason and release, this stay's admission)."""
    gap = days_between_expr(prev_release, admission)
    return ((prev_reason == TRANSFER) & (gap >= 0) & (gap <= CHAIN_GAP_DAYS)).fill_null(False)


def with_spells(src: Sources) -> Any:
    return spells_of(stays(src))


def spells_of(s: Any) -> Any:
    """Ibis form of `chain_spells`: every stay of `s` with its spell's columns."""
    order = [s.admission_date, s.stay_id, s.facility_id]
    child = ibis.window(group_by=s.child_id, order_by=order)
    chained = chains_expr(s.release_reason.lag().over(child), s.release_date.lag().over(child),
                          s.admission_date)
    s = s.mutate(_new=ibis.ifelse(chained, 0, 1))
    running = ibis.cumulative_window(
        group_by=s.child_id, order_by=[s.admission_date, s.stay_id, s.facility_id])
    s = s.mutate(spell_no=s._new.sum().over(running))

    spell = ibis.window(group_by=[s.child_id, s.spell_no])
    in_spell = ibis.window(group_by=[s.child_id, s.spell_no],
                           order_by=[s.admission_date, s.stay_id, s.facility_id])
    backwards = ibis.window(
        group_by=[s.child_id, s.spell_no],
        order_by=[ibis.desc(s.admission_date), ibis.desc(s.stay_id), ibis.desc(s.facility_id)])
    s = s.mutate(_rn=ibis.row_number().over(in_spell), _rn_last=ibis.row_number().over(backwards))
    held = s.release_date.count().over(spell) < s.stay_id.count().over(spell)
    later_sentenced = ibis.ifelse((s._rn > 0) & (s.status_at_admission == SENTENCED),
                                  s.admission_date, ibis.null("date"))
    first = s._rn == 0
    last = s._rn_last == 0
    s = s.mutate(
        spell_start=s.admission_date.min().over(spell),
        spell_end=ibis.ifelse(held, ibis.null("date"), s.release_date.max().over(spell)),
        spell_end_reason=ibis.cases((last, s.release_reason)).max().over(spell),
        spell_end_aftercare=ibis.cases((last, as_int(s.aftercare))).max().over(spell),
        sentence_at=ibis.coalesce(s.sentence_date, later_sentenced).min().over(spell),
        arrived_sentenced=ibis.cases((first, s.status_at_admission)).max().over(spell)
        == SENTENCED,
        first_dob=ibis.cases((first, s.date_of_birth)).max().over(spell),
        first_age=ibis.cases((first, s.age)).max().over(spell),
        first_in_spell=first,
        last_in_spell=last,
    )
    # the age at the spell's start, once per stay (the spells are computed into a temporary
    # table: the queries read it as a column rather than each computing it in every flag)
    s = s.mutate(start_age=age_on(s.first_dob, s.first_age, s.spell_start, s.spell_start)[0])
    return s.drop("_new", "_rn", "_rn_last")


def covering(s: Any, day: Any) -> Any:
    """Ibis form of `holds_on`: the stays that hold the child on `day`."""
    return s.filter((s.admission_date <= day) & (s.release_date.isnull() | (s.release_date > day)))


def legal_status_on(s: Any, day: Any) -> Any:
    """Ibis form of `legal_status_on_date`, for the stays of `s`."""
    sentenced = (s.status_at_admission == SENTENCED) | (s.sentence_date <= day).fill_null(False)
    return ibis.ifelse(sentenced, SENTENCED, PRE_SENTENCE)


def days_before_sentence_expr(spell_start: Any, day: Any) -> Any:
    """Ibis form of `days_before_sentence`."""
    return days_between_expr(spell_start, day)


def in_period(col: Any, start: Any, end: Any) -> Any:
    return (col >= lit(start)) & (col <= lit(end))
