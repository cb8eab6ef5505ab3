"""Indicators 4-8 and 11: spells, durations, deaths, separation, family contact, aftercare.

Census date 2025-12-31, period 2025-01-01 .. 2025-12-31 (365 days). Children born 2010-06-01
(15 during the period) unless said otherwise.
"""

from __future__ import annotations

import pytest

from indicator_fixtures import country, run, stay

C = "2025-12-31"


def test_pre_sentence_durations_over_spells(engine_store):
    store = engine_store
    r = run(store, country(detentions=[
        # child 1: 20 days in a lock-up, transferred, sentenced 40 days later: one spell of 60
        stay("a1", 1, "LK1", "2025-03-01", "2025-03-21", "transfer"),
        stay("a2", 1, "RC2", "2025-03-22", "2025-06-01", "sentence_served",
             sentenced="2025-04-30"),
        # child 2: transferred, but the next stay begins two days later: two spells
        stay("b1", 2, "LK1", "2025-05-01", "2025-05-04", "transfer"),  # ends by transfer: out
        stay("b2", 2, "RC2", "2025-05-06", "2025-05-10", "released_pending_trial"),  # 4 days
        # child 3: released pending trial after 100 days
        stay("c1", 3, "RC2", "2025-02-01", "2025-05-12", "acquitted"),
        # child 4: died pre-sentence: not in the cohort of 4
        stay("d1", 4, "RC2", "2025-02-01", "2025-03-01", "death"),
        # child 5: pre-sentence period ended before the period: out
        stay("e1", 5, "RC2", "2024-10-01", "2024-12-01", "acquitted"),
        # child 6: still pre-sentence on C since 2025-12-20 (11 days): snapshot band 7-29
        stay("f1", 6, "RC2", "2025-12-20"),
        # child 7: arrived sentenced: never pre-sentence
        stay("g1", 7, "JD3", "2025-04-01", "2025-05-01", "sentence_served", status="sentenced"),
        # child 8: admitted at 18: left out of the cohort
        stay("h1", 8, "RC2", "2025-03-01", "2025-03-11", "dismissed", dob="2007-01-01"),
    ]), C, by=("facility_kind",))
    assert r.value(4, "count") == 3  # 60, 4 and 100 days
    assert r(4, "count").over_age == 1
    assert r.value(4, "median_days") == 60
    assert r.value(4, "mean_days") == pytest.approx((60 + 4 + 100) / 3)
    assert r.value(4, "band_0_6") == 1
    assert r.value(4, "band_30_89") == 1
    assert r.value(4, "band_90_179") == 1
    assert r.value(4, "on_census_band_7_29") == 1
    # breakdown follows the first stay of the spell: child 1 began in the lock-up
    assert r.value(4, "count", facility_kind="police_lockup") == 1
    assert r.value(4, "count", facility_kind="remand_centre") == 2
    # areas: child 1's spell began in BJ-N1; 2 and 3 in BJ-N2
    assert r.value(4, "count", "BJ-N1") == 1
    assert r.value(4, "count", "BJ-N") == 3


def test_sentenced_durations(store):
    r = run(store, country(detentions=[
        # child 1: sentenced 2025-04-30 during a spell, released 2025-06-01: 32 days sentenced
        stay("a1", 1, "LK1", "2025-03-01", "2025-03-21", "transfer"),
        stay("a2", 1, "RC2", "2025-03-21", "2025-06-01", "sentence_served",
             sentenced="2025-04-30"),
        # child 2: arrived sentenced 2024-11-01, early release 2025-11-01: 365 days
        stay("b1", 2, "JD3", "2024-11-01", "2025-11-01", "early_release", status="sentenced"),
        # child 3: sentenced, then died: not in the cohort of 5
        stay("c1", 3, "JD3", "2025-01-10", "2025-02-10", "death", status="sentenced"),
        # child 4: serving on C since 2025-12-01 (30 days)
        stay("d1", 4, "JD3", "2025-06-01", sentenced="2025-12-01"),
        # child 5: pre-sentence on C (not in 5's snapshot)
        stay("e1", 5, "RC2", "2025-12-01"),
    ]), C)
    assert r.value(5, "count") == 2
    assert r.value(5, "median_days") == pytest.approx((32 + 365) / 2)
    assert r.value(5, "band_30_89") == 1
    assert r.value(5, "band_365_plus") == 1
    assert r.value(5, "on_census_band_30_89") == 1
    assert sum(r.value(5, f"on_census_band_{b}") for b in
               ("0_6", "7_29", "30_89", "90_179", "180_364", "365_plus")) == 1
    # breakdown follows the last stay (the release): child 1 released from RC2 in BJ-N2
    assert r.value(5, "count", "BJ-N2") == 1
    assert r.value(5, "count", "BJ-S") == 1


