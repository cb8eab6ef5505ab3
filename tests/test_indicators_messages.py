"""Each warning and problem of a run is given once per area, however many figures share it."""

from __future__ import annotations

from indicator_fixtures import arrest, country, population, run, stay


def test_missing_population_is_one_warning_per_area_and_one_problem(store):
    # BJ-S has no population: indicators 1, 2 and 3 all lack it, for BJ-S and for BJ above it.
    r = run(store, country(population=population({"BJ-N1": 100, "BJ-N2": 100}),
                           arrests=[arrest("a1", 1, "2025-03-01")],
                           detentions=[stay("s1", 1, "RC2", "2025-12-01")]),
            by=("sex",))
    warnings, problems = r.result.warnings, r.result.problems
    for said in (warnings, problems):  # none said twice
        assert all(m not in said[:i] for i, m in enumerate(said))
    assert {w.code for w in warnings} == {"area-without-population"}
    assert sorted(w.values["area"] for w in warnings) == ["BJ", "BJ-S"]
    assert [(p.code, p.values["area"], p.values["areas"]) for p in problems] == [
        ("no-headline-rate", "BJ", "BJ-S")]
