"""Action lists: one small hand-built place of detention per rule, the expected items worked
out by hand. As-of date D = 2025-06-30; default limits: pre-sentence 90 days (warning 10 days
before), police custody 48 hours, minimum age 12, releases without aftercare over 30 days;
the area XA-S has a pre-sentence limit of 60 days (setting per area, inherited by XA-S-01).
Runs on DuckDB and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from jjis.settings import Config
from jjis.store import Store
from jjis.web.actions import action_list, mark_handled
from jjis.web.db import ensure_web_tables

D = date(2025, 6, 30)
CONFIG = Config({"limits.pre_sentence_days_by_area": {"XA-S": 60}})

AREAS = [("XA", "Xandria", None, "country"), ("XA-N", "North", "XA", "region"),
         ("XA-S", "South", "XA", "region"), ("XA-S-01", "South one", "XA-S", "district")]
FACILITIES = [  # facility_id, kind, area, holds_adults
    ("RC", "remand_centre", "XA-N", False), ("PL", "police_lockup", "XA-N", True),
    ("JD", "juvenile_detention", "XA-N", False), ("AP", "adult_prison", "XA-N", True),
    ("RS", "remand_centre", "XA-S-01", False), ("CT", "court", "XA-N", None),
]
DOB_15 = date(2010, 1, 1)  # 15 on D


def kid(label: str) -> str:
    """The pseudonym (a UUID) standing for the child called `label` here."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"child:{label}"))


def stay(stay_id: str, child: str, facility: str, admitted: str, status: str = "pre_sentence", *,
         dob: date | None = DOB_15, age: int | None = None, sentenced: str | None = None,
         released: str | None = None, reason: str | None = None, aftercare: bool | None = None,
         separated: bool | None = True) -> dict[str, Any]:
    return dict(stay_id=stay_id, child_id=kid(child), sex="m", date_of_birth=dob, age=age,
                facility_id=facility, admission_date=date.fromisoformat(admitted),
                status_at_admission=status,
                sentence_date=date.fromisoformat(sentenced) if sentenced else None,
                release_date=date.fromisoformat(released) if released else None,
                release_reason=reason, aftercare=aftercare, wholly_separated=separated)


