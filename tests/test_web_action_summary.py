"""The action summary across facilities (issue 14): counts per rule and per facility.

The counts are worked out by hand on the small places of test_web_actions (as of 2025-06-30):
RC lists 12 items (3 beyond the pre-sentence limit, 2 without a decision, 1 near the limit,
1 not separated, 1 without family contact, 2 below the minimum age, 2 released without
aftercare); PL 2 (police custody beyond its limit, separation unknown where adults are held);
JD 1 (turned 18); AP none; RS 1 (61 days against XA-S's 60); CT is not a place of detention.
On the synthetic country the summary is checked against the facilities' own action lists, and
each role's summary against its remit."""

from __future__ import annotations

import csv
import io

from jjis.store import Store
from jjis.web.access import Facility
from jjis.web.action_summary import summarise
from jjis.web.actions import action_list, mark_handled
from test_web_actions import CONFIG, FACILITIES, D
from test_web_actions import country as country  # noqa: F401  (the module's fixture)
from test_web_country import (
    IN_AREA,
    IN_FACILITY,
    WebCountry,
    csrf_of,
    web,  # noqa: F401  (the module's fixture)
)

PLACES = ("RC", "PL", "JD", "AP", "RS")


def _summary(store: Store):  # type: ignore[no-untyped-def]
    facilities = {fid: Facility(fid, fid, area, kind, adults) for fid, kind, area, adults in FACILITIES}
    lists = [action_list(store, CONFIG, fid, D) for fid in PLACES]
    return summarise(lists, facilities, {"XA-N": "North", "XA-S-01": "South one"}, D)


def test_counts_per_rule_and_facility(country: Store) -> None:  # noqa: F811
    s = _summary(country)
    assert {r.rule: (r.facilities, r.children) for r in s.rules} == {
        "pre_sentence_beyond_limit": (2, 4),  # RC: R-BEYOND, R-DECIDED, R-TRANSFER; RS: S-61
        "police_custody_beyond_limit": (1, 1),  # PL: P-LONG
        "below_minimum_age": (1, 2),  # RC: R-YOUNG, R-YOUNG-AGE
        "no_decision_after_limit": (1, 2),  # RC: R-BEYOND, R-TRANSFER
        "not_wholly_separated": (2, 2),  # RC: R-NOSEP; PL: P-UNKSEP
        "turned_18_in_juvenile_place": (1, 1),  # JD: J-ADULT
        "pre_sentence_near_limit": (1, 1),  # RC: R-NEAR
        "no_family_contact": (1, 1),  # RC: R-NOCONTACT
        "released_without_aftercare": (1, 2),  # RC: R-REL-NOAC, R-REL-UNK
    }
    assert [(line.facility.facility_id, line.total) for line in s.facilities] == [
        ("RC", 12), ("PL", 2), ("JD", 1), ("RS", 1), ("AP", 0)]  # most first, then by name
    assert [line.facility.facility_id for line in s.with_rule("not_wholly_separated")] == ["PL", "RC"]
    assert s.facilities[0].open["pre_sentence_beyond_limit"] == 3


def test_handled_items_are_not_open(country: Store) -> None:  # noqa: F811
    mark_handled(country, "RC", "R-NEAR", "pre_sentence_near_limit", "insp", "hearing set",
                 "2025-06-30T10:00:00")
    mark_handled(country, "RS", "S-61", "pre_sentence_beyond_limit", "insp", "", "2025-06-30T10:01:00")
    rules = {r.rule: (r.facilities, r.children) for r in _summary(country).rules}
    assert rules["pre_sentence_near_limit"] == (0, 0)
    assert rules["pre_sentence_beyond_limit"] == (1, 3)


# --- on the synthetic country, through the web ---------------------------------------------------

def _lists(web: WebCountry, facilities: list[str]) -> dict[str, dict[str, int]]:  # noqa: F811
    """Open items per rule of each facility, from its own action list (the API)."""
    out: dict[str, dict[str, int]] = {}
    for fid in facilities:
        items = web.client.get(f"/api/facilities/{fid}/action-list",
                               headers=web.token("admin")).json()["items"]
        per: dict[str, set[str]] = {}
        for i in items:
            if not i["handled"]:
                per.setdefault(i["rule"], set()).add(i["stay_id"])
        out[fid] = {r: len(s) for r, s in per.items()}
    return out


