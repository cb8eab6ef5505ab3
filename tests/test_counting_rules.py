"""The counting rules exist once, in two forms (indicators/spells.py, indicators/periods.py): the
Python form the action lists run and the Ibis form the indicators run. On random small countries
(stays chained by transfers, gaps, overlaps, sentences, dates of birth or ages only) both forms
must give the same spells, legal status on the census date, age and days held; and an action
list's days held before sentence must be what indicator 4's snapshot query counts for the child.
Runs on DuckDB and PostgreSQL (the `store` fixture)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicator_fixtures import load
from jjis.indicators import backend
from jjis.indicators.base import Areas, Sources
from jjis.indicators.counting import per_child
from jjis.indicators.durations import pre_sentence_days_on_census
from jjis.indicators.periods import (
    Period,
    add_months,
    age_on,
    age_on_date,
    days_between,
    lit,
    whole_years,
    whole_years_expr,
)
from jjis.indicators.spells import (
    StayDates,
    chain_spells,
    days_before_sentence,
    holds_on,
    legal_status_on,
    legal_status_on_date,
    with_spells,
)
from jjis.settings import Config
from jjis.store import Store
from jjis.web.actions import action_list

FACILITIES = [("F1", "police_lockup"), ("F2", "remand_centre"), ("F3", "juvenile_detention"),
              ("F4", "court")]  # a stay in a court is no stay of a place of detention
DETENTION = ("F1", "F2", "F3")
# limit 0 and no warning: every child pre-sentence on C is listed, with its days before sentence
CONFIG = Config({"limits.pre_sentence_days": 0, "limits.pre_sentence_warning_days": 0})
REASONS = ("transfer", "transfer", "transfer", "released_pending_trial", "sentence_served",
           "death", "escape")
BASE = date(2024, 1, 1)


@st.composite
def child_stays(draw: Any, n: int) -> list[dict[str, Any]]:
    """One child's stays: each begins some days after the previous one ends (0 or 1: a
    transfer chains it; negative: the stays overlap)."""
    dob = draw(st.one_of(st.none(), st.dates(date(2004, 1, 1), date(2016, 12, 31))))
    age = draw(st.one_of(st.none(), st.integers(8, 19))) if dob is None else None
    day = BASE + timedelta(days=draw(st.integers(0, 500)))
    out = []
    for k in range(draw(st.integers(1, 4))):
        length = draw(st.one_of(st.none(), st.integers(0, 200)))
        released = None if length is None else day + timedelta(days=length)
        status = draw(st.sampled_from(["pre_sentence", "pre_sentence", "sentenced"]))
        sentenced = None
        if status == "pre_sentence" and draw(st.booleans()):
            sentenced = day + timedelta(days=draw(st.integers(0, 300)))
            if released is not None and sentenced > released:
                sentenced = released
        out.append({"stay_id": f"s{n:03d}{k}", "child_id": f"c{n}", "sex": "m",
                    "date_of_birth": dob, "age": age if k == 0 else draw(st.sampled_from([None, age])),
                    "facility_id": draw(st.sampled_from([f for f, _ in FACILITIES])),
                    "admission_date": day, "status_at_admission": status,
                    "sentence_date": sentenced, "release_date": released,
                    "release_reason": None if released is None else draw(st.sampled_from(REASONS))})
        if released is None:
            break
        day = released + timedelta(days=draw(st.sampled_from([0, 0, 1, 1, 2, 9, -3])))
    return out


@st.composite
def countries(draw: Any) -> tuple[list[dict[str, Any]], date]:
    stays = [s for n in range(draw(st.integers(1, 6))) for s in draw(child_stays(n))]
    census = BASE + timedelta(days=draw(st.integers(0, 900)))
    return stays, census


def _put(store: Store, stays: list[dict[str, Any]]) -> None:
    for table in ("detentions", "facilities", "areas"):
        store.execute(f"DELETE FROM {table}")
    load(store, {"areas": [{"area_id": "XA", "name": "Xandria", "parent_id": None,
                            "level": "country"}],
                 "facilities": [{"facility_id": f, "name": f, "area_id": "XA", "kind": k}
                                for f, k in FACILITIES],
                 "detentions": stays})


def _python_spells(stays: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (stay, facility) of a place of detention: its spell's values, by the Python form."""
    by_child: dict[str, list[StayDates]] = {}
    for s in stays:
        if s["facility_id"] in DETENTION:
            by_child.setdefault(s["child_id"], []).append(StayDates(
                s["stay_id"], s["facility_id"], s["admission_date"], s["release_date"],
                s["release_reason"], s["status_at_admission"], s["sentence_date"],
                s["date_of_birth"], s["age"]))
    out = {}
    for child_stays_ in by_child.values():
        for spell in chain_spells(child_stays_):
            for i, st_ in enumerate(spell.stays):
                out[(st_.stay_id, st_.facility_id)] = {
                    "spell_start": spell.start, "spell_end": spell.end,
                    "spell_end_reason": spell.end_reason, "sentence_at": spell.sentence_at,
                    "arrived_sentenced": spell.arrived_sentenced,
                    "first_dob": spell.first.date_of_birth, "first_age": spell.first.age,
                    "start_age": age_on_date(spell.first.date_of_birth, spell.first.age,
                                             spell.start, spell.start),
                    "first_in_spell": i == 0, "last_in_spell": i == len(spell.stays) - 1}
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(country=countries())
def test_the_two_forms_agree(store: Store, country: tuple[list[dict[str, Any]], date]) -> None:
    stays, census = country
    _put(store, stays)
    con = backend.connect(store)
    src = Sources(con, CONFIG, Period(census), Areas({"XA": None}), ["XA"])
    s = with_spells(src)
    c = lit(census)
    age, _ = age_on(s.date_of_birth, s.age, s.admission_date, c)
    s = s.mutate(legal_status=legal_status_on(s, c), age_on_c=age,
                 years=whole_years_expr(s.admission_date, c)).drop("child_id")
    got = {(r["stay_id"], r["facility_id"]): r for r in backend.rows(con, s)}
    want = _python_spells(stays)
    assert set(got) == set(want)
    for key, w in want.items():
        g = got[key]
        assert {k: g[k] for k in w} == w, key
        row = next(x for x in stays if (x["stay_id"], x["facility_id"]) == key)
        assert g["legal_status"] == legal_status_on_date(
            row["status_at_admission"], row["sentence_date"], census)
        assert g["age_on_c"] == age_on_date(row["date_of_birth"], row["age"],
                                            row["admission_date"], census)
        assert g["years"] == whole_years(row["admission_date"], census)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(country=countries())