STAYS = [
    # remand centre RC (limit 90 days)
    stay("R-BEYOND", "c1", "RC", "2025-03-01"),                  # 121 days: beyond, and no decision
    stay("R-NEAR", "c2", "RC", "2025-04-05"),                    # 86 days: limit in 4 days
    stay("R-OK", "c3", "RC", "2025-04-25"),                      # 66 days: nothing
    stay("R-DECIDED", "c4", "RC", "2025-02-01"),                 # 149 days, a decision on 2025-05-01
    stay("R-SENTENCED", "c5", "RC", "2025-01-10", sentenced="2025-03-01"),  # sentenced: nothing
    stay("P-OLD", "c6", "PL", "2025-03-30", released="2025-04-01", reason="transfer"),
    stay("R-TRANSFER", "c6", "RC", "2025-04-02"),                # 89 days here, 92 over the spell
    stay("R-NOSEP", "c7", "RC", "2025-06-01", separated=False),  # not wholly separated
    stay("R-UNKSEP", "c8", "RC", "2025-06-01", separated=None),  # unknown, no adults here: nothing
    stay("R-NOCONTACT", "c9", "RC", "2025-05-01", "sentenced"),  # last contact 2025-03-30
    stay("R-CONTACT-EDGE", "c10", "RC", "2025-05-01", "sentenced"),  # contact on 2025-03-31
    stay("R-YOUNG", "c11", "RC", "2025-05-01", "sentenced", dob=date(2013, 9, 1)),  # 11 at start
    stay("R-YOUNG-AGE", "c12", "RC", "2025-06-01", "sentenced", dob=None, age=10),  # age column
    stay("R-REL-NOAC", "c13", "RC", "2025-01-01", "sentenced", released="2025-06-10",
         reason="sentence_served", aftercare=False),
    stay("R-REL-UNK", "c14", "RC", "2025-05-01", released="2025-06-01", reason="acquitted"),
    stay("R-REL-OLD", "c15", "RC", "2025-01-01", "sentenced", released="2025-05-31",
         reason="sentence_served", aftercare=False),               # 30 days ago: outside
    stay("R-REL-TRANSFER", "c16", "RC", "2025-05-01", released="2025-06-20", reason="transfer"),
    stay("R-REL-YES", "c17", "RC", "2025-01-01", "sentenced", released="2025-06-20",
         reason="early_release", aftercare=True),
    stay("R-REL-DEATH", "c18", "RC", "2025-01-01", "sentenced", released="2025-06-20",
         reason="death", aftercare=False),
    # police lock-up PL (48 hours; holds adults)
    stay("P-LONG", "c20", "PL", "2025-06-28"),    # (2 + 1) days x 24 = 72 hours > 48
    stay("P-SHORT", "c21", "PL", "2025-06-29"),   # (1 + 1) x 24 = 48 hours: not beyond
    stay("P-UNKSEP", "c22", "PL", "2025-06-30", separated=None),  # unknown, adults held here
    # juvenile detention JD
    stay("J-ADULT", "c30", "JD", "2025-01-01", "sentenced", dob=date(2007, 6, 15)),  # 18 on D
    stay("J-17", "c31", "JD", "2025-01-01", "sentenced", dob=date(2007, 7, 1)),      # 18 tomorrow
    # adult prison AP: an 18-year-old there is not listed
    stay("A-ADULT", "c32", "AP", "2025-01-01", "sentenced", dob=date(2007, 6, 15)),
    # remand centre RS in XA-S-01: the limit is 60 days (XA-S)
    stay("S-61", "c40", "RS", "2025-04-30"),      # 61 days > 60
]
# every child has a family contact in the window except c9 (and c10 exactly on its first day)
CONTACTS = [(f"k{c}", c, "2025-06-15") for c in
            ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c11", "c12", "c20", "c21", "c22",
             "c30", "c31", "c32", "c40")] + [("k9", "c9", "2025-03-30"), ("k10", "c10", "2025-03-31")]
DECISIONS = [("d4", "c4", "2025-05-01"), ("d40", "c40", "2025-05-15")]


