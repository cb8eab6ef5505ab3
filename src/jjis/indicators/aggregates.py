"""Aggregate returns: counts from sources without a record-level register, combined with the
record-level counts.

A return line counts when it is for C (snapshot measures: census_date = C) or for a period lying
within the indicator's period (period measures). A source that also sent record-level rows of the
same register for the period is counted once: record-level wins, and the overlap is reported. The
source of an area return is every facility in that area and below it.

Indicator 1 takes two measures: `arrested` (distinct children, the rate's numerator) and `arrests`
(arrests, the `events` statistic). A source that sent one of them and not the other leaves the
other unknown for every area its return lies in (`Contributions.not_given`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from jjis.indicators import backend
from jjis.indicators.base import CROSS, DIMENSIONS, Sources
from jjis.indicators.periods import lit
from jjis.indicators.spells import in_period

# measure -> (register it replaces, [(query, column)] it adds to)
MEASURES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "arrested": ("arrests", [("arrests", "child")]),  # distinct children
    "arrests": ("arrests", [("arrests", "events")]),  # arrests (events)
    "in_detention": ("detentions", [("snapshot", "child")]),
    "in_pre_sentence_detention": ("detentions", [("snapshot", "pre")]),
    "not_wholly_separated": ("detentions", [("snapshot", "sep_num")]),
    "with_family_contact": ("detentions", [("snapshot", "contact_num")]),
    "deaths": ("detentions", [("deaths", "deaths")]),
    "sentenced": ("decisions", [("sentencing", "den")]),
    "custodial_sentences": ("decisions", [("sentencing", "num")]),
    "diverted_or_sentenced": ("decisions", [("diversion", "den")]),
    "diverted": ("decisions", [("diversion", "num")]),
    "released": ("detentions", [("aftercare", "den")]),
    "released_with_aftercare": ("detentions", [("aftercare", "num")]),
}
# a source's in_detention is the denominator of 7 (8) only when it sent 7's (8's) numerator
DENOMINATOR_OF = {"not_wholly_separated": ("snapshot", "sep_den"),
                  "with_family_contact": ("snapshot", "contact_den")}
# (query, column) -> the measure that gives it, where a query's columns come from several measures:
# a source that sent one without the other leaves the other unknown for its areas
GIVEN_BY = {("arrests", "child"): "arrested", ("arrests", "events"): "arrests"}


@dataclass
class Contributions:
    # (query, column, member area, dim, value) -> count
    cells: dict[tuple[str, str, str, str, str], int] = field(
        default_factory=lambda: defaultdict(int))
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (query, column) -> [(source, member area)]: sources that did not give the column (GIVEN_BY)
    not_given: dict[tuple[str, str], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list))


def _recording_facilities(src: Sources) -> dict[str, set[str]]:
    p = src.period

    def arrests() -> Any:
        a = src.table("arrests")
        return a.filter(in_period(a.arrest_date, p.start, p.end)).select("facility_id").distinct()

    def decisions() -> Any:
        d = src.table("decisions")
        return d.filter(in_period(d.decision_date, p.start, p.end)).select("facility_id").distinct()

    def detentions() -> Any:
        s = src.table("detentions")
        return s.filter((s.admission_date <= lit(p.end))
                        & (s.release_date.isnull() | (s.release_date >= lit(p.start)))
                        ).select("facility_id").distinct()

    exprs = {"arrests": arrests, "decisions": decisions, "detentions": detentions}
    return {k: {r["facility_id"] for r in backend.run_rows(src.con, f"recording.{k}", e)}
            for k, e in exprs.items()}


def _returns(src: Sources) -> list[dict[str, Any]]:
    def build() -> Any:
        p = src.period
        r = src.table("aggregate_returns")
        f = src.table("facilities").select(f_id="facility_id", f_area="area_id", f_kind="kind")
        r = r.left_join(f, r.facility_id == f.f_id)
        keep = (r.census_date == lit(p.census)) | (
            (r.period_start >= lit(p.start)) & (r.period_end <= lit(p.end)))
        return r.filter(keep.fill_null(False))

    return backend.run_rows(src.con, "returns", build)


def _split(lines: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    """The lines of one source, measure and date, as (value, count) per breakdown."""
    plain = [x for x in lines if not x["sex"] and not x["age_group"]]
    by_sex = [x for x in lines if x["sex"] and not x["age_group"]] or [x for x in lines if x["sex"]]
    by_age = [x for x in lines if x["age_group"] and not x["sex"]] or [
        x for x in lines if x["age_group"]]
    total = plain or by_sex or by_age or lines
    n = sum(int(x["value"]) for x in total)
    kind = lines[0]["f_kind"] or "unknown"
    out = {
        "": [("", n)],
        "sex": [(x["sex"], int(x["value"])) for x in by_sex] or [("u", n)],
        "age_group": [(x["age_group"], int(x["value"])) for x in by_age] or [("unknown", n)],
        "offence": [("unknown", n)],
        "facility_kind": [(kind, n)],
        "legal_status": [("unknown", n)],
    }
    for a, b in itertools.combinations(DIMENSIONS, 2):  # cross breakdowns, canonical order
        out[f"{a}{CROSS}{b}"] = _cross(out, lines, a, b, n)
    return out


def _cross(single: dict[str, list[tuple[str, int]]], lines: list[dict[str, Any]], a: str, b: str,
           n: int) -> list[tuple[str, int]]:
    """The cells of the cross breakdown a*b of one source's lines: the lines giving both sex and
    age group where there are some, else one dimension's cells against the other's unknown;
    a dimension a return cannot split (offence, kind, legal status) has one value."""
    if {a, b} == {"sex", "age_group"}:
        both = [x for x in lines if x["sex"] and x["age_group"]]
        if both:
            return [(f"{x[a]}{CROSS}{x[b]}", int(x["value"])) for x in both]
        if len(single["sex"]) > 1 or single["sex"][0][0] != "u":
            pairs = [({"sex": v, "age_group": "unknown"}, c) for v, c in single["sex"]]
        else:
            pairs = [({"sex": "u", "age_group": v}, c) for v, c in single["age_group"]]
        return [(f"{p[a]}{CROSS}{p[b]}", c) for p, c in pairs]
    if len(single[a]) == 1:
        return [(f"{single[a][0][0]}{CROSS}{v}", c) for v, c in single[b]]
    return [(f"{v}{CROSS}{single[b][0][0]}", c) for v, c in single[a]]


def collect(src: Sources) -> Contributions:
    out = Contributions()
    lines = _returns(src)
    if not lines:
        return out
    recording = _recording_facilities(src)
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for x in lines:
        source = x["facility_id"] or x["area_id"]
        when = str(x["census_date"] or f"{x['period_start']}..{x['period_end']}")
        groups[(source, x["measure"], when, x["f_area"] or x["area_id"])].append(x)
    sent = {(s, m, w) for (s, m, w, _) in groups}
    fac_areas = _facility_areas(src)
    for (source, measure, when, area), group in groups.items():
        register, targets = MEASURES[measure]
        facilities = {source} if group[0]["facility_id"] else {
            f for f, a in fac_areas.items() if source in src.areas.chain(a)}
        if facilities & recording[register]:
            out.overlaps.append({"source": source, "area": area, "measure": measure, "date": when,
                                 "value": sum(int(x["value"]) for x in group),
                                 "register": register})
            continue
        if measure == "in_detention":
            targets = targets + [DENOMINATOR_OF[m] for m in DENOMINATOR_OF
                                 if (source, m, when) in sent]
        for query, column in GIVEN_BY:
            if (query, column) not in targets and any(q == query for q, _ in targets) \
                    and (source, GIVEN_BY[(query, column)], when) not in sent:
                out.not_given[(query, column)].append((source, area))
        for dim, values in _split(group).items():
            for query, column in targets:
                out.sources[query].add(source)
                for value, n in values:
                    out.cells[(query, column, area, dim, value)] += n
    return out


def _facility_areas(src: Sources) -> dict[str, str]:
    rows = backend.run_rows(src.con, "facility_areas",
                            lambda: src.table("facilities").select("facility_id", "area_id"))
    return {r["facility_id"]: r["area_id"] for r in rows}
