"""The engine against the plainly written reference implementation (reference_impl.py), on
random small countries: every indicator's total for every area must agree."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicator_fixtures import AREAS, load, population
from jjis.indicators.engine import compute
from jjis.settings import Config
from jjis.store import open_store
from reference_impl import Reference

C = date(2025, 12, 31)
KINDS = ["police_lockup", "remand_centre", "juvenile_detention", "adult_prison",
         "police_station", "court"]
REASONS = ["transfer", "transfer", "released_pending_trial", "acquitted", "sentence_served",
           "death", "escape", "diverted"]


def _day(rng: random.Random, lo: str = "2024-06-01", hi: str = "2026-01-10") -> date:
    a, b = date.fromisoformat(lo), date.fromisoformat(hi)
    return a + timedelta(days=rng.randint(0, (b - a).days))


def _maybe(rng: random.Random, value: Any, p: float = 0.5) -> Any:
    return value if rng.random() < p else None


def _person(rng: random.Random) -> dict[str, Any]:
    dob = date(2007, 1, 1) + timedelta(days=rng.randint(0, 365 * 8))
    if rng.random() < 0.15:
        return {"sex": rng.choice("fmu"), "date_of_birth": None, "age": _maybe(rng, 17, 0.6)}
    return {"sex": rng.choice("fm"), "date_of_birth": dob}


def _stays(rng: random.Random, n: int, child: str, who: dict, facs: list) -> list[dict]:
    out, day = [], _day(rng, "2024-06-01", "2025-12-31")
    for k in range(rng.randint(1, 3)):
        fac = rng.choice(facs)
        released = _maybe(rng, day + timedelta(days=rng.choice([0, 1, 3, 10, 40, 200])), 0.8)
        reason = rng.choice(REASONS) if released else None
        status = rng.choice(["pre_sentence", "pre_sentence", "sentenced"])
        sentenced = None
        if status == "pre_sentence" and rng.random() < 0.4:
            sentenced = day + timedelta(days=rng.randint(0, ((released or day) - day).days))
        age = who.get("age")
        if age is not None and k:
            age = None
        out.append({"stay_id": f"s{n}-{k}", "child_id": child, **who, "age": age,
                    "facility_id": fac, "admission_date": day, "status_at_admission": status,
                    "sentence_date": sentenced, "release_date": released, "release_reason": reason,
                    "aftercare": _maybe(rng, rng.random() < 0.5, 0.7),
                    "wholly_separated": _maybe(rng, rng.random() < 0.5, 0.7)})
        if released is None or reason == "death":
            break
        day = released + timedelta(days=rng.choice([0, 1, 1, 2, 30]))
    return out


def random_country(seed: int) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    areas = ["BJ-N1", "BJ-N2", "BJ-S"]
    facilities = [{"facility_id": f"F{i}", "name": f"F{i}", "area_id": rng.choice(areas),
                   "kind": KINDS[i % len(KINDS)],
                   "complaints_system": _maybe(rng, rng.random() < 0.5, 0.8),
                   "opened": _maybe(rng, _day(rng, "2020-01-01", "2026-01-10"), 0.3),
                   "closed": _maybe(rng, _day(rng, "2024-01-01", "2026-06-01"), 0.3)}
                  for i in range(8)]
    for f in facilities:
        if f["opened"] and f["closed"] and f["closed"] < f["opened"]:
            f["closed"] = None
    detention = [f["facility_id"] for f in facilities if KINDS.index(f["kind"]) < 4]
    police = [f["facility_id"] for f in facilities if f["kind"] == "police_station"]
    courts = [f["facility_id"] for f in facilities if f["kind"] == "court"]
    t: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "arrests", "detentions", "decisions", "family_contacts", "inspections", "policy")}
    for n in range(rng.randint(5, 30)):
        child, who = f"{n:032x}", _person(rng)
        for k in range(rng.randint(0, 2)):
            t["arrests"].append({"arrest_id": f"a{n}-{k}", "child_id": child, **who,
                                 "arrest_date": _day(rng), "facility_id": rng.choice(police)})
        if rng.random() < 0.7:
            t["detentions"] += _stays(rng, n, child, who, detention)
        for k in range(rng.randint(0, 2)):
            t["decisions"].append({
                "decision_id": f"d{n}-{k}", "child_id": child, **who, "decision_date": _day(rng),
                "facility_id": rng.choice(courts + police),
                "kind": rng.choice(["diversion", "custodial_sentence", "non_custodial_sentence",
                                    "acquittal"])})
        if rng.random() < 0.5:
            t["family_contacts"].append({
                "contact_id": f"k{n}", "child_id": child, "facility_id": rng.choice(detention),
                "contact_date": _day(rng, "2025-08-01", "2026-01-05"), "kind": "visit_received",
                "relation": "parent"})
    for i, f in enumerate(detention):
        t["inspections"].append({"inspection_id": f"i{i}", "facility_id": f,
                                 "inspection_date": _day(rng), "independent": rng.random() < 0.6})
    for i in range(rng.randint(0, 6)):
        t["policy"].append({"indicator": rng.choice(["12", "13", "14", "15"]),
                            "item": f"item{i % 3}", "answer": rng.choice(["yes", "no"]),
                            "as_of": _day(rng, "2020-01-01", "2026-06-01")})
    return {"areas": AREAS, "facilities": facilities,
            "population": population({a: 10 for a in areas}), **t}


FIELDS = ("numerator", "denominator", "unknown", "over_age", "events", "value", "answer")


def _compare(store: Any, tables: dict[str, list[dict[str, Any]]]) -> None:
    load(store, tables)
    result = compute(store, Config(), C)
    got = {(f.indicator, f.statistic, f.area): f for f in result.figures if not f.breakdown}
    expected = Reference(tables, C).compute()
    for key, want in expected.items():
        f = got[key]
        for name, value in want.items():
            if name == "adp":
                have = got[(6, "rate_average_daily_population", key[2])].denominator or 0
            else:
                have = getattr(f, name)
            if isinstance(value, float) or isinstance(have, float):
                assert have == pytest.approx(value), (key, name, have, value)
            else:
                assert have == value, (key, name, have, value)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_engine_matches_reference_duckdb(seed: int) -> None:
    store = open_store(":memory:", create=True)
    try:
        _compare(store, random_country(seed))
    finally:
        store.close()


@pytest.mark.postgres
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_engine_matches_reference_postgres(postgres_store: Any, seed: int) -> None:
    from jjis.schema import TABLES

    for table in TABLES:
        postgres_store.execute(f"TRUNCATE {table}")
    _compare(postgres_store, random_country(seed))
