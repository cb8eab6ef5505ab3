"""Indicator 6: child deaths in detention, with its three denominators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jjis.indicators.base import Sources, person_columns, spell_start_person
from jjis.indicators.counting import per_child, units_of
from jjis.indicators.periods import as_int, lit
from jjis.indicators.registry import Inputs, Units, query
from jjis.indicators.spells import in_period
from jjis.lazy import lazy

ibis = lazy("ibis")  # imported at the first expression built (jjis/lazy.py)

SUMS = ("deaths", "over_age", "estimated", "unknown_age", "detained", "held_days")


def _deaths(src: Sources, spells: Any) -> Any:
    p = src.period
    s = spells.filter((spells.release_reason == "death")
                      & in_period(spells.release_date, p.start, p.end))
    s = s.mutate(**person_columns(src, s, s.release_date, s.admission_date))
    child = ibis.ifelse(s.is_child, 1, 0)
    return s.mutate(deaths=child, over_age=1 - child, estimated=child * as_int(s.estimated),
                    unknown_age=child * as_int(s.unknown_age),
                    detained=child * 0, held_days=child * 0)


def _in_period(src: Sources, spells: Any) -> Any:
    """Stays overlapping the period, with the age at the start of the spell."""
    p = src.period
    s = spells.filter((spells.admission_date <= lit(p.end))
                      & (spells.release_date.isnull() | (spells.release_date >= lit(p.start))))
    return s.mutate(**spell_start_person(src, s))


def _detained(src: Sources, spells: Any) -> Any:
    s = _in_period(src, spells)
    s = s.filter(s.is_child)
    u = per_child(s, ["admission_date", "stay_id", "facility_id"])
    return u.mutate(deaths=u.child * 0, over_age=u.child * 0, estimated=u.child * 0,
                    unknown_age=u.child * 0,
                    detained=u.child, held_days=u.child * 0)


def _held_days(src: Sources, spells: Any) -> Any:
    """Days each stay held the child at the end of a day within the period."""
    p = src.period
    s = _in_period(src, spells)
    s = s.filter(s.is_child)
    first = ibis.greatest(s.admission_date, lit(p.start))
    # held at the end of day d when admitted on or before d and not released on or before d:
    # the days from `first` up to (not including) the release, or up to the period's end
    after_end = p.end + timedelta(days=1)
    stop = ibis.ifelse(s.release_date.isnull() | (s.release_date > lit(p.end)),
                       lit(after_end), s.release_date)
    days = stop.delta(first, unit="day")
    s = s.mutate(held_days=ibis.greatest(days, 0))
    return s.mutate(deaths=s.held_days * 0, over_age=s.held_days * 0, estimated=s.held_days * 0,
                    unknown_age=s.held_days * 0,
                    detained=s.held_days * 0)


@query("deaths")
def deaths_in_detention(inputs: Inputs) -> Units:
    src, spells = inputs.src, inputs.spells
    parts = [units_of(t, ("area_id", "sex", "facility_kind"), SUMS) for t in
             (_deaths(src, spells), _detained(src, spells), _held_days(src, spells))]
    units = ibis.union(*parts)
    return Units(units, SUMS)
