"""Cross breakdowns (`--by sex*age_group`), worked by hand from indicators.md on both engines.

Census date 2025-12-31, period 2025. Population (indicator_fixtures.country): 100 per sex and
year of age in each of BJ-N1, BJ-N2 and BJ-S, so in BJ 600 girls aged 14-15, 4,200 boys under
14, 5,400 girls and 10,800 children. A child is broken down by the first qualifying event of the
period (its age on that event's date for arrests), counts once, and the arrests are reported
beside the children.
"""

from __future__ import annotations

import pytest

from indicator_fixtures import arrest, country, run
from jjis.errors import JjisError
from jjis.indicators.base import check_by

C = "2025-12-31"
AGES = ("under_14", "14_15", "16_17", "unknown")

ARRESTS = [
    # child 1: a girl of 14 on 2025-03-01 (born 2010-06-01), arrested again at 15: f*14_15, once
    arrest("a1", 1, "2025-03-01"), arrest("a2", 1, "2025-08-01"),
    arrest("b1", 2, "2025-02-01", sex="m", dob="2012-01-15"),  # a boy of 13: m*under_14
    arrest("c1", 3, "2025-04-01", sex="m", dob="2008-05-01"),  # a boy of 16: m*16_17
    arrest("d1", 4, "2025-10-01", dob="2009-11-01"),  # a girl of 15: f*14_15
    arrest("e1", 5, "2025-06-01", sex=None, dob="2011-01-01"),  # sex not recorded, 14: u*14_15
    arrest("f1", 6, "2025-06-01", dob=None),  # a girl of unknown age (a child): f*unknown
    arrest("g1", 7, "2025-06-01", sex="m", dob="2007-01-01"),  # 18: left out (over age)
]


def test_arrests_by_sex_and_age_group(store):
    r = run(store, country(arrests=ARRESTS), C, by=("sex*age_group",))
    cell = {(s, a): r(1, "rate", sex=s, age_group=a) for s in "fmu" for a in AGES}
    children = {k: f.numerator for k, f in cell.items() if f.numerator}
    assert children == {("f", "14_15"): 2, ("m", "under_14"): 1, ("m", "16_17"): 1,
                        ("u", "14_15"): 1, ("f", "unknown"): 1}
    f14 = cell[("f", "14_15")]
    assert (f14.denominator, f14.events) == (600, 3)  # child 1's two arrests and child 4's
    assert f14.value == pytest.approx(2 / 600 * 100_000)
    assert cell[("m", "under_14")].value == pytest.approx(1 / 4_200 * 100_000)
    assert cell[("u", "14_15")].value is None  # no population of unknown sex
    assert cell[("f", "unknown")].value is None and cell[("f", "unknown")].unknown_age == 1
    # the margins are the single breakdowns, computed in the same run
    assert r(1, "rate", sex="f").numerator == 3
    assert r(1, "rate", sex="f").value == pytest.approx(3 / 5_400 * 100_000)
    assert r(1, "rate", age_group="14_15").numerator == 3
    assert r(1, "rate").numerator == 6 and r(1, "rate").over_age == 1
    # in the district too: BJ-N1 has 200 girls aged 14-15
    assert r(1, "rate", "BJ-N1", sex="f", age_group="14_15").value == pytest.approx(1_000.0)
    # every row and column adds up to its margin, in every area
    for area in ("BJ", "BJ-N", "BJ-N1"):
        for s in "fmu":
            assert sum(r(1, "rate", area, sex=s, age_group=a).numerator for a in AGES) == \
                r(1, "rate", area, sex=s).numerator
        for a in AGES:
            assert sum(r(1, "rate", area, sex=s, age_group=a).numerator for s in "fmu") == \
                r(1, "rate", area, age_group=a).numerator


def test_aggregate_returns_are_split_across_both_dimensions(store):
    def ret(rid: str, area: str, value: int, **more: str) -> dict[str, object]:
        return {"return_id": rid, "area_id": area, "measure": "in_detention", "census_date": C,
                "value": value, **more}

    r = run(store, country(aggregate_returns=[
        ret("r1", "BJ-N1", 3, sex="f", age_group="14_15"),
        ret("r2", "BJ-N1", 2, sex="m", age_group="16_17"),
        ret("r3", "BJ-S", 4, sex="f"),  # by sex only: age unknown
        ret("r4", "BJ-N2", 5),  # neither: sex and age unknown
    ]), C, by=("sex*age_group",))
    got = {(s, a): r(2, "rate", sex=s, age_group=a).numerator for s in "fmu" for a in AGES}
    assert {k: v for k, v in got.items() if v} == {
        ("f", "14_15"): 3, ("m", "16_17"): 2, ("f", "unknown"): 4, ("u", "unknown"): 5}
    assert [r(2, "rate", sex=s).numerator for s in "fmu"] == [7, 2, 5]
    assert [r(2, "rate", age_group=a).numerator for a in AGES] == [0, 3, 2, 9]
    assert r(2, "rate").numerator == 14


@pytest.mark.parametrize(("by", "words"), [
    ("sex*sex", "two different dimensions"),
    ("sex*colour", "cannot break down by 'colour' (in 'sex*colour'); allowed: sex, age_group"),
    ("sex*age_group*offence", "a cross breakdown has two dimensions"),
    ("colour", "allowed: sex, age_group, offence, facility_kind, legal_status"),
])
def test_bad_breakdowns_are_refused(by: str, words: str) -> None:
    with pytest.raises(JjisError, match=words.replace("(", r"\(").replace(")", r"\)")
                       .replace("*", r"\*")):
        check_by([by])


def test_a_cross_breakdown_brings_its_margins_in_either_order() -> None:
    assert check_by(["age_group*sex", "offence"]) == ("age_group", "sex", "sex*age_group",
                                                      "offence")
    assert check_by(["sex*age_group"])[-1] == check_by(["age_group*sex"])[-1] == "sex*age_group"