@pytest.fixture
def country(store: Store) -> Store:
    ensure_web_tables(store)
    store.execute("DELETE FROM actions_handled")
    for row in AREAS:
        store.execute("INSERT INTO areas (area_id, name, parent_id, level) VALUES (?, ?, ?, ?)", list(row))
    for fid, kind, area, adults in FACILITIES:
        store.execute("INSERT INTO facilities (facility_id, name, area_id, kind, holds_adults) "
                      "VALUES (?, ?, ?, ?, ?)", [fid, fid, area, kind, adults])
    for s in STAYS:
        cols = list(s)
        store.execute(f"INSERT INTO detentions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [s[c] for c in cols])
    for cid, child, day in CONTACTS:
        store.execute("INSERT INTO family_contacts (contact_id, child_id, facility_id, contact_date, "
                      "kind, relation) VALUES (?, ?, 'RC', ?, 'visit_received', 'parent')",
                      [cid, kid(child), date.fromisoformat(day)])
    for did, child, day in DECISIONS:
        store.execute("INSERT INTO decisions (decision_id, child_id, sex, decision_date, facility_id, kind) "
                      "VALUES (?, ?, 'm', ?, 'CT', 'diversion')", [did, kid(child), date.fromisoformat(day)])
    return store


def items(store: Store, facility: str) -> list[tuple[str, str, int]]:
    return sorted((i.stay_id, i.rule, i.days_held) for i in action_list(store, CONFIG, facility, D).items)


def test_remand_centre(country: Store) -> None:
    assert items(country, "RC") == sorted([
        ("R-BEYOND", "pre_sentence_beyond_limit", 121),
        ("R-BEYOND", "no_decision_after_limit", 121),
        ("R-NEAR", "pre_sentence_near_limit", 86),
        ("R-DECIDED", "pre_sentence_beyond_limit", 149),   # a decision since: no second item
        ("R-TRANSFER", "pre_sentence_beyond_limit", 92),   # over the spell, not 89 days here
        ("R-TRANSFER", "no_decision_after_limit", 92),
        ("R-NOSEP", "not_wholly_separated", 29),
        ("R-NOCONTACT", "no_family_contact", 60),
        ("R-YOUNG", "below_minimum_age", 60),
        ("R-YOUNG-AGE", "below_minimum_age", 29),
        ("R-REL-NOAC", "released_without_aftercare", 160),  # days held up to the release
        ("R-REL-UNK", "released_without_aftercare", 31),
    ])


def test_the_details_say_why(country: Store) -> None:
    got = {(i.stay_id, i.rule): i.detail for i in action_list(country, CONFIG, "RC", D).items}
    assert got[("R-BEYOND", "pre_sentence_beyond_limit")] == "121 days before sentence; the limit is 90 days"
    assert got[("R-NEAR", "pre_sentence_near_limit")] == ("86 days before sentence; the limit of 90 days "
                                                          "is reached in 4 days")
    assert got[("R-NOCONTACT", "no_family_contact")] == "no visit or home visit recorded since 2025-03-31"
    assert got[("R-YOUNG", "below_minimum_age")].startswith("aged 11 when the detention began")
    assert got[("R-YOUNG-AGE", "below_minimum_age")].startswith("aged 10 when")
    assert got[("R-REL-NOAC", "released_without_aftercare")] == (
        "released 20 days ago (sentence_served); aftercare recorded as none")
    assert got[("R-REL-UNK", "released_without_aftercare")].endswith("aftercare not recorded")
    assert got[("R-NOSEP", "not_wholly_separated")] == "recorded as not wholly separated from adults"


def test_police_lockup(country: Store) -> None:
    assert items(country, "PL") == sorted([
        ("P-LONG", "police_custody_beyond_limit", 2),
        ("P-UNKSEP", "not_wholly_separated", 0),
    ])
    detail = {i.rule: i.detail for i in action_list(country, CONFIG, "PL", D).items}
    assert detail["police_custody_beyond_limit"] == ("in police custody since 2 days (up to 72 hours by "
                                                     "the end of the day); the limit is 48 hours")
    assert detail["not_wholly_separated"] == "separation not recorded, in a place that also holds adults"


def test_turned_18_in_a_place_for_children_only(country: Store) -> None:
    assert items(country, "JD") == [("J-ADULT", "turned_18_in_juvenile_place", 180)]
    assert items(country, "AP") == []


def test_limits_per_area_are_inherited(country: Store) -> None:
    result = action_list(country, CONFIG, "RS", D)
    assert result.limits.pre_sentence_days == 60
    assert [(i.stay_id, i.rule, i.days_held) for i in result.items] == [
        ("S-61", "pre_sentence_beyond_limit", 61)]
    # under the national 90 days, 61 days is neither beyond the limit nor within 10 days of it
    assert action_list(country, Config(), "RS", D).items == []


def test_not_a_place_of_detention(country: Store) -> None:
    result = action_list(country, CONFIG, "CT", D)
    assert result.items == [] and "not a place of detention" in (result.note or "")


def test_handled_marks_stay_with_the_item(country: Store) -> None:
    mark_handled(country, "RC", "R-NEAR", "pre_sentence_near_limit", "insp", "hearing set",
                 "2025-06-30T10:00:00")
    got = {(i.stay_id, i.rule): i.handled for i in action_list(country, CONFIG, "RC", D).items}
    assert got[("R-NEAR", "pre_sentence_near_limit")] == {"at": "2025-06-30T10:00:00", "by": "insp",
                                                          "note": "hearing set"}
    assert got[("R-BEYOND", "pre_sentence_beyond_limit")] is None


def test_items_never_carry_a_child_identifier(country: Store) -> None:
    for facility in ("RC", "PL", "JD", "RS"):
        for item in action_list(country, CONFIG, facility, D).as_json()["items"]:
            shown = " ".join(str(v) for v in item.values())
            assert not any(s["child_id"] in shown or s["child_id"].replace("-", "") in shown
                           for s in STAYS)
