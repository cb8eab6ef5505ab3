"""Coverage: sources that sent data / sources registered, per indicator and area, both engines.

The country BJ has regions AL (districts AL-1, AL-2) and LI. Census date 2025-12-31, period
2025-01-01 .. 2025-12-31. Every expected number below is worked out from the rows by hand.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from jjis.publish.coverage import apply_coverage, area_parents, coverage, period_start
from jjis.settings import Config
from jjis.store import Store
from publish_fixtures import ENGINES, C, fig, fresh_store, insert

D = date


def load(store: Store) -> None:
    insert(store, "areas", [
        {"area_id": "BJ", "name": "Bénin", "level": "country"},
        {"area_id": "AL", "name": "Alibori", "parent_id": "BJ", "level": "region"},
        {"area_id": "AL-1", "name": "Kandi", "parent_id": "AL", "level": "district"},
        {"area_id": "AL-2", "name": "Malanville", "parent_id": "AL", "level": "district"},
        {"area_id": "LI", "name": "Littoral", "parent_id": "BJ", "level": "region"},
    ])

    def facility(fid: str, area: str, kind: str, **kw: object) -> dict[str, object]:
        return {"facility_id": fid, "name": fid, "area_id": area, "kind": kind, **kw}

    insert(store, "facilities", [
        facility("P1", "AL-1", "police_station"),  # arrests and a police diversion
        facility("P2", "AL-2", "police_station"),  # nothing sent
        facility("P3", "LI", "police_station"),  # aggregate return of arrests
        facility("P4", "LI", "police_station", closed=D(2024, 6, 1)),  # closed before
        facility("L1", "AL-1", "police_lockup"),  # a stay in the period
        facility("R1", "AL-2", "remand_centre", complaints_system=True),  # stay ended before
        facility("R2", "LI", "juvenile_detention", opened=D(2026, 1, 1)),  # opens after C
        facility("C1", "AL-1", "court"),
        facility("PR1", "LI", "prosecutor"),
        facility("DP", "LI", "diversion_programme"),  # needed by no indicator
    ])
    child = {"child_id": str(uuid.UUID(hex="c" * 32)), "sex": "f", "age": 15}
    insert(store, "arrests", [{**child, "arrest_id": "a1", "arrest_date": D(2025, 3, 1),
                               "facility_id": "P1"},
                              {**child, "arrest_id": "a2", "arrest_date": D(2024, 3, 1),
                               "facility_id": "P2"}])  # before the period
    insert(store, "detentions", [
        {**child, "stay_id": "s1", "facility_id": "L1", "admission_date": D(2025, 12, 30),
         "status_at_admission": "pre_sentence"},
        {**child, "stay_id": "s2", "facility_id": "R1", "admission_date": D(2024, 1, 1),
         "status_at_admission": "pre_sentence", "release_date": D(2024, 12, 31),
         "release_reason": "acquitted"},
    ])
    insert(store, "decisions", [
        {**child, "decision_id": "d1", "decision_date": D(2025, 5, 1), "facility_id": "C1",
         "kind": "custodial_sentence"},
        {**child, "decision_id": "d2", "decision_date": D(2025, 4, 1), "facility_id": "P1",
         "kind": "diversion"},
    ])
    insert(store, "inspections", [{"inspection_id": "i1", "facility_id": "R1",
                                   "inspection_date": D(2025, 7, 1), "independent": True}])
    insert(store, "aggregate_returns", [
        {"return_id": "g1", "facility_id": "P3", "measure": "arrested", "value": 4,
         "period_start": D(2025, 1, 1), "period_end": D(2025, 6, 30)},
        {"return_id": "g2", "facility_id": "R1", "measure": "released", "value": 2,
         "period_start": D(2025, 1, 1), "period_end": D(2025, 12, 31)},
        {"return_id": "g3", "facility_id": "R1", "measure": "in_detention", "value": 2,
         "census_date": D(2025, 6, 30)},  # not the census date: does not count for 2
    ])


EXPECTED = {
    # indicator 1: police stations and lock-ups open in the period (P4 closed): P1, P2, P3, L1
    (1, "AL-1"): (1, 2), (1, "AL-2"): (0, 1), (1, "AL"): (1, 3), (1, "LI"): (1, 1),
    (1, "BJ"): (2, 4),
    # 2: places of detention open in the period (R2 opens after C): L1 (a stay), R1 (none)
    (2, "AL-1"): (1, 1), (2, "AL-2"): (0, 1), (2, "AL"): (1, 2), (2, "LI"): (0, 0),
    (2, "BJ"): (1, 2),
    # 11: R1's aggregate return of releases for the period counts
    (11, "BJ"): (2, 2),
    # 9: courts only: C1
    (9, "BJ"): (1, 1), (9, "LI"): (0, 0),
    # 10: courts, prosecutors, police stations: C1 and P1 decided; P2, P3, PR1 did not
    (10, "BJ"): (2, 5), (10, "AL-1"): (2, 2),
    # 12b: an inspection of R1 in the period, none of L1; 13b: R1 says, L1 does not
    (12, "BJ"): (1, 2), (13, "BJ"): (1, 2),
}


@pytest.mark.parametrize("engine", ENGINES)
def test_coverage_by_indicator_and_area(engine: str, tmp_path: Path) -> None:
    with fresh_store(engine, tmp_path) as store:
        load(store)
        got = coverage(store, Config(), C)
        assert area_parents(store) == {"BJ": None, "AL": "BJ", "AL-1": "AL", "AL-2": "AL",
                                       "LI": "BJ"}
    for key, value in EXPECTED.items():
        assert got[key] == value, key
    assert {k[0] for k in got} == set(range(1, 14))
    assert got[(3, "BJ")] == got[(2, "BJ")]


def test_detention_kinds_come_from_the_settings(tmp_path: Path) -> None:
    with fresh_store("duckdb", tmp_path) as store:
        load(store)
        got = coverage(store, Config({"indicators.detention_kinds": ["remand_centre"]}), C)
    assert got[(2, "BJ")] == (0, 1)


def test_apply_coverage_fills_and_says_when_not_full() -> None:
    full, part, none, answer = (fig(2, area="A"), fig(2, area="B", note="x"), fig(2, area="C"),
                                fig(14, "answer", area="A", unit="answer"))
    apply_coverage([full, part, none, answer],
                   {(2, "A"): (3, 3), (2, "B"): (2, 3), (2, "C"): (0, 0), (14, "A"): (1, 1)})
    assert (full.coverage_reported, full.coverage_expected, full.note) == (3, 3, None)
    # the note already there is kept, the coverage note added after it, as data
    assert [(n.code, n.values) for n in part.notes] == [
        ("text", {"text": "x"}), ("coverage", {"reported": 2, "expected": 3})]
    assert [n.code for n in none.notes] == ["no-source"]
    assert answer.coverage_expected is None


def test_period_start() -> None:
    assert period_start(D(2025, 12, 31)) == D(2025, 1, 1)
    assert period_start(D(2024, 2, 29)) == D(2023, 3, 1)
