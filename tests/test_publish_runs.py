"""A run's reads beside the indicators' statements (publish/runs.py): the snapshot hash,
coverage and timeliness run in a thread of their own where the store has sessions (DuckDB) and
after the computation where it has not (PostgreSQL); either way the run records what they read
once the computation is done, and a failure is the failure raised, with no thread left behind.

The data are test_release_timeliness.py's: two stations of XA-N-01 whose arrests of 2025 arrive
on 2026-01-10 and 2026-02-15; at census date 2025-12-31 indicator 1 has coverage 2 of 2 and,
with the default deadline of 30 days, 1 timely source, in every area."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import jjis.indicators.engine as engine
import jjis.publish
from jjis.api import run_indicators
from jjis.publish.provenance import list_runs, load_manifest, snapshot_hash
from jjis.settings import Config
from jjis.store import Store
from test_release_timeliness import CENSUS, _load, secret  # noqa: F401  (the key fixture)


def _side_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("jjis-reads")]


def test_the_run_records_what_its_side_reads_found(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    run = run_indicators(store, Config(), CENSUS)
    for area in ("XA", "XA-N", "XA-N-01"):
        head = next(f for f in run.figures if f.indicator == 1 and f.area == area
                    and not f.breakdown and f.statistic == "rate")
        assert (head.coverage_reported, head.coverage_expected, head.timely_reported) == (2, 2, 1)
    assert run.run_id is not None
    manifest = load_manifest(store, run.run_id)
    assert manifest is not None and manifest.snapshot == snapshot_hash(store)[0]
    assert _side_threads() == []


def test_a_failed_computation_raises_its_own_error(store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _load(store, tmp_path)

    def figures_fail(*args: object) -> None:
        raise RuntimeError("the figures failed")

    def coverage_fails(*args: object) -> None:
        raise ValueError("coverage failed too")

    monkeypatch.setattr(engine, "build_figures", figures_fail)  # after the side reads start
    monkeypatch.setattr(jjis.publish, "coverage", coverage_fails)
    with pytest.raises(RuntimeError, match="the figures failed"):
        run_indicators(store, Config(), CENSUS)
    assert _side_threads() == []
    assert store.count("areas") == 3  # the store itself still serves


def test_a_failed_side_read_is_raised(store: Store, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _load(store, tmp_path)

    def coverage_fails(*args: object) -> None:
        raise ValueError("coverage failed")

    monkeypatch.setattr(jjis.publish, "coverage", coverage_fails)
    with pytest.raises(ValueError, match="coverage failed"):
        run_indicators(store, Config(), CENSUS)
    assert _side_threads() == []
    assert list_runs(store) == []  # nothing recorded