def test_action_list_days_before_sentence_are_indicator_4s(
        store: Store, country: tuple[list[dict[str, Any]], date]) -> None:
    stays, census = country
    _put(store, stays)
    con = backend.connect(store)
    src = Sources(con, CONFIG, Period(census), Areas({"XA": None}), ["XA"])
    on_c = pre_sentence_days_on_census(src, with_spells(src))
    indicator = {(r["stay_id"], r["facility_id"]): r["_days"]
                 for r in backend.rows(con, on_c.select("stay_id", "facility_id", "_days"))}
    listed = {}
    for facility in DETENTION:
        for item in action_list(store, CONFIG, facility, census, handled=False).items:
            if item.rule in ("pre_sentence_beyond_limit", "pre_sentence_near_limit"):
                assert item.detail.startswith(f"{item.days_held} days before sentence")
                listed[(item.stay_id, facility)] = item.days_held
    assert listed == indicator
    # and per child, as indicator 4 counts children (the first stay on C of each)
    units = backend.rows(con, per_child(on_c, ["admission_date", "stay_id", "facility_id"],
                                        keep=("_days", "stay_id", "facility_id")
                                        ).select("stay_id", "facility_id", "_days"))
    for u in units:
        assert u["_days"] == listed[(u["stay_id"], u["facility_id"])]
    # the Python form gives the same days from the stays as written
    spells = _python_spells(stays)
    for (stay_id, facility), days in listed.items():
        row = next(x for x in stays if (x["stay_id"], x["facility_id"]) == (stay_id, facility))
        assert holds_on(StayDates(stay_id, facility, row["admission_date"], row["release_date"]),
                        census)
        assert days == days_before_sentence(spells[(stay_id, facility)]["spell_start"], census)


@given(st.dates(date(1990, 1, 1), date(2040, 12, 31)), st.integers(-40, 40))
def test_months_and_the_period(d: date, months: int) -> None:
    moved = add_months(d, months)
    assert (moved.year * 12 + moved.month) - (d.year * 12 + d.month) == months
    assert moved.day == d.day or moved.day < d.day and (moved + timedelta(days=1)).day == 1
    p = Period(d)
    assert p.days in (365, 366)
    assert days_between(p.start, p.end) == p.days - 1
