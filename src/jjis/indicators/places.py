"""Parts (b) of indicators 12 and 13: places of detention inspected, and operating a complaints
system. The unit is the place of detention, in the area where it is."""

from __future__ import annotations

from jjis.indicators.counting import flag
from jjis.indicators.periods import lit
from jjis.indicators.registry import Inputs, Units, query
from jjis.indicators.spells import in_period

SUMS = ("open_in_period", "inspected", "open_on_census", "complaints")


@query("places")
def places_of_detention(inputs: Inputs) -> Units:
    src = inputs.src
    p = src.period
    f = src.facilities(detention_only=True)
    i = src.table("inspections")
    i = i.filter(in_period(i.inspection_date, p.start, p.end) & (i.independent == True))  # noqa: E712
    inspected = i.select(inspected_id=i.facility_id).distinct()
    f = f.left_join(inspected, f.facility_id == inspected.inspected_id)
    opened_by_c = f.opened.isnull() | (f.opened <= lit(p.end))
    open_period = opened_by_c & (f.closed.isnull() | (f.closed > lit(p.start)))
    open_c = opened_by_c & (f.closed.isnull() | (f.closed > lit(p.end)))
    units = f.mutate(
        facility_kind=f.kind,
        open_in_period=flag(open_period),
        inspected=flag(open_period & f.inspected_id.notnull()),
        open_on_census=flag(open_c),
        complaints=flag(open_c & (f.complaints_system == True)),  # noqa: E712
    )
    return Units(units, SUMS)
