"""Which counts of a set of figures are the same count, and which add up to which.

Each count a figure shows (its numerator, a share's denominator, events, unknown, over_age)
becomes one variable; counts that several figures show (indicator 3's numerator in its rate and
its share, indicator 2's numerator as the denominator of 3's share ...) share one variable, so they
are withheld together. Groups are the equations total = sum of cells that a reader could use:

- breakdown: the cells of one dimension (sex f, m, u ...) against the figure without it;
- area: the child areas of one parent area against the parent (a single child too);
- bands: a duration's bands against its cohort `count`; its census-date bands against the count
  its entry names (`census_bands_total`: indicator 4's against indicator 3's numerator, the
  children pre-sentence on the census date).

Which counts are the same count (`same_counts`), which indicators count people (`counts_people`)
and what census bands add up to are read from the catalogue's entries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from jjis.indicators.catalogue import COUNT_FIELDS, Catalogue, CountRef, Type
from jjis.indicators.results import Figure
from jjis.publish import suppression as sup

FigureKey = tuple[int, str, str, date, str]  # indicator, statistic, area, census_date, breakdown
Slot = tuple[FigureKey, str]  # a figure and one of FIELDS

FIELDS = COUNT_FIELDS
# Denominators of shares and per-1,000 rates are counts of children, except this average.
DENOMINATOR_NOT_A_COUNT = frozenset({"rate_average_daily_population"})
RATE_UNITS = frozenset({"per_100000", "per_1000"})

@dataclass
class Model:
    variables: sup.Variables
    groups: list[sup.Group] = field(default_factory=list)
    keys: list[FigureKey] = field(default_factory=list)
    var_of: dict[Slot, int] = field(default_factory=dict)
    cohort_of: dict[FigureKey, FigureKey] = field(default_factory=dict)


def figure_key(f: Figure, breakdown: Mapping[str, str] | None = None) -> FigureKey:
    bd = f.breakdown if breakdown is None else breakdown
    return (f.indicator, f.statistic, f.area, f.census_date,
            json.dumps(dict(bd), sort_keys=True, separators=(",", ":")))


def _with(key: FigureKey, indicator: int | None = None, statistic: str | None = None,
          area: str | None = None, breakdown: Mapping[str, str] | None = None) -> FigureKey:
    bd = key[4] if breakdown is None else json.dumps(dict(breakdown), sort_keys=True,
                                                      separators=(",", ":"))
    return (indicator or key[0], statistic or key[1], area or key[2], key[3], bd)


def slot_values(f: Figure, catalogue: Catalogue) -> dict[str, float]:
    """The counts a figure shows, by field; none for an indicator that counts no people (places
    of detention, checklist answers: no disclosure control applies)."""
    ind = catalogue.indicators.get(f.indicator)  # one the catalogue lacks counts people
    if (ind is not None and not ind.counts_people) or f.unit in ("answer", "days"):
        return {}
    out: dict[str, float | None] = {
        "numerator": f.value if f.unit == "count" and f.value is not None else f.numerator,
        "events": f.events, "unknown": f.unknown, "over_age": f.over_age,
        "unknown_age": f.unknown_age,
    }
    if f.unit in ("percent", "per_1000") and f.statistic not in DENOMINATOR_NOT_A_COUNT:
        out["denominator"] = f.denominator
    return {k: float(v) for k, v in out.items() if v is not None}


def _at(key: FigureKey, ref: CountRef) -> Slot | None:
    """The slot `ref` names, in the area, census date and breakdown of `key`; None where `ref`
    is taken at a breakdown value of a dimension `key` is already broken down by."""
    if ref.where is None:
        return (_with(key, ref.indicator, ref.statistic), ref.field)
    bd = json.loads(key[4])
    dim, value = ref.where
    if dim in bd:
        return None
    return (_with(key, ref.indicator, ref.statistic, breakdown={**bd, dim: value}), ref.field)


def _alias_target(slot: Slot, slots: Mapping[Slot, float], catalogue: Catalogue) -> Slot | None:
    key, name = slot
    ind = catalogue.indicators.get(key[0])
    ref = ind.same_counts.get((key[1], name)) if ind is not None else None
    target = _at(key, ref) if ref is not None else None
    if target is not None and slots.get(target) == slots[slot]:
        return target
    return None


def _variables(slots: dict[Slot, float], threshold: int, catalogue: Catalogue
               ) -> tuple[sup.Variables, dict[Slot, int]]:
    """One variable per distinct count; aliases (same value) and equal side counts share one."""
    variables = sup.Variables(threshold)
    var_of: dict[Slot, int] = {}
    side: dict[tuple[object, ...], int] = {}

    def resolve(slot: Slot, depth: int = 0) -> int:
        if slot in var_of:
            return var_of[slot]
        target = _alias_target(slot, slots, catalogue) if depth < 8 else None
        key, name = slot
        side_key = (key[0], key[2], key[3], key[4], name, slots[slot])
        if target is not None:
            var = resolve(target, depth + 1)
        elif name in ("unknown", "over_age", "unknown_age") and side_key in side:
            var = side[side_key]
        else:
            var = variables.add(slots[slot])
        if name in ("unknown", "over_age", "unknown_age"):
            side.setdefault(side_key, var)
        var_of[slot] = var
        return var

    for slot in slots:
        resolve(slot)
    return variables, var_of


def _equations(keys: list[FigureKey], slots: Mapping[Slot, float],
               parents: Mapping[str, str | None], catalogue: Catalogue
               ) -> dict[tuple[object, ...], list[Slot]]:
    """Group id -> [total slot, cell slots ...] for every equation a reader could use."""
    eqs: dict[tuple[object, ...], list[Slot]] = {}

    def add(total: Slot, cell: Slot, tag: str) -> None:
        if total in slots:
            eqs.setdefault((total, tag), [total]).append(cell)

    for key in sorted(set(keys)):
        bd = json.loads(key[4])
        for name in FIELDS:
            if (key, name) not in slots:
                continue
            for dim in bd:
                rest = {k: v for k, v in bd.items() if k != dim}
                add((_with(key, breakdown=rest), name), (key, name), "by " + dim)
            parent = parents.get(key[2])
            if parent:
                add((_with(key, area=parent), name), (key, name), "areas")
        ind = catalogue.indicators.get(key[0])
        if ind is None:
            continue
        if ind.type is Type.DURATION and key[1].startswith("band_"):
            add((_with(key, statistic="count"), "numerator"), (key, "numerator"), "bands")
        total = ind.census_bands_total
        if total is not None and key[1].startswith("on_census_band_"):
            at = _at(key, total)
            if at is not None:
                add(at, (key, "numerator"), "census bands")
    return eqs


def build_model(figures: list[Figure], threshold: int,
                parents: Mapping[str, str | None], catalogue: Catalogue) -> Model:
    keys = [figure_key(f) for f in figures]
    slots: dict[Slot, float] = {}
    for i in sorted(range(len(figures)), key=lambda i: keys[i]):  # independent of input order
        key, f = keys[i], figures[i]
        for name, value in slot_values(f, catalogue).items():
            slots[(key, name)] = value
    variables, var_of = _variables(slots, threshold, catalogue)
    model = Model(variables, keys=keys, var_of=var_of)
    for key, f in zip(keys, figures, strict=True):
        if f.unit == "days" and (_with(key, statistic="count"), "numerator") in slots:
            model.cohort_of[key] = _with(key, statistic="count")
        den = var_of.get((key, "denominator"))
        num = var_of.get((key, "numerator"))
        if den is not None and num is not None and variables.states[den] == sup.PRIMARY \
                and variables.states[num] == sup.PUBLISHED and variables.values[num] < threshold:
            variables.states[num] = sup.DEPENDENT
    seen: set[tuple[int, tuple[int, ...]]] = set()
    for members in _equations(keys, slots, parents, catalogue).values():
        total = var_of[members[0]]
        cells = sorted({var_of[s] for s in members[1:]} - {total})
        if (total, tuple(cells)) in seen or not cells:
            continue
        seen.add((total, tuple(cells)))
        group = sup.make_group(variables, total, cells)
        if group is not None:
            model.groups.append(group)
    return model
