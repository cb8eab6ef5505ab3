"""Indicators 1, 2, 3: periods, snapshots, ages, distinct children, areas and populations.

Population of the fixture country: 100 persons per sex and single age 0-17 in each of BJ-N1,
BJ-N2 and BJ-S, so 3,600 children in each, 7,200 in BJ-N and 10,800 in BJ.
"""

from __future__ import annotations

import pytest

from indicator_fixtures import arrest, country, population, run, stay

C = "2025-12-31"  # period 2025-01-01 .. 2025-12-31


def test_period_bounds_and_distinct_children(store):
    r = run(store, country(arrests=[
        arrest("a1", 1, "2025-01-01"),  # first day of the period: counts
        arrest("a2", 2, "2024-12-31"),  # the day before: left out
        arrest("a3", 3, "2025-12-31"),  # census date: counts
        arrest("a4", 3, "2025-06-01"),  # child 3 again: one child, two arrests
        arrest("a5", 4, "2026-01-01"),  # after C: left out
    ]))
    f = r(1, "rate")
    assert f.numerator == 2  # children 1 and 3
    assert f.events == 3  # a1, a3, a4
    assert r.value(1, "events") == 3
    assert f.denominator == 10_800
    assert f.value == pytest.approx(2 / 10_800 * 100_000)  # 18.52 per 100,000


def test_eighteenth_birthday_and_unknown_age(store):
    r = run(store, country(population=population({"BJ-N1": 100, "BJ-N2": 100, "BJ-S": 100}, 2026),
                           arrests=[
        arrest("a1", 1, "2026-03-14", dob="2008-03-15"),  # 17 on the day before the birthday
        arrest("a2", 2, "2026-03-15", dob="2008-03-15"),  # 18 on the birthday: left out
        arrest("a3", 3, "2026-03-01", dob=None),  # unknown age: counted, age group unknown
        arrest("a4", 4, "2026-03-01", dob=None, age=17),  # 17 on that day: estimated
        arrest("a5", 5, "2025-06-01", dob=None, age=17),  # 17 then, 18 ... still 17 on its date
    ]), "2026-03-31", by=("age_group",))
    f = r(1, "rate")
    assert f.numerator == 4  # 1, 3, 4, 5
    assert f.over_age == 1  # child 2
    assert ("age-estimated", {"n": 2}) in [(n.code, n.values) for n in f.notes]  # 4 and 5
    assert r(1, "rate", age_group="16_17").numerator == 3  # 1, 4, 5
    assert r(1, "rate", age_group="unknown").numerator == 1  # 3
    assert r(1, "rate", age_group="unknown").value is None  # no population of unknown age
    # 16-17: 2 ages x 2 sexes x 100 x 3 areas = 1,200 children
    assert r(1, "rate", age_group="16_17").denominator == 1_200


def test_breakdown_by_first_event_and_areas(store):
    r = run(store, country(
        facilities=[*country()["facilities"],
                    {"facility_id": "PS3", "name": "Police S", "area_id": "BJ-S",
                     "kind": "police_station"}],
        arrests=[
            arrest("a1", 1, "2025-02-01", facility="PS3", offence_code="0501"),  # first: South
            arrest("a2", 1, "2025-03-01", facility="PS1", offence_code="0201"),
            arrest("a3", 2, "2025-03-01", facility="PS1", sex="m"),
        ]), by=("offence", "sex"))
    assert r(1, "rate", "BJ").numerator == 2
    assert r(1, "rate", "BJ-S").numerator == 1  # child 1, by its first arrest
    assert r(1, "rate", "BJ-N1").numerator == 1  # child 2 only
    assert r(1, "rate", "BJ-N").numerator == 1  # the region includes its districts
    assert r(1, "rate", "BJ-N2").numerator == 0
    assert r(1, "rate", "BJ", offence="05").numerator == 1
    assert r(1, "rate", "BJ", offence="02").numerator == 0  # child 1 broken down by a1
    assert r(1, "rate", "BJ", offence="unknown").numerator == 1
    # by sex: the population of that sex (5,400 in BJ)
    assert r(1, "rate", "BJ", sex="m").denominator == 5_400
    assert r(1, "rate", "BJ", sex="m").value == pytest.approx(1 / 5_400 * 100_000)
    # only the chosen area and those below it
    r2 = run(store, {}, area="BJ-N")
    assert {f.area for f in r2.result.figures} == {"BJ-N", "BJ-N1", "BJ-N2"}


