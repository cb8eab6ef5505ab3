"""A plainly written reference implementation of indicators.md, for the property test.

Independent of the engine: plain Python over lists of dicts, one function per indicator, totals
(no breakdown) for every area. Default settings only. Ties between events of one child on the
same day are broken by the row's identifier, then its facility, as the engine does.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

DETENTION = {"police_lockup", "remand_centre", "juvenile_detention", "juvenile_correctional",
             "closed_care", "adult_prison"}
BANDS = [(0, 6, "0_6"), (7, 29, "7_29"), (30, 89, "30_89"), (90, 179, "90_179"),
         (180, 364, "180_364"), (365, 10**9, "365_plus")]


def years_between(a: date, b: date) -> int:
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def age_on(row: dict[str, Any], row_date: date, ref: date) -> int | None:
    if row.get("date_of_birth"):
        return years_between(row["date_of_birth"], ref)
    if row.get("age") is not None:
        return row["age"] + years_between(row_date, ref)
    return None


def is_child(age: int | None) -> bool:
    return age is None or age < 18


def month_back(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    for day in range(d.day, 27, -1):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    return date(y, m, min(d.day, 28))


class Reference:
    def __init__(self, tables: dict[str, list[dict[str, Any]]], census: date):
        self.t = tables
        self.c = census
        self.start = month_back(census, 12) + timedelta(days=1)
        self.parent = {a["area_id"]: a.get("parent_id") for a in tables["areas"]}
        self.fac = {f["facility_id"]: f for f in tables["facilities"]}

    def chain(self, area: str) -> list[str]:
        out = [area]
        while self.parent.get(out[-1]):
            out.append(self.parent[out[-1]])
        return out

    def area_of(self, facility: str) -> str:
        return self.fac[facility]["area_id"]

    def in_period(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.c

    def count_by_area(self, items: list[tuple[str, float]]) -> dict[str, float]:
        """Sum (area, amount) pairs into every area and its ancestors."""
        out: dict[str, float] = defaultdict(float)
        for area, n in items:
            for a in self.chain(area):
                out[a] += n
        return out

    # -- distinct children from events ---------------------------------------------------------
    def children_from_events(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Per person: the child events if any, else the adult ones; the first attributes."""
        by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in events:
            by_person[e["child_id"]].append(e)
        out = []
        for evs in by_person.values():
            kids = [e for e in evs if e["child"]]
            chosen = sorted(kids or evs, key=lambda e: e["order"])
            out.append({"child": bool(kids), "first": chosen[0], "last": chosen[-1],
                        "events": chosen})
        return out

    # -- stays and spells ----------------------------------------------------------------------
    def stays(self) -> list[dict[str, Any]]:
        return [s for s in self.t.get("detentions", [])
                if self.fac[s["facility_id"]]["kind"] in DETENTION]

    def spells(self) -> list[list[dict[str, Any]]]:
        by_child: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in self.stays():
            by_child[s["child_id"]].append(s)
        spells = []
        for stays in by_child.values():
            stays.sort(key=lambda s: (s["admission_date"], s["stay_id"], s["facility_id"]))
            current = [stays[0]]
            for prev, s in zip(stays, stays[1:], strict=False):
                gap = (s["admission_date"] - prev["release_date"]).days if prev.get(
                    "release_date") else None
                if prev.get("release_reason") == "transfer" and gap is not None and 0 <= gap <= 1:
                    current.append(s)
                else:
                    spells.append(current)
                    current = [s]
            spells.append(current)
        return spells

    def spell_of(self) -> dict[str, list[dict[str, Any]]]:
        return {s["stay_id"] + "|" + s["facility_id"]: sp for sp in self.spells() for s in sp}

    @staticmethod
    def sentence_at(spell: list[dict[str, Any]]) -> date | None:
        dates = [s["sentence_date"] for s in spell if s.get("sentence_date")]
        dates += [s["admission_date"] for s in spell[1:] if s["status_at_admission"] == "sentenced"]
        return min(dates) if dates else None

    @staticmethod
    def spell_end(spell: list[dict[str, Any]]) -> tuple[date | None, str | None]:
        last = spell[-1]
        return last.get("release_date"), last.get("release_reason")

    def age_at_spell_start(self, spell: list[dict[str, Any]]) -> int | None:
        first = spell[0]
        return age_on(first, first["admission_date"], first["admission_date"])

    def on_census(self) -> list[dict[str, Any]]:
        return [s for s in self.stays() if s["admission_date"] <= self.c
                and (not s.get("release_date") or s["release_date"] > self.c)]

    # -- the indicators --------------------------------------------------------------------------
    def compute(self) -> dict[tuple[int, str, str], dict[str, Any]]:
        out: dict[tuple[int, str, str], dict[str, Any]] = {}
        for fn in (self.ind1, self.ind2_3_7_8, self.ind4, self.ind5, self.ind6, self.ind9_10,
                   self.ind11, self.ind12_13, self.policy):
            out.update(fn())
        return out

    def _fill(self, ind: int, stat: str, per_area: dict[str, dict[str, Any]]
              ) -> dict[tuple[int, str, str], dict[str, Any]]:
        return {(ind, stat, a): per_area.get(a, {}) for a in self.parent}

    def ind1(self) -> dict:
        events = []
        for a in self.t.get("arrests", []):
            if self.in_period(a["arrest_date"]):
                age = age_on(a, a["arrest_date"], a["arrest_date"])
                events.append({**a, "child": is_child(age),
                               "order": (a["arrest_date"], a["arrest_id"], a["facility_id"])})
        people = self.children_from_events(events)
        kids = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people
                                   if p["child"]])
        n_events = self.count_by_area([(self.area_of(p["first"]["facility_id"]), len(p["events"]))
                                       for p in people if p["child"]])
        over = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people
                                   if not p["child"]])
        return {(1, "rate", a): {"numerator": kids.get(a, 0), "events": n_events.get(a, 0),
                                 "over_age": over.get(a, 0)} for a in self.parent}

    def _census_children(self) -> list[dict[str, Any]]:
        events = []
        spell = self.spell_of()
        window = month_back(self.c, 3) + timedelta(days=1)
        contacted = {k["child_id"] for k in self.t.get("family_contacts", [])
                     if window <= k["contact_date"] <= self.c}
        for s in self.on_census():
            age = age_on(s, s["admission_date"], self.c)
            pre = not (s["status_at_admission"] == "sentenced"
                       or (s.get("sentence_date") and s["sentence_date"] <= self.c))
            sp = spell[s["stay_id"] + "|" + s["facility_id"]]
            events.append({**s, "child": is_child(age), "pre": pre,
                           "spell_start": sp[0]["admission_date"],
                           "contacted": s["child_id"] in contacted,
                           "order": (s["admission_date"], s["stay_id"], s["facility_id"])})
        return self.children_from_events(events)

    def ind2_3_7_8(self) -> dict:
        people = [p for p in self._census_children()]
        kids = [p for p in people if p["child"]]

        def count(pred: Any) -> dict[str, float]:
            return self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1)
                                       for p in kids if pred(p)])

        detained = count(lambda p: True)
        over = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1)
                                   for p in people if not p["child"]])
        pre = count(lambda p: any(e["pre"] for e in p["events"]))
        not_sep = count(lambda p: any(e.get("wholly_separated") is False for e in p["events"]))
        known = count(lambda p: any(e.get("wholly_separated") is not None for e in p["events"]))
        contact = count(lambda p: p["first"]["contacted"])
        out = {}
        for a in self.parent:
            d = detained.get(a, 0)
            out[(2, "rate", a)] = {"numerator": d, "over_age": over.get(a, 0)}
            out[(3, "rate", a)] = {"numerator": pre.get(a, 0)}
            out[(3, "share_of_detained", a)] = {"numerator": pre.get(a, 0), "denominator": d}
            out[(7, "percent", a)] = {"numerator": not_sep.get(a, 0),
                                      "denominator": known.get(a, 0),
                                      "unknown": d - known.get(a, 0)}
            out[(8, "percent", a)] = {"numerator": contact.get(a, 0), "denominator": d}
        return out

    def _durations(self, ind: int, cohort: list[tuple[str, int, bool]],
                   census: list[tuple[str, int]]) -> dict:
        out = {}
        for a in self.parent:
            inside = [d for area, d, kid in cohort if kid and a in self.chain(area)]
            over = sum(1 for area, _, kid in cohort if not kid and a in self.chain(area))
            now = [d for area, d in census if a in self.chain(area)]
            out[(ind, "count", a)] = {"value": len(inside), "over_age": over}
            out[(ind, "median_days", a)] = {"value": statistics.median(inside) if inside else None}
            out[(ind, "mean_days", a)] = {"value": statistics.mean(inside) if inside else None}
            for lo, hi, name in BANDS:
                out[(ind, f"band_{name}", a)] = {"value": sum(lo <= d <= hi for d in inside)}
                out[(ind, f"on_census_band_{name}", a)] = {"value": sum(lo <= d <= hi for d in now)}
        return out

    def _census_days(self, status: str, since: Any) -> list[tuple[str, int]]:
        spell = self.spell_of()
        events = []
        for s in self.on_census():
            pre = not (s["status_at_admission"] == "sentenced"
                       or (s.get("sentence_date") and s["sentence_date"] <= self.c))
            if pre != (status == "pre_sentence"):
                continue
            sp = spell[s["stay_id"] + "|" + s["facility_id"]]
            events.append({**s, "child": is_child(age_on(s, s["admission_date"], self.c)),
                           "days": (self.c - since(sp, s)).days,
                           "order": (s["admission_date"], s["stay_id"], s["facility_id"])})
        return [(self.area_of(p["first"]["facility_id"]), p["first"]["days"])
                for p in self.children_from_events(events) if p["child"]]

    def ind4(self) -> dict:
        cohort = []
        for sp in self.spells():
            if sp[0]["status_at_admission"] == "sentenced":
                continue
            end, reason = self.spell_end(sp)
            pre_end = self.sentence_at(sp)
            if pre_end is None and end is not None and reason not in ("transfer", "death"):
                pre_end = end
            if self.in_period(pre_end):
                cohort.append((self.area_of(sp[0]["facility_id"]),
                               (pre_end - sp[0]["admission_date"]).days,
                               is_child(self.age_at_spell_start(sp))))
        census = self._census_days("pre_sentence", lambda sp, s: sp[0]["admission_date"])
        return self._durations(4, cohort, census)

    def ind5(self) -> dict:
        cohort = []
        for sp in self.spells():
            end, reason = self.spell_end(sp)
            if not self.in_period(end) or reason in ("transfer", "death"):
                continue
            arrived = sp[0]["status_at_admission"] == "sentenced"
            began = sp[0]["admission_date"] if arrived else self.sentence_at(sp)
            if began is None or began > end:
                continue
            cohort.append((self.area_of(sp[-1]["facility_id"]), (end - began).days,
                           is_child(self.age_at_spell_start(sp))))

        def since(sp: list, s: dict) -> date:
            if sp[0]["status_at_admission"] == "sentenced":
                return sp[0]["admission_date"]
            return self.sentence_at(sp) or s["admission_date"]

        return self._durations(5, cohort, self._census_days("sentenced", since))

    def ind6(self) -> dict:
        spell = self.spell_of()
        deaths, over, events, held = [], [], [], []
        for s in self.stays():
            area = self.area_of(s["facility_id"])
            if s.get("release_reason") == "death" and self.in_period(s.get("release_date")):
                kid = is_child(age_on(s, s["admission_date"], s["release_date"]))
                (deaths if kid else over).append((area, 1))
            rel = s.get("release_date")
            if s["admission_date"] <= self.c and (rel is None or rel >= self.start):
                sp = spell[s["stay_id"] + "|" + s["facility_id"]]
                if not is_child(self.age_at_spell_start(sp)):
                    continue
                events.append({**s, "child": True,
                               "order": (s["admission_date"], s["stay_id"], s["facility_id"])})
                first = max(s["admission_date"], self.start)
                stop = rel if rel is not None and rel <= self.c else self.c + timedelta(days=1)
                held.append((area, max((stop - first).days, 0)))
        detained = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1)
                                       for p in self.children_from_events(events)])
        d, o, h = self.count_by_area(deaths), self.count_by_area(over), self.count_by_area(held)
        days = (self.c - self.start).days + 1
        return {(6, "rate", a): {"numerator": d.get(a, 0), "denominator": detained.get(a, 0),
                                 "over_age": o.get(a, 0), "adp": h.get(a, 0) / days}
                for a in self.parent}

    def ind9_10(self) -> dict:
        out = {}
        for ind, kinds, flag in ((9, {"custodial_sentence", "non_custodial_sentence"},
                                  "custodial_sentence"),
                                 (10, {"custodial_sentence", "non_custodial_sentence",
                                       "diversion"}, "diversion")):
            events = [{**d, "child": is_child(age_on(d, d["decision_date"], d["decision_date"])),
                       "order": (d["decision_date"], d["decision_id"], d["facility_id"])}
                      for d in self.t.get("decisions", [])
                      if d["kind"] in kinds and self.in_period(d["decision_date"])]
            people = [p for p in self.children_from_events(events) if p["child"]]
            den = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people])
            num = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people
                                      if any(e["kind"] == flag for e in p["events"])])
            out.update({(ind, "percent", a): {"numerator": num.get(a, 0),
                                              "denominator": den.get(a, 0)} for a in self.parent})
        return out

    def ind11(self) -> dict:
        events = []
        for sp in self.spells():
            end, reason = self.spell_end(sp)
            if self.in_period(end) and reason not in ("transfer", "death"):
                last = sp[-1]
                events.append({**last, "child": is_child(self.age_at_spell_start(sp)),
                               "order": (end, last["stay_id"], last["facility_id"])})
        people = [p for p in self.children_from_events(events) if p["child"]]
        num = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people
                                  if p["last"].get("aftercare") is True])
        unknown = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people
                                      if p["last"].get("aftercare") is None])
        den = self.count_by_area([(self.area_of(p["first"]["facility_id"]), 1) for p in people
                                  if p["last"].get("aftercare") is not None])
        return {(11, "percent", a): {"numerator": num.get(a, 0), "denominator": den.get(a, 0),
                                     "unknown": unknown.get(a, 0)} for a in self.parent}

    def ind12_13(self) -> dict:
        inspected = {i["facility_id"] for i in self.t.get("inspections", [])
                     if i["independent"] and self.in_period(i["inspection_date"])}
        open_p, insp, open_c, compl = [], [], [], []
        for f in self.fac.values():
            if f["kind"] not in DETENTION:
                continue
            opened_ok = f.get("opened") is None or f["opened"] <= self.c
            if opened_ok and (f.get("closed") is None or f["closed"] > self.start):
                open_p.append((f["area_id"], 1))
                insp.append((f["area_id"], int(f["facility_id"] in inspected)))
            if opened_ok and (f.get("closed") is None or f["closed"] > self.c):
                open_c.append((f["area_id"], 1))
                compl.append((f["area_id"], int(f.get("complaints_system") is True)))
        op, ins, oc, co = (self.count_by_area(x) for x in (open_p, insp, open_c, compl))
        out = {}
        for a in self.parent:
            out[(12, "part_b", a)] = {"numerator": ins.get(a, 0), "denominator": op.get(a, 0)}
            out[(13, "part_b", a)] = {"numerator": co.get(a, 0), "denominator": oc.get(a, 0)}
        return out

    def policy(self) -> dict:
        latest: dict[tuple[str, str], tuple[date, str]] = {}
        for p in self.t.get("policy", []):
            key = (p["indicator"], p["item"])
            if p["as_of"] <= self.c and (key not in latest or p["as_of"] > latest[key][0]):
                latest[key] = (p["as_of"], p["answer"])
        out = {}
        for ind, stat in ((12, "part_a"), (13, "part_a"), (14, "answer"), (15, "answer")):
            answers = [a for (i, _), (_, a) in latest.items() if i == str(ind)]
            yes = sum(a == "yes" for a in answers)
            value = None if not answers else (
                "yes" if yes == len(answers) else "partial" if yes else "no")
            root = next(a for a, p in self.parent.items() if not p)
            out[(ind, stat, root)] = {"answer": value}
        return out
