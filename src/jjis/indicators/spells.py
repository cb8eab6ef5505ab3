"""Stays in places of detention, chained into detention spells (indicators.md, "Spells").

A stay ends a spell unless it ends with release_reason = transfer and the child's next stay begins
on the same or the next day. Each stay row carries its spell's values: spell_start, spell_end
(empty while held), spell_end_reason, sentence_at (when the spell turned sentenced), whether it
arrived sentenced, and the first stay's date of birth and age (for the age at the spell's start).
"""

from __future__ import annotations

from typing import Any

import ibis

from jjis.indicators.base import Sources
from jjis.indicators.periods import as_int, lit

ENDS_BY_RELEASE = ("transfer", "death")  # reasons that do NOT end a spell "by release"


def stays(src: Sources) -> Any:
    """Stays in the configured places of detention, with their facility's area and kind."""
    d = src.table("detentions")
    f = src.facilities(detention_only=True).select(
        "facility_id", facility_area="area_id", facility_kind="kind")
    s = d.join(f, "facility_id")
    return s.mutate(area_id=s.facility_area).drop("facility_area")


def with_spells(src: Sources) -> Any:
    s = stays(src)
    child = ibis.window(group_by=s.child_id, order_by=[s.admission_date, s.stay_id, s.facility_id])
    prev_reason = s.release_reason.lag().over(child)
    prev_release = s.release_date.lag().over(child)
    gap = s.admission_date.delta(prev_release, unit="day")
    chained = (prev_reason == "transfer") & (gap >= 0) & (gap <= 1)
    s = s.mutate(_new=ibis.ifelse(chained.fill_null(False), 0, 1))
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
    later_sentenced = ibis.ifelse((s._rn > 0) & (s.status_at_admission == "sentenced"),
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
        == "sentenced",
        first_dob=ibis.cases((first, s.date_of_birth)).max().over(spell),
        first_age=ibis.cases((first, s.age)).max().over(spell),
        first_in_spell=first,
        last_in_spell=last,
    )
    return s.drop("_new", "_rn", "_rn_last")


def covering(s: Any, day: Any) -> Any:
    """Stays that hold the child at `day` (admitted on or before it, not released by it)."""
    return s.filter((s.admission_date <= day) & (s.release_date.isnull() | (s.release_date > day)))


def legal_status_on(s: Any, day: Any) -> Any:
    """`sentenced` if the stay began sentenced or sentence_date <= day, else `pre_sentence`."""
    sentenced = (s.status_at_admission == "sentenced") | (s.sentence_date <= day).fill_null(False)
    return ibis.ifelse(sentenced, "sentenced", "pre_sentence")


def in_period(col: Any, start: Any, end: Any) -> Any:
    return (col >= lit(start)) & (col <= lit(end))
