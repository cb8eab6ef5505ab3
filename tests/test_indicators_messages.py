"""Each warning and problem of a run is given once per area, however many figures share it."""

from __future__ import annotations

from collections import Counter

from indicator_fixtures import arrest, country, population, run, stay


def test_missing_population_is_one_warning_per_area_and_one_problem(store):
    # BJ-S has no population: indicators 1, 2 and 3 all lack it, for BJ-S and for BJ above it.
    r = run(store, country(population=population({"BJ-N1": 100, "BJ-N2": 100}),
                           arrests=[arrest("a1", 1, "2025-03-01")],
                           detentions=[stay("s1", 1, "RC2", "2025-12-01")]),
            by=("sex",))
    warnings, problems = r.result.warnings, r.result.problems
    assert Counter(warnings).most_common(1)[0][1] == 1
    assert Counter(problems).most_common(1)[0][1] == 1
    assert sorted(w.split(":")[0] for w in warnings) == ["BJ", "BJ-S"]
    assert len(problems) == 1 and problems[0].startswith("indicators 1-3 have no rate for BJ:")
