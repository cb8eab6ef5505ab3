"""Indicators 9, 10 (decisions), 12-15 (places of detention and policy) and aggregate returns."""

from __future__ import annotations

import pytest

from indicator_fixtures import arrest, country, decision, run, stay

C = "2025-12-31"


def test_custodial_sentencing_and_diversion(store):
    r = run(store, country(
        arrests=[arrest("x1", 9, "2025-03-01", outcome="diverted")],  # not a decision: ignored
        decisions=[
            decision("d1", 1, "2025-02-01", "custodial_sentence", offence_code="0101"),
            decision("d2", 1, "2025-06-01", "non_custodial_sentence"),  # same child: once
            decision("d3", 2, "2025-02-01", "non_custodial_sentence", facility="CT3"),
            decision("d4", 3, "2025-02-01", "diversion", facility="PS1"),  # police diversion
            decision("d5", 4, "2025-02-01", "acquittal"),  # neither
            decision("d6", 5, "2024-12-31", "custodial_sentence"),  # before the period
            decision("d7", 6, "2025-05-01", "custodial_sentence", dob="2007-01-01"),  # 18
            decision("d8", 7, "2025-03-01", "diversion"),
            decision("d9", 7, "2025-08-01", "custodial_sentence"),  # diverted, later sentenced
        ]), C, by=("offence",))
    nine = r(9, "percent")  # sentenced: 1, 2, 7; custodial: 1, 7
    assert (nine.numerator, nine.denominator, nine.over_age) == (2, 3, 1)
    assert nine.value == pytest.approx(2 / 3 * 100)
    assert r(9, "percent", "BJ-S").denominator == 1  # child 2, sentenced by CT3
    assert r(9, "percent", offence="01").numerator == 1  # child 1 by its first sentence
    ten = r(10, "percent")  # diverted or sentenced: 1, 2, 3, 7; diverted: 3, 7
    assert (ten.numerator, ten.denominator) == (2, 4)
    assert ten.value == 50


def test_places_inspections_and_complaints(store):
    facilities = [
        {"facility_id": "LK1", "name": "a", "area_id": "BJ-N1", "kind": "police_lockup",
         "complaints_system": True},
        {"facility_id": "RC2", "name": "b", "area_id": "BJ-N2", "kind": "remand_centre",
         "complaints_system": False, "closed": "2025-12-31"},  # closed on C: open in period only
        {"facility_id": "JD3", "name": "c", "area_id": "BJ-S", "kind": "juvenile_detention",
         "complaints_system": True, "opened": "2026-01-01"},  # opens after C: neither
        {"facility_id": "JD4", "name": "d", "area_id": "BJ-S", "kind": "juvenile_detention",
         "closed": "2025-01-01"},  # closed on the first day of the period: not open in it
        {"facility_id": "PS1", "name": "e", "area_id": "BJ-N1", "kind": "police_station",
         "complaints_system": True},  # not a place of detention
    ]
    inspections = [
        {"inspection_id": "i1", "facility_id": "LK1", "inspection_date": "2025-05-01",
         "independent": True},
        {"inspection_id": "i2", "facility_id": "RC2", "inspection_date": "2025-05-01",
         "independent": False},  # not independent
        {"inspection_id": "i3", "facility_id": "RC2", "inspection_date": "2024-05-01",
         "independent": True},  # before the period
    ]
    r = run(store, country(facilities=facilities, inspections=inspections))
    twelve = r(12, "part_b")  # open in period: LK1, RC2; inspected: LK1
    assert (twelve.numerator, twelve.denominator, twelve.value) == (1, 2, 50)
    thirteen = r(13, "part_b")  # open on C: LK1; with complaints: LK1
    assert (thirteen.numerator, thirteen.denominator, thirteen.value) == (1, 1, 100)
    assert r(12, "part_b", "BJ-N2").denominator == 1


def test_policy_answers(store):
    def item(ind: int, name: str, answer: str, as_of: str) -> dict[str, str]:
        return {"indicator": str(ind), "item": name, "answer": answer, "as_of": as_of}

    r = run(store, country(policy=[
        item(14, "courts", "no", "2020-01-01"),
        item(14, "courts", "yes", "2025-06-01"),  # latest on or before C: yes
        item(14, "police", "yes", "2024-01-01"),
        item(14, "police", "no", "2026-01-01"),  # after C: not yet
        item(15, "plan", "yes", "2025-01-01"),
        item(15, "budget", "no", "2025-01-01"),  # some yes: partial
        item(12, "law", "no", "2025-01-01"),  # none yes: no
        # 13: no item answered: not measured
    ]))
    assert r.value(14, "answer") == "yes"
    assert r(14, "answer").numerator == 2
    assert r.value(15, "answer") == "partial"
    assert r.value(12, "part_a") == "no"
    assert r.value(13, "part_a") is None
    assert [n.code for n in r(13, "part_a").notes] == ["no-checklist-answer"]


def test_aggregate_returns_only_by_area(store):
    # states that keep no registers send in_detention counts by area for the census date
    def ret(rid: str, area: str, value: int, **more: str) -> dict[str, object]:
        return {"return_id": rid, "area_id": area, "measure": "in_detention", "census_date": C,
                "value": value, **more}

    r = run(store, country(aggregate_returns=[
        ret("r1", "BJ-N1", 7), ret("r2", "BJ-S", 3),
        ret("r3", "BJ-S", 1, census_date="2025-06-30"),  # another date: not counted
        ret("r4", "BJ-N2", 2, sex="f"), ret("r5", "BJ-N2", 4, sex="m"),
    ]), C, by=("sex",))
    f = r(2, "rate")
    assert f.numerator == 16  # 7 + 3 + 2 + 4
    assert f.value == pytest.approx(16 / 10_800 * 100_000)
    assert "aggregate-returns" in {n.code for n in f.notes}
    assert r(2, "rate", "BJ-N").numerator == 13
    assert r(2, "rate", sex="m").numerator == 4
    assert r(2, "rate", sex="u").numerator == 10  # not split by sex: unknown sex


def test_aggregate_overlap_record_level_wins(store):
    r = run(store, country(
        detentions=[stay("a1", 1, "RC2", "2025-06-01"), stay("b1", 2, "RC2", "2025-06-01")],
        aggregate_returns=[
            {"return_id": "r1", "facility_id": "RC2", "measure": "in_detention",
             "census_date": C, "value": 5},  # RC2 also sent records: counted once, records win
            {"return_id": "r2", "facility_id": "JD3", "measure": "in_detention",
             "census_date": C, "value": 3},  # JD3 sent none: counted
            {"return_id": "r3", "facility_id": "CT1", "measure": "sentenced",
             "period_start": "2025-01-01", "period_end": "2025-12-31", "value": 4},
            {"return_id": "r4", "facility_id": "CT1", "measure": "custodial_sentences",
             "period_start": "2025-01-01", "period_end": "2025-12-31", "value": 1},
        ]), C)
    assert r(2, "rate").numerator == 5  # 2 records + 3 from JD3
    overlaps = r.result.overlaps
    assert [(o["source"], o["measure"]) for o in overlaps] == [("RC2", "in_detention")]
    assert [n.values["source"] for n in r(2, "rate").notes
            if n.code == "records-and-return"] == ["RC2"]
    nine = r(9, "percent")
    assert (nine.numerator, nine.denominator) == (1, 4)