def test_snapshot_admitted_and_released_on_census_date(engine_store):
    store = engine_store
    r = run(store, country(detentions=[
        stay("s1", 1, "LK1", C),  # admitted on C: counts
        stay("s2", 2, "LK1", "2025-11-01", C, "released_pending_trial"),  # released on C: no
        stay("s3", 3, "RC2", "2025-11-01", "2026-01-05", "acquitted"),  # released after C
        stay("s4", 3, "JD3", "2025-11-01"),  # same child, second stay that day: once
        stay("s5", 4, "RC2", "2025-10-01", status="sentenced"),
        stay("s6", 5, "RC2", "2025-10-01", sentenced="2025-12-31"),  # sentenced on C
        stay("s7", 6, "RC2", "2025-10-01", sentenced="2026-01-10"),  # sentenced after C
        stay("s8", 7, "RC2", "2025-10-01", dob="2007-12-31"),  # 18 on C: left out
    ]), C, by=("legal_status", "facility_kind"))
    two = r(2, "rate")
    assert two.numerator == 5  # children 1, 3, 4, 5, 6
    assert two.over_age == 1
    assert two.value == pytest.approx(5 / 10_800 * 100_000)
    assert r(2, "rate", "BJ-S").numerator == 0  # child 3 broken down by s3 (RC2, first by id)
    assert r(2, "rate", legal_status="sentenced").numerator == 2  # 4 and 5
    assert r(2, "rate", legal_status="pre_sentence").numerator == 3  # 1, 3, 6
    assert r(2, "rate", facility_kind="police_lockup").numerator == 1
    three = r(3, "rate")
    assert three.numerator == 3
    assert r.value(3, "share_of_detained") == pytest.approx(3 / 5 * 100)  # 60%


def test_age_basis_admission(store):
    tables = country(detentions=[stay("s1", 1, "RC2", "2025-06-01", dob="2007-10-01")])
    # 17 at admission, 18 on C: left out by default, counted with age_basis = admission
    assert run(store, tables).value(2, "rate") == 0
    r = run(store, {}, config={"indicators.age_basis": "admission"})
    assert r(2, "rate").numerator == 1


def test_population_age_range_per_area_and_missing(store):
    tables = country(
        population=population({"BJ-N1": 100, "BJ-S": 100}),  # BJ-N2 has none
        detentions=[stay("s1", 1, "LK1", "2025-12-01")])
    r = run(store, tables, config={"population.ages_by_area": {"BJ-N": [10, 16]}})
    # BJ-N1 inherits 10-16 from BJ-N: 7 ages x 2 sexes x 100 = 1,400
    assert r(2, "rate", "BJ-N1").denominator == 1_400
    assert r(2, "rate", "BJ-S").denominator == 3_600
    # BJ-N2 has no population: the region and the country have no rate either, with a note
    for area in ("BJ-N2", "BJ-N", "BJ"):
        f = r(2, "rate", area)
        assert f.value is None and f.numerator in (0, 1)
        assert ("no-population", {"areas": "BJ-N2", "year": 2025}) in [
            (n.code, n.values) for n in f.notes]
    assert r.result.problems  # the top area has no population: the run reports a problem
    # an area's own population rows are used when it has them: BJ's own 0-17 range
    store.execute("DELETE FROM population")
    r = run(store, {"population": population({"BJ": 10})})
    assert r(2, "rate", "BJ").denominator == 360
    assert r(2, "rate", "BJ-N1").value is None
