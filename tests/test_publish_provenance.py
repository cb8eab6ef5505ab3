"""Provenance: manifests and results round-trip on DuckDB and PostgreSQL; the snapshot hash is
the same on both engines for the same data, and changes with the data, not with row order."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jjis.indicators.results import Figure
from jjis.publish.provenance import (
    list_runs,
    load_manifest,
    load_results,
    new_manifest,
    record_run,
    snapshot_hash,
)
from jjis.settings import Config
from jjis.store import Store
from publish_fixtures import ENGINES, C, count_fig, fig, fresh_store, insert

AREAS = [{"area_id": "BJ", "name": "Bénin", "level": "country"},
         {"area_id": "AL", "name": "Alibori; \"nord\"", "parent_id": "BJ", "level": "region"}]
FACILITIES = [{"facility_id": "R1", "name": "Remand", "area_id": "AL", "kind": "remand_centre",
               "holds_adults": True, "complaints_system": False, "opened": date(2020, 1, 1)}]


def figures() -> list[Figure]:
    return [
        fig(2, num=12, den=50_000, ci_low=1.2, ci_high=3.4, coverage_reported=2,
            coverage_expected=3, note="coverage: 2 of 3 registered sources sent data"),
        fig(2, bd={"sex": "f"}, num=None, den=25_000, value=None, suppressed=True,
            note="<5: withheld"),
        fig(11, "percent", unit="percent", num=3, den=7, unknown=1, over_age=0),
        count_fig(17, bd={"offence": "05"}),
        fig(14, "answer", unit="answer", num=None, den=None, answer="partial"),
    ]


def key(f: Figure) -> tuple[object, ...]:
    return (f.indicator, f.statistic, f.breakdown_json)


@pytest.mark.parametrize("engine", ENGINES)
def test_round_trip(engine: str, tmp_path: Path) -> None:
    with fresh_store(engine, tmp_path) as store:
        insert(store, "areas", AREAS)
        insert(store, "facilities", FACILITIES)
        manifest = new_manifest(store, Config(), catalogue_version="cat-1", census_date=C,
                                area="BJ", by=["sex"])
        written = figures()
        run_id = record_run(store, manifest, written)
        assert run_id == manifest.run_id and len(run_id) == 32
        assert all(f.run_id == run_id for f in written)
        other = record_run(store, new_manifest(store, Config(), catalogue_version="cat-1",
                                               census_date=C), [fig(1, num=9)])
        runs = list_runs(store)
        loaded = load_results(store, run_id)
        back = load_manifest(store, run_id)
    assert {r["run_id"] for r in runs} == {run_id, other}
    mine = next(r for r in runs if r["run_id"] == run_id)
    assert mine["figures"] == 5 and mine["census_date"] == "2025-12-31"
    assert mine["snapshot"] == manifest.snapshot and mine["area"] == "BJ"
    assert sorted(loaded, key=key) == sorted(written, key=key)
    assert back == manifest
    assert back.settings["publication.disclosure_threshold"] == 5 and back.by == ["sex"]


@pytest.mark.postgres
def test_snapshot_hash_is_the_same_on_both_engines(tmp_path: Path) -> None:
    rows: dict[str, list[dict[str, Any]]] = {"areas": AREAS, "facilities": FACILITIES,
            "population": [{"area_id": "AL", "year": 2025, "sex": "f", "age": a,
                            "population": 1000 + a} for a in range(18)]}
    hashes = []
    for engine, order in (("duckdb", 1), ("postgres", -1)):
        with fresh_store(engine, tmp_path) as store:
            for table, table_rows in rows.items():
                insert(store, table, table_rows[::order])  # rows in another order
            hashes.append(snapshot_hash(store))
    assert hashes[0] == hashes[1]


def test_snapshot_hash_follows_the_data(tmp_path: Path) -> None:
    def snapshot(store: Store) -> str:
        return snapshot_hash(store)[0]

    with fresh_store("duckdb", tmp_path) as store:
        empty = snapshot(store)
        insert(store, "areas", AREAS)
        one = snapshot(store)
        store.execute("UPDATE areas SET name = 'Alibori' WHERE area_id = 'AL'")
        two = snapshot(store)
        store.execute("UPDATE areas SET parent_id = NULL WHERE area_id = 'AL'")
        three = snapshot(store)
    assert len({empty, one, two, three}) == 4


def test_a_failed_run_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with fresh_store("duckdb", tmp_path) as store:
        manifest = new_manifest(store, Config(), catalogue_version="c", census_date=C)

        def broken(*args: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(store, "stage", broken)
        with pytest.raises(RuntimeError):
            record_run(store, manifest, figures())
        assert list_runs(store) == []
        assert store.count("results") == 0


def test_cli_lists_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jjis.cli import common
    from jjis.cli.main import app

    monkeypatch.setattr(common.console, "width", 200)

    runner = CliRunner()
    with fresh_store("duckdb", tmp_path) as store:
        db = store.url
    empty = runner.invoke(app, ["runs", "--db", db, "--format", "json"])
    assert empty.exit_code == 0 and json.loads(empty.output) == []
    assert "No runs recorded yet" in runner.invoke(app, ["runs", "--db", db]).output
    with fresh_store("duckdb", tmp_path) as store:
        run_id = record_run(store, new_manifest(store, Config(), catalogue_version="c",
                                                census_date=C), figures())
    result = runner.invoke(app, ["runs", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["run_id"] for r in json.loads(result.output)] == [run_id]
    result = runner.invoke(app, ["runs", "--db", db])
    assert result.exit_code == 0 and run_id in result.output and "2025-12-31" in result.output
    assert runner.invoke(app, ["runs", "--db", db, "--format", "xml"]).exit_code == 2


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["duckdb", "postgres"])
def test_each_engines_hex_conversion_is_the_portable_one(engine: str, tmp_path: Path) -> None:
    # the fingerprints' sums read 8 hex digits of an MD5 at a time; md5('abc') is
    # 900150983cd24fb0d6963f7d28e17f72 (RFC 1321, appendix A.5), whose four 8-digit parts are
    # 0x90015098, 0x3cd24fb0, 0xd6963f7d and 0x28e17f72; 'ffffffff' is the largest part
    worked = [2_416_005_272, 1_020_415_920, 3_600_170_877, 685_866_866, 4_294_967_295, 0]
    with fresh_store(engine, tmp_path) as store:
        digits = [f"substr(md5('abc'), {s}, 8)" for s in (1, 9, 17, 25)] + ["'ffffffff'",
                                                                          "'00000000'"]
        fast = store.fetchall("SELECT " + ", ".join(store.hex32(d) for d in digits))[0]
        portable = store.fetchall("SELECT " + ", ".join(Store.hex32(store, d)
                                                        for d in digits))[0]
    assert [int(v) for v in fast] == worked
    assert [int(v) for v in portable] == worked
