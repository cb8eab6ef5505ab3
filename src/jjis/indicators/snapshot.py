"""Children in detention on the census date: indicators 2, 3, 7, 8 and the census views.

One unit per child in a place of detention on C (several stays of one child on C count once,
broken down by the first), carrying the flags that 2, 3, 7 and 8 need.
"""

from __future__ import annotations

from typing import Any

from jjis.indicators.base import Sources, offence_section, person_columns, spell_start_person
from jjis.indicators.counting import per_child
from jjis.indicators.periods import lit
from jjis.indicators.registry import Inputs, Units, query
from jjis.indicators.spells import covering, legal_status_on

SUMS = ("child", "over_age", "estimated", "unknown_age", "pre", "sep_num", "sep_den", "sep_unknown",
        "contact_num", "contact_den", "short_stay")


def on_census(src: Sources, spells: Any) -> Any:
    """Stays covering C, one row per stay, with the age and the breakdown columns."""
    c_day = lit(src.period.census)
    s = covering(spells, c_day)
    if src.config["indicators.age_basis"] == "admission":
        person = spell_start_person(src, s)
    else:
        person = person_columns(src, s, c_day, s.admission_date)
    return s.mutate(
        **person,
        legal_status=legal_status_on(s, c_day),
        offence=offence_section(s.offence_code),
    )


def children_on_census(src: Sources, spells: Any) -> Any:
    s = on_census(src, spells)
    fc = src.table("family_contacts")
    fc = fc.filter((fc.contact_date >= lit(src.period.contact_window_start))
                   & (fc.contact_date <= lit(src.period.census))
                   & fc.relation.isin(["parent", "guardian", "adult_family_member"]))
    contacted = fc.select(contact_child=fc.child_id).distinct()
    s = s.left_join(contacted, s.child_id == contacted.contact_child)
    s = s.mutate(
        is_pre=s.legal_status == "pre_sentence",
        not_sep=s.wholly_separated == False,  # noqa: E712  (an Ibis comparison)
        sep_known=s.wholly_separated.notnull(),
        contacted=s.contact_child.notnull(),
        long=s.spell_start <= lit(src.period.contact_window_start),
    )
    u = per_child(s, ["admission_date", "stay_id", "facility_id"],
                  any_of=("is_pre", "not_sep", "sep_known", "contacted", "long"))
    leave_out_short = bool(src.config["indicators.family_contact_leave_out_short_stays"])
    kept = u.long if leave_out_short else 1
    return u.mutate(
        pre=u.child * u.is_pre,
        sep_num=u.child * u.not_sep,
        sep_den=u.child * u.sep_known,
        sep_unknown=u.child * (1 - u.sep_known),
        contact_num=u.child * kept * u.contacted,
        contact_den=u.child * kept,
        short_stay=u.child * (1 - u.long) if leave_out_short else u.child * 0,
    )


@query("snapshot")
def children_in_detention(inputs: Inputs) -> Units:
    return Units(children_on_census(inputs.src, inputs.spells), SUMS)
