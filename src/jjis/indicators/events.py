"""Period indicators counted in distinct children from events: 1 (arrests), 9 and 10
(decisions) and 11 (releases)."""

from __future__ import annotations

from functools import partial
from typing import Any

from jjis.indicators.base import (
    Sources,
    offence_section,
    person_age,
    person_flags,
    spell_start_age,
)
from jjis.indicators.counting import flag, per_child
from jjis.indicators.registry import Inputs, Units, query
from jjis.indicators.spells import ENDS_BY_RELEASE, in_period

SENTENCES = ("custodial_sentence", "non_custodial_sentence")


def _with_facility(src: Sources, t: Any) -> Any:
    f = src.facilities().select("facility_id", area_id="area_id", facility_kind="kind")
    return t.join(f, "facility_id")


@query("arrests")
def arrests(inputs: Inputs) -> Units:
    src = inputs.src
    p = src.period
    a = src.table("arrests")
    a = a.filter(in_period(a.arrest_date, p.start, p.end))
    a = _with_facility(src, a)
    a = a.mutate(**person_age(a, a.arrest_date, a.arrest_date),
                 offence=offence_section(a.offence_code), one=True)
    u = per_child(a, ["arrest_date", "arrest_id", "facility_id"], count_of=("one",),
                  flags=partial(person_flags, src))
    u = u.mutate(events=u.child * u.one)
    return Units(u, ("child", "events", "over_age", "estimated", "unknown_age"))


def _decisions(src: Sources, kinds: tuple[str, ...]) -> Any:
    p = src.period
    d = src.table("decisions")
    d = d.filter(in_period(d.decision_date, p.start, p.end) & d.kind.isin(list(kinds)))
    d = _with_facility(src, d)
    return d.mutate(**person_age(d, d.decision_date, d.decision_date),
                    offence=offence_section(d.offence_code))


@query("sentencing")
def sentencing(inputs: Inputs) -> Units:
    d = _decisions(inputs.src, SENTENCES)
    d = d.mutate(custodial=d.kind == "custodial_sentence")
    u = per_child(d, ["decision_date", "decision_id", "facility_id"], any_of=("custodial",),
                  flags=partial(person_flags, inputs.src))
    u = u.mutate(num=u.child * u.custodial, den=u.child)
    return Units(u, ("num", "den", "over_age", "estimated", "unknown_age"))


@query("diversion")
def diversion(inputs: Inputs) -> Units:
    d = _decisions(inputs.src, ("diversion", *SENTENCES))
    d = d.mutate(diverted=d.kind == "diversion")
    u = per_child(d, ["decision_date", "decision_id", "facility_id"], any_of=("diverted",),
                  flags=partial(person_flags, inputs.src))
    u = u.mutate(num=u.child * u.diverted, den=u.child)
    return Units(u, ("num", "den", "over_age", "estimated", "unknown_age"))


def released(spells: Any, src: Sources) -> Any:
    """Last stays of spells that ended by release (not transfer, not death) in the period,
    with the age at the spell's start (`age_now`: the flags are made by `per_child`)."""
    p = src.period
    s = spells.filter(spells.last_in_spell & in_period(spells.spell_end, p.start, p.end)
                      & ~spells.spell_end_reason.isin(list(ENDS_BY_RELEASE)))
    return s.mutate(**spell_start_age(s),
                    offence=offence_section(s.offence_code))


@query("aftercare")
def aftercare(inputs: Inputs) -> Units:
    s = released(inputs.spells, inputs.src)
    u = per_child(s, ["spell_end", "stay_id", "facility_id"], last_of=("spell_end_aftercare",),
                  flags=partial(person_flags, inputs.src))
    known = flag(u.spell_end_aftercare.notnull())
    u = u.mutate(
        num=u.child * flag(u.spell_end_aftercare == 1),
        den=u.child * known,
        unknown=u.child * (1 - known),
    )
    return Units(u, ("num", "den", "unknown", "over_age", "estimated", "unknown_age"))


