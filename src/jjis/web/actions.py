"""Action lists: for one place of detention, the children who need someone to act.

Pure query logic over the registers (usable without the web application): `action_list(store,
config, facility_id, as_of)`. Each item names the register's own reference of the stay
(`stay_id`, never a child identifier), how long the child has been held and the rule that fired.
The rules and the choices behind them are documented in docs/web.md ("Action lists").

Durations run over the detention spell (stays chained by transfers, indicators.md "Spells").
Limits are settings, per area (inherited by the areas below).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from jjis.errors import JjisError
from jjis.indicators.periods import ADULT_AGE, Period, days_between
from jjis.indicators.spells import ENDS_BY_RELEASE, days_before_sentence
from jjis.reports.i18n import N_
from jjis.settings import Config, inherited
from jjis.store import Store, registers
from jjis.web.stays import Stay, load_stays

# code -> what the rule says, in the order lists show them
RULES: dict[str, str] = {
    "pre_sentence_beyond_limit": N_("pre-sentence detention beyond the legal limit"),
    "police_custody_beyond_limit": N_("police custody beyond its limit"),
    "below_minimum_age": N_("below the minimum age of criminal responsibility"),
    "no_decision_after_limit": N_("no legal status or decision recorded after the limit"),
    "not_wholly_separated": N_("not wholly separated from adults"),
    "turned_18_in_juvenile_place": N_("turned 18 in a place for children"),
    "pre_sentence_near_limit": N_("pre-sentence detention within days of the legal limit"),
    "no_family_contact": N_("no family contact in the last three months"),
    "released_without_aftercare": N_("released recently without aftercare"),
}
# releases that are not a return to the community: the spell's own (indicator 11), and escape
NO_RELEASE = (*ENDS_BY_RELEASE, "escape")


@dataclass
class Limits:
    pre_sentence_days: int
    warning_days: int
    police_custody_hours: int
    minimum_age: int
    aftercare_days: int
    juvenile_kinds: tuple[str, ...]

    @classmethod
    def for_area(cls, config: Config, chain: list[str]) -> Limits:
        def per_area(name: str) -> int:
            return int(inherited(config, f"limits.{name}_by_area", chain, f"limits.{name}"))

        return cls(per_area("pre_sentence_days"), int(config["limits.pre_sentence_warning_days"]),
                   per_area("police_custody_hours"), per_area("minimum_age"),
                   int(config["limits.aftercare_days"]), tuple(config["actions.juvenile_kinds"]))


@dataclass
class ActionItem:
    stay_id: str
    rule: str
    days_held: int
    detail: str
    handled: dict[str, str] | None = None
    # the detail as a message id of the catalogue and its fields, for a page in another language
    template: str = ""
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return RULES[self.rule]

    def as_json(self) -> dict[str, Any]:
        return {"stay_id": self.stay_id, "rule": self.rule, "rule_label": self.label,
                "days_held": self.days_held, "detail": self.detail, "handled": self.handled}


@dataclass
class ActionList:
    facility_id: str
    as_of: date
    limits: Limits
    items: list[ActionItem] = field(default_factory=list)
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"facility_id": self.facility_id, "as_of": self.as_of.isoformat(),
                "limits": vars(self.limits) | {"juvenile_kinds": list(self.limits.juvenile_kinds)},
                "note": self.note, "items": [i.as_json() for i in self.items]}


def area_chain(store: Store, area: str) -> list[str]:
    parents = {str(a): p for a, p in registers.area_parents(store)}
    chain: list[str] = []
    current: str | None = area
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def action_list(store: Store, config: Config, facility_id: str, as_of: date, *,
                handled: bool = True) -> ActionList:
    """Every rule that fires for the children in the facility on `as_of` (and for those released
    from it within the aftercare window), with handled marks attached (unless `handled` is
    False: `with_marks` attaches them later)."""
    rows = store.select("facilities", ["area_id", "kind", "holds_adults"],
                        {"facility_id": facility_id})
    if not rows:
        raise JjisError(f"there is no facility {facility_id}")
    area, kind, holds_adults = str(rows[0][0]), str(rows[0][1]), rows[0][2]
    limits = Limits.for_area(config, area_chain(store, area))
    out = ActionList(facility_id, as_of, limits)
    if kind not in config["indicators.detention_kinds"]:
        out.note = N_("a {kind} is not a place of detention: it has no action list").format(
            kind=kind)
        return out
    for stay in load_stays(store, facility_id, as_of, limits.aftercare_days,
                           detention_kinds=config["indicators.detention_kinds"]):
        out.items += _fire(stay, as_of, limits, kind, holds_adults)
    order = list(RULES)
    out.items.sort(key=lambda i: (order.index(i.rule), -i.days_held, i.stay_id))
    return with_marks(store, out) if handled else out


def with_marks(store: Store, result: ActionList) -> ActionList:
    """A copy of the list with the handled marks as they are now."""
    marks = handled_marks(store, result.facility_id)
    items = [replace(i, handled=marks.get((i.stay_id, i.rule))) for i in result.items]
    return replace(result, items=items)


def _fire(s: Stay, d: date, lim: Limits, kind: str, holds_adults: bool | None) -> list[ActionItem]:
    if s.released(d):
        return _released(s, d, lim)
    assert s.spell_start is not None
    held = days_between(s.spell_start, d)
    fired = [*_legal(s, d, lim, held), *_custody(s, d, lim, kind),
             *_care(s, d, lim, kind, holds_adults)]
    return [ActionItem(s.stay_id, rule, held, template.format(**fields), template=template,
                       fields=fields) for rule, (template, fields) in fired]


Detail = tuple[str, dict[str, Any]]  # a message id of the catalogue and its fields


def _d(template: str, **fields: Any) -> Detail:
    return template, fields


def _legal(s: Stay, d: date, lim: Limits, held: int) -> list[tuple[str, Detail]]:
    """Pre-sentence time against its limit; no legal status or decision after the limit."""
    status = s.status_on(d)
    if status is None:
        if held * 24 > lim.police_custody_hours:
            return [("no_decision_after_limit", _d(N_(
                "no legal status recorded, {held} days after the detention began"), held=held))]
        return []
    if status != "pre_sentence":
        return []
    assert s.spell_start is not None
    pre, limit = days_before_sentence(s.spell_start, d), lim.pre_sentence_days
    if pre > limit:
        out = [("pre_sentence_beyond_limit", _d(N_(
            "{pre} days before sentence; the limit is {limit} days"), pre=pre, limit=limit))]
        if s.last_decision is None or s.last_decision < s.spell_start:
            out.append(("no_decision_after_limit", _d(N_(
                "no decision recorded since the detention began {held} days ago, {past} days "
                "past the limit"), held=held, past=pre - limit)))
        return out
    if pre >= limit - lim.warning_days:
        return [("pre_sentence_near_limit", _d(N_(
            "{pre} days before sentence; the limit of {limit} days is reached in {left} days"),
            pre=pre, limit=limit, left=limit - pre))]
    return []


def _custody(s: Stay, d: date, lim: Limits, kind: str) -> list[tuple[str, Detail]]:
    """Police custody: hours are counted from dates as whole days, the admission day and the
    as-of day included (the most the child can have been held by the end of the day)."""
    days = (d - s.admission_date).days
    hours = (days + 1) * 24
    if kind == "police_lockup" and hours > lim.police_custody_hours:
        return [("police_custody_beyond_limit", _d(N_(
            "in police custody since {days} days (up to {hours} hours by the end of the day); "
            "the limit is {limit} hours"), days=days, hours=hours, limit=lim.police_custody_hours))]
    return []


def _care(s: Stay, d: date, lim: Limits, kind: str, holds_adults: bool | None
          ) -> list[tuple[str, Detail]]:
    """Separation from adults, family contact, age."""
    out = []
    if s.wholly_separated is False:
        out.append(("not_wholly_separated", _d(N_("recorded as not wholly separated from adults"))))
    elif s.wholly_separated is None and holds_adults:
        out.append(("not_wholly_separated", _d(N_(
            "separation not recorded, in a place that also holds adults"))))
    if not s.family_contact:
        since = Period(d).contact_window_start
        out.append(("no_family_contact", _d(N_("no visit or home visit recorded since {since}"),
                                            since=since.isoformat())))
    assert s.spell_start is not None
    start_age = s.spell_age
    if start_age is not None and start_age < lim.minimum_age:
        out.append(("below_minimum_age", _d(N_(
            "aged {age} when the detention began; the minimum age is {minimum}"),
            age=start_age, minimum=lim.minimum_age)))
    age = s.age_on(d)
    if kind in lim.juvenile_kinds and age is not None and age >= ADULT_AGE:
        out.append(("turned_18_in_juvenile_place", _d(N_("aged {age} in a place for children"),
                                                      age=age)))
    return out


def _released(s: Stay, d: date, lim: Limits) -> list[ActionItem]:
    assert s.release_date is not None and s.spell_start is not None
    if s.release_reason in NO_RELEASE or s.aftercare is True:
        return []
    ago = days_between(s.release_date, d)
    template = (N_("released {ago} days ago ({reason}); aftercare recorded as none")
                if s.aftercare is False else
                N_("released {ago} days ago ({reason}); aftercare not recorded"))
    fields = {"ago": ago, "reason": s.release_reason}
    return [ActionItem(s.stay_id, "released_without_aftercare",
                       days_between(s.spell_start, s.release_date),
                       template.format(**fields), template=template, fields=fields)]


def handled_marks(store: Store, facility_id: str) -> dict[tuple[str, str], dict[str, str]]:
    """The latest handled mark of each (stay_id, rule) of a facility."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for stay, rule, at, by, note in store.select(
            "actions_handled", ["stay_id", "rule", "handled_at", "handled_by", "note"],
            {"facility_id": facility_id}, order_by=["handled_at"]):
        out[(str(stay), str(rule))] = {"at": str(at), "by": str(by), "note": str(note)}
    return out


def mark_handled(store: Store, facility_id: str, stay_id: str, rule: str, user: str, note: str,
                 at: str) -> None:
    if rule not in RULES:
        raise JjisError(f"there is no rule {rule!r}; the rules are {', '.join(RULES)}")
    store.insert_rows("actions_handled", ["facility_id", "stay_id", "rule", "handled_at",
                                          "handled_by", "note"],
                      [[facility_id, stay_id, rule, at, user, note]])
