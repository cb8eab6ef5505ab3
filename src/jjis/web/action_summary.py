"""The action summary: the open items of many facilities' action lists, counted per rule and per
facility ("held with adults: 9 facilities, 107 children"), so that an inspector, an analyst or an
admin sees where to look without opening each facility.

Pure over action lists (`jjis.web.actions.ActionList`): `summarise(lists, facilities)`. An item
is open while it has no handled mark. A child is counted once per rule and facility (the items of
one rule name one stay each); the same child listed under two rules counts under each. The
"children" of a rule across facilities are the sum over the facilities (a child is held in one
place at a time; a child released from one facility within the aftercare window and held in
another counts in both, as each facility's list names them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jjis.web.access import Facility
from jjis.web.actions import RULES, ActionList


@dataclass
class FacilityLine:
    """One facility's open items per rule."""

    facility: Facility
    area_name: str
    open: dict[str, int] = field(default_factory=dict)  # rule -> children (only rules that fired)

    @property
    def total(self) -> int:
        return sum(self.open.values())

    def as_json(self) -> dict[str, Any]:
        f = self.facility
        return {"facility_id": f.facility_id, "name": f.name, "area_id": f.area_id,
                "kind": f.kind, "open_items": self.total, "open": dict(self.open)}


@dataclass
class RuleLine:
    rule: str
    facilities: int
    children: int

    @property
    def label(self) -> str:
        return RULES[self.rule]

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "rule_label": self.label, "facilities": self.facilities,
                "children": self.children}


@dataclass
class Summary:
    as_of: date
    rules: list[RuleLine]  # every rule, in the order action lists show them
    facilities: list[FacilityLine]  # every facility summarised, most open items first

    def with_rule(self, rule: str) -> list[FacilityLine]:
        """The facilities where the rule has open items, most first."""
        return sorted((f for f in self.facilities if f.open.get(rule)),
                      key=lambda f: (-f.open[rule], f.facility.name))

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "rules": [r.as_json() for r in self.rules],
                "facilities": [f.as_json() for f in self.facilities]}


def summarise(lists: Iterable[ActionList], facilities: dict[str, Facility],
              area_names: dict[str, str], as_of: date) -> Summary:
    """The summary of the lists (one per facility, all of the same as-of date)."""
    lines: list[FacilityLine] = []
    for result in lists:
        f = facilities[result.facility_id]
        stays: dict[str, set[str]] = {}
        for item in result.items:
            if not item.handled:
                stays.setdefault(item.rule, set()).add(item.stay_id)
        lines.append(FacilityLine(f, area_names.get(f.area_id, f.area_id),
                                  {r: len(stays[r]) for r in RULES if r in stays}))
    rules = [RuleLine(r, sum(1 for line in lines if line.open.get(r)),
                      sum(line.open.get(r, 0) for line in lines)) for r in RULES]
    lines.sort(key=lambda line: (-line.total, line.facility.name, line.facility.facility_id))
    return Summary(as_of, rules, lines)


CSV_FIELDS = ("facility_id", "facility", "area_id", "area", "kind", "rule", "rule_label",
              "open_items")


def csv_rows(summary: Summary) -> list[list[Any]]:
    """One row per facility and rule with open items (the CSV download); cells are neutralised
    by the writer."""
    out: list[list[Any]] = []
    for line in summary.facilities:
        f = line.facility
        for rule, n in line.open.items():
            out.append([f.facility_id, f.name, f.area_id, line.area_name, f.kind, rule,
                        RULES[rule], n])
    return out
