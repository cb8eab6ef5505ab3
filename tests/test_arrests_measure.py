"""Police statistics that count arrests (events) beside, or instead of, distinct children: the
`arrests` measure of aggregate returns, indicator 1's `events`, and coverage of area returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from real_shapes import AREAS, FACILITIES, figures, import_folder, keyed, write

RETURNS = [
    ["return_id", "area_id", "measure", "period_start", "period_end", "value"],
    ["N-children", "XA-N", "arrested", "2025-01-01", "2025-12-31", "40"],
    ["N-arrests", "XA-N", "arrests", "2025-01-01", "2025-12-31", "55"],
    ["S-arrests", "XA-S", "arrests", "2025-01-01", "2025-12-31", "30"],  # no distinct children
]
POPULATION = [["area_id", "year", "sex", "age", "population"]] + [
    [a, 2025, s, age, 100] for a in ("XA-N", "XA-S") for s in ("f", "m") for age in range(18)]


def test_arrests_are_events_and_a_return_is_a_reporting_source(store, tmp_path: Path,
                                                              monkeypatch) -> None:
    keyed(monkeypatch)
    folder = tmp_path / "registers"
    write(folder, "areas.csv", AREAS)
    write(folder, "facilities.csv", FACILITIES)  # PS1, the only police station, is in XA-N
    write(folder, "population.csv", POPULATION)
    write(folder, "aggregate_returns.csv", RETURNS)
    assert import_folder(store, folder).exit_code == 0
    f = figures(store, "2025-12-31")
    north = f[(1, "rate", "XA-N")]
    # 40 children of 3,600 (2 sexes x 18 ages x 100): 1,111.1 per 100,000; 55 arrests.
    assert north.numerator == 40 and north.value == pytest.approx(40 / 3_600 * 100_000)
    assert north.events == 55 and f[(1, "events", "XA-N")].value == 55
    # XA-S gave arrests only: the events, but no rate, and a note saying why.
    south = f[(1, "rate", "XA-S")]
    assert south.value is None
    assert ("arrests-without-children", {"areas": "XA-S"}) in [
        (n.code, n.values) for n in south.notes]
    assert f[(1, "events", "XA-S")].value == 30
    # The country: 85 arrests; its children were not all reported, so no rate either.
    assert f[(1, "events", "XA")].value == 85 and f[(1, "rate", "XA")].value is None
    # Coverage: XA-N's return reports for its police station PS1; XA-S has no police station, so
    # its return is its one source; the country has both.
    assert (north.coverage_reported, north.coverage_expected) == (1, 1)
    assert (south.coverage_reported, south.coverage_expected) == (1, 1)
    assert "no-source" not in {n.code for n in south.notes}
    assert (f[(1, "rate", "XA")].coverage_reported, f[(1, "rate", "XA")].coverage_expected) == (2, 2)


def test_children_without_arrests_leave_events_unknown(store, tmp_path: Path, monkeypatch) -> None:
    keyed(monkeypatch)
    folder = tmp_path / "registers"
    write(folder, "areas.csv", AREAS)
    write(folder, "population.csv", POPULATION)
    write(folder, "aggregate_returns.csv", [*RETURNS[:3],
          ["S-children", "XA-S", "arrested", "2025-01-01", "2025-12-31", "12"]])
    assert import_folder(store, folder).exit_code == 0
    f = figures(store, "2025-12-31")
    # XA: 40 + 12 = 52 children of 7,200; the arrests of XA-S were not reported.
    assert f[(1, "rate", "XA")].value == pytest.approx(52 / 7_200 * 100_000)
    events = f[(1, "events", "XA")]
    assert events.value is None
    assert ("children-without-arrests", {"areas": "XA-S"}) in [
        (n.code, n.values) for n in events.notes]
    assert f[(1, "events", "XA-N")].value == 55
