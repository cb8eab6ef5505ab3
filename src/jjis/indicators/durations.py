"""Durations of detention: indicators 4 (pre-sentence) and 5 (sentenced).

The unit of the cohorts is the period of detention (a pre-sentence period for 4, a sentenced
spell for 5), not the child; the snapshot views count children in detention on C.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jjis.indicators.base import Sources, offence_section, spell_start_person
from jjis.indicators.counting import per_child, units_of
from jjis.indicators.periods import as_int, days_between_expr, lit
from jjis.indicators.registry import Inputs, Units, query
from jjis.indicators.snapshot import on_census
from jjis.indicators.spells import ENDS_BY_RELEASE, days_before_sentence_expr, in_period
from jjis.lazy import lazy

ibis = lazy("ibis")  # imported at the first expression built (jjis/lazy.py)

BANDS = ((0, 6, "0_6"), (7, 29, "7_29"), (30, 89, "30_89"), (90, 179, "90_179"),
         (180, 364, "180_364"), (365, None, "365_plus"))
BAND_COLUMNS = tuple(f"band_{b[2]}" for b in BANDS)
CENSUS_COLUMNS = tuple(f"on_census_band_{b[2]}" for b in BANDS)
SUMS = ("count", "days", "over_age", "estimated", "unknown_age", *BAND_COLUMNS, *CENSUS_COLUMNS)


def _bands(days: Any, prefix: str, weight: Any) -> dict[str, Any]:
    out = {}
    for lo, hi, name in BANDS:
        inside = days >= lo if hi is None else (days >= lo) & (days <= hi)
        out[f"{prefix}{name}"] = weight * ibis.ifelse(inside.fill_null(False), 1, 0)
    return out


def _zeros(u: Any, names: Sequence[str]) -> dict[str, Any]:
    return {n: u.over_age * 0 for n in names}


def _cohort(src: Sources, s: Any, days: Any) -> Any:
    """Spell rows in a cohort with `days`: one unit each, or an over-age unit."""
    s = s.mutate(**spell_start_person(src, s),
                 offence=offence_section(s.offence_code), _days=days)
    child = ibis.ifelse(s.is_child, 1, 0)
    s = s.mutate(count=child, over_age=1 - child, estimated=child * as_int(s.estimated),
                 unknown_age=child * as_int(s.unknown_age),
                 days=ibis.ifelse(s.is_child, s._days, ibis.null("int64")))
    s = s.mutate(**_bands(s.days, "band_", s["count"]))
    return s.mutate(**_zeros(s, CENSUS_COLUMNS))


def census_days(src: Sources, spells: Any, status: str, days: Any) -> Any:
    """The stays on C of children with `status` on C, with `_days`: days(stay, C)."""
    s = on_census(src, spells)
    s = s.filter(s.legal_status == status)
    return s.mutate(_days=days(s, lit(src.period.census)))


def pre_sentence_days_on_census(src: Sources, spells: Any) -> Any:
    """Indicator 4's snapshot view, one row per stay on C of a child pre-sentence on C: the
    days held before sentence so far (`_days`)."""
    return census_days(src, spells, "pre_sentence",
                       lambda t, c: days_before_sentence_expr(t.spell_start, c))


def _census(src: Sources, s: Any) -> Any:
    """Children of `census_days` rows, by days held (the first stay on C of each child)."""
    u = per_child(s, ["admission_date", "stay_id", "facility_id"], keep=("_days",))
    u = u.mutate(**_bands(u._days, "on_census_band_", u.child))
    u = u.mutate(count=u.child * 0, over_age=u.child * 0, estimated=u.child * 0,
                 unknown_age=u.child * 0,
                 days=ibis.null("int64"))
    return u.mutate(**_zeros(u, BAND_COLUMNS))


def _columns(t: Any) -> Any:
    return units_of(t, ("area_id", "sex", "age_group", "offence", "facility_kind"), SUMS)


@query("pre_sentence_duration")
def pre_sentence(inputs: Inputs) -> Units:
    src, spells = inputs.src, inputs.spells
    p = src.period
    s = spells.filter(spells.first_in_spell & ~spells.arrived_sentenced)
    released = ibis.ifelse(s.spell_end_reason.isin(list(ENDS_BY_RELEASE)),
                           ibis.null("date"), s.spell_end)
    s = s.mutate(pre_end=ibis.coalesce(s.sentence_at, released))
    s = s.filter(in_period(s.pre_end, p.start, p.end))
    cohort = _cohort(src, s, days_between_expr(s.spell_start, s.pre_end))
    census = _census(src, pre_sentence_days_on_census(src, spells))
    units = _columns(cohort).union(_columns(census))
    return Units(units, SUMS, {"median_days": lambda j: j.days.median()})


@query("sentenced_duration")
def sentenced(inputs: Inputs) -> Units:
    src, spells = inputs.src, inputs.spells
    p = src.period
    s = spells.filter(spells.last_in_spell & in_period(spells.spell_end, p.start, p.end)
                      & ~spells.spell_end_reason.isin(list(ENDS_BY_RELEASE)))
    s = s.mutate(sent_start=ibis.ifelse(s.arrived_sentenced, s.spell_start, s.sentence_at))
    s = s.filter(s.sent_start.notnull() & (s.sent_start <= s.spell_end))
    cohort = _cohort(src, s, days_between_expr(s.sent_start, s.spell_end))
    census = _census(src, census_days(src, spells, "sentenced", lambda t, c: days_between_expr(
        ibis.ifelse(t.arrived_sentenced, t.spell_start,
                    ibis.coalesce(t.sentence_at, t.admission_date)), c)))
    units = _columns(cohort).union(_columns(census))
    return Units(units, SUMS, {"median_days": lambda j: j.days.median()})