def test_deaths_and_their_three_denominators(store):
    r = run(store, country(detentions=[
        stay("a1", 1, "RC2", "2025-07-01", "2025-07-11", "death"),  # died at 15: counts
        stay("b1", 2, "RC2", "2024-12-01", "2025-01-10", "acquitted"),  # detained in period
        stay("c1", 3, "RC2", "2024-06-01", "2024-12-31", "acquitted"),  # released before: out
        stay("d1", 4, "JD3", "2025-12-31"),  # admitted on C: detained in period and on C
        stay("e1", 5, "JD3", "2025-01-01", "2025-03-01", "death", dob="2007-01-01"),  # 18: out
    ]), C, by=("sex",))
    f = r(6, "rate")
    assert f.numerator == 1 and f.over_age == 1
    # detained in the period: children 1, 2, 4 (child 5 was 18 at the start of the spell)
    assert f.denominator == 3
    assert f.value == pytest.approx(1 / 3 * 1000)
    assert r.value(6, "rate_census") == pytest.approx(1 / 1 * 1000)  # child 4 on C
    # days held at the end of a day in the period: child 1 10 (07-01..07-10), child 2 9
    # (01-01..01-09), child 4 1 (12-31) = 20 days / 365 = average daily population 0.0548
    adp = r(6, "rate_average_daily_population")
    assert adp.denominator == pytest.approx(20 / 365)
    assert adp.value == pytest.approx(1 / (20 / 365) * 1000)


def test_separation_and_family_contact(store):
    contacts = [
        {"contact_id": "k1", "child_id": 1, "facility_id": "RC2", "contact_date": "2025-10-01",
         "kind": "visit_received", "relation": "parent"},  # first day of the window: counts
        {"contact_id": "k2", "child_id": 2, "facility_id": "RC2", "contact_date": "2025-09-30",
         "kind": "home_visit", "relation": "guardian"},  # one day before the window: no
        {"contact_id": "k3", "child_id": 3, "facility_id": "RC2", "contact_date": "2025-12-31",
         "kind": "visit_received", "relation": "adult_family_member"},  # on C: counts
    ]
    tables = country(family_contacts=contacts, detentions=[
        stay("a1", 1, "RC2", "2025-01-01", wholly_separated=False),
        stay("b1", 2, "RC2", "2025-01-01", wholly_separated=True),
        stay("c1", 3, "RC2", "2025-12-01", wholly_separated=None),  # unknown: left out of 7
        stay("d1", 4, "RC2", "2025-11-01", wholly_separated=None),
        stay("d2", 4, "JD3", "2025-11-01", wholly_separated=False),  # any stay "no": counts
    ])
    r = run(store, tables, C)
    seven = r(7, "percent")
    assert (seven.numerator, seven.denominator, seven.unknown) == (2, 3, 1)  # 1 and 4 of 1, 2, 4
    assert seven.value == pytest.approx(2 / 3 * 100)
    eight = r(8, "percent")  # window 2025-10-01 .. 2025-12-31: children 1 and 3 of 4
    assert (eight.numerator, eight.denominator) == (2, 4)
    # option: leave out children held less than three months on C (3 and 4)
    store.execute("DELETE FROM policy")  # (nothing to change: same data, new settings)
    r = run(store, {}, C, config={"indicators.family_contact_leave_out_short_stays": True})
    eight = r(8, "percent")
    assert (eight.numerator, eight.denominator) == (1, 2)
    assert ("short-stays-left-out", {"n": 2}) in [(n.code, n.values) for n in eight.notes]


def test_three_calendar_months_at_month_end(store):
    # C = 2025-05-31: the window starts 2025-03-01 (2025-02-28 plus one day)
    r = run(store, country(
        detentions=[stay("a1", 1, "RC2", "2025-01-01"), stay("b1", 2, "RC2", "2025-01-01")],
        family_contacts=[
            {"contact_id": "k1", "child_id": 1, "facility_id": "RC2", "contact_date": "2025-03-01",
             "kind": "visit_received", "relation": "parent"},
            {"contact_id": "k2", "child_id": 2, "facility_id": "RC2", "contact_date": "2025-02-28",
             "kind": "visit_received", "relation": "parent"},
        ]), "2025-05-31")
    assert (r(8, "percent").numerator, r(8, "percent").denominator) == (1, 2)


def test_aftercare_last_release_and_unknown(store):
    r = run(store, country(detentions=[
        # child 1: two releases; the last (aftercare yes) decides
        stay("a1", 1, "RC2", "2025-02-01", "2025-03-01", "acquitted", aftercare=False),
        stay("a2", 1, "JD3", "2025-05-01", "2025-06-01", "sentence_served", aftercare=True),
        # child 2: released without aftercare
        stay("b1", 2, "RC2", "2025-02-01", "2025-03-01", "dismissed", aftercare=False),
        # child 3: aftercare unknown: left out of both terms
        stay("c1", 3, "RC2", "2025-02-01", "2025-03-01", "dismissed"),
        # child 4: transferred on, released from the second stay with aftercare: one spell
        stay("d1", 4, "LK1", "2025-02-01", "2025-02-03", "transfer", aftercare=False),
        stay("d2", 4, "RC2", "2025-02-04", "2025-04-01", "released_pending_trial",
             aftercare=True),
        # child 5: died: not a release
        stay("e1", 5, "RC2", "2025-02-01", "2025-03-01", "death"),
    ]), C)
    f = r(11, "percent")
    assert (f.numerator, f.denominator, f.unknown) == (2, 3, 1)  # 1 and 4 of 1, 2, 4
    # child 1 is broken down by its first release (RC2, BJ-N2), with the last one's answer
    assert r(11, "percent", "BJ-N2").numerator == 2
    assert r(11, "percent", "BJ-S").denominator == 0
