"""The query of the extra indicator 16 (catalogue.toml beside this file): the children in detention
on the census date, and the girls among them. Registered by name; the engine sums the units per
area and breakdown like any of the fifteen."""

from __future__ import annotations

from jjis.indicators.counting import flag, per_child
from jjis.indicators.registry import Inputs, Units, query
from jjis.indicators.snapshot import on_census


@query("girls_in_detention")
def girls_in_detention(inputs: Inputs) -> Units:
    s = on_census(inputs.src, inputs.spells)
    s = s.mutate(girl=s.sex == "f")
    u = per_child(s, ["admission_date", "stay_id", "facility_id"], any_of=("girl",))
    u = u.mutate(girls=u.child * flag(u.girl == 1), children=u.child)
    return Units(u, ("girls", "children", "over_age", "estimated", "unknown_age"))