def test_the_summary_adds_up_the_facilities_action_lists(web: WebCountry) -> None:  # noqa: F811
    state = web.app.state.web  # type: ignore[attr-defined]
    places = set(state.config["indicators.detention_kinds"])
    every = [f["facility_id"] for f in web.client.get("/api/facilities", headers=web.token("admin"))
             .json()["facilities"] if f["kind"] in places]
    body = web.client.get("/api/action-summary", headers=web.token("admin")).json()
    assert body["as_of"] == "2025-12-31"
    assert sorted(f["facility_id"] for f in body["facilities"]) == sorted(every)
    own = _lists(web, every)
    assert {f["facility_id"]: f["open"] for f in body["facilities"]} == own
    for r in body["rules"]:
        assert r["facilities"] == sum(1 for o in own.values() if o.get(r["rule"]))
        assert r["children"] == sum(o.get(r["rule"], 0) for o in own.values())
    assert sum(r["children"] for r in body["rules"]) > 0  # the country has children to act for


def test_each_role_sees_its_remit_only(web: WebCountry) -> None:  # noqa: F811
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    area_of = {str(f): str(a) for f, a in store.fetchall("SELECT facility_id, area_id FROM facilities")}
    parent = {str(a): p for a, p in store.fetchall("SELECT area_id, parent_id FROM areas")}

    def in_area(area: str, top: str) -> bool:
        while area is not None:
            if area == top:
                return True
            area = parent.get(area)  # type: ignore[assignment]
        return False

    facility = web.client.get("/api/action-summary", headers=web.token("facility")).json()
    assert [f["facility_id"] for f in facility["facilities"]] == [IN_FACILITY]
    listed = web.client.get("/api/facilities", headers=web.token("facility")).json()["facilities"]
    assert [f["facility_id"] for f in listed] == [IN_FACILITY]
    for who in ("inspector", "analyst"):
        got = web.client.get("/api/action-summary", headers=web.token(who)).json()["facilities"]
        assert got and all(in_area(area_of[f["facility_id"]], IN_AREA) for f in got), who
    assert web.client.get("/api/action-summary").status_code == 401
    assert web.client.get("/api/facilities").status_code == 401
    assert web.session("anonymous").get("/actions", follow_redirects=False).status_code == 303
    assert web.client.get("/api/action-summary?as_of=soon",
                          headers=web.token("admin")).status_code == 422


def test_page_links_each_count_to_the_facility_list_and_downloads_csv(web: WebCountry) -> None:  # noqa: F811
    c = web.session("inspector")
    body = web.client.get("/api/action-summary", headers=web.token("inspector")).json()
    rule = next(r for r in body["rules"] if r["facilities"])
    page = c.get(f"/actions?rule={rule['rule']}")
    assert page.status_code == 200
    with_rule = [f for f in body["facilities"] if f["open"].get(rule["rule"])]
    assert len(with_rule) == rule["facilities"]
    for f in with_rule:
        assert f'href="/facilities/{f["facility_id"]}?as_of=2025-12-31&amp;rule={rule["rule"]}"' in page.text
    assert c.get("/actions?rule=nonsense").status_code == 422
    r = c.get("/actions.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {(row["facility_id"], row["rule"]): int(row["open_items"]) for row in rows} == {
        (f["facility_id"], rule_): n for f in body["facilities"] for rule_, n in f["open"].items()}
    assert not any(v.startswith(("=", "+", "@")) for row in rows for v in row.values())
    french = c.get("/actions?lang=fr").text
    assert "Synthèse des actions" in french


def test_marking_an_item_handled_lowers_its_count(web: WebCountry) -> None:  # noqa: F811
    h = web.token("admin")
    before = web.client.get("/api/action-summary", headers=h).json()
    item = web.client.get(f"/api/facilities/{IN_FACILITY}/action-list", headers=h).json()["items"][0]
    c = web.session("admin")
    token = csrf_of(c.get("/dashboard").text)
    r = c.post(f"/facilities/{IN_FACILITY}/handled", follow_redirects=False,
               data={"stay_id": item["stay_id"], "rule": item["rule"], "note": "seen",
                     "csrf_token": token})
    assert r.status_code == 303
    after = web.client.get("/api/action-summary", headers=h).json()
    counts = {x["rule"]: x["children"] for x in before["rules"]}
    counts[item["rule"]] -= 1
    assert {x["rule"]: x["children"] for x in after["rules"]} == counts
