"""The Spark warehouse: import writes Parquet as on the other stores, a failed write leaves the
register as it was, and two countries collated into one region give each country its own figures
and the region their sums (computed on Spark in local mode: no Java or pyspark fails the test)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import spark_url
from jjis.api import collate_countries, export_parquet, import_registers, init_database
from jjis.indicators.engine import compute
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.store import open_store
from jjis.synth import synthesise

END = date(2025, 12, 31)
FIELDS = ("numerator", "denominator", "value", "unknown", "events")


def _figures(store: Any) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {(f.indicator, f.statistic, f.area, f.breakdown_json): tuple(getattr(f, k) for k in FIELDS)
            for f in compute(store, Config(), END).figures if f.unit != "answer"}


def _one(db: Path, sql: str) -> int:
    with open_store(str(db), read_only=True) as store:
        return int(store.fetchall(sql)[0][0])


def test_import_into_a_warehouse_matches_duckdb_and_a_failed_write_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synthesise(tmp_path / "regs", children=150, seed=7, end_date=END, dirty=True)
    monkeypatch.setenv("JJIS_SECRET", "cd" * 32)
    url, duck = spark_url(tmp_path / "wh"), str(tmp_path / "d.duckdb")
    for db in (url, duck):
        init_database(db)
    with open_store(url) as wh, open_store(duck) as dk:
        a = import_registers(wh, [tmp_path / "regs"], Config())
        b = import_registers(dk, [tmp_path / "regs"], Config())
        assert a.as_json() == b.as_json()  # same acceptances, rejections, findings
        for name in TABLES:
            assert wh.count(name) == dk.count(name), name
            assert sorted(map(str, wh.fetchall(f"SELECT * FROM {name}"))) == \
                sorted(map(str, dk.fetchall(f"SELECT * FROM {name}"))), name
        assert wh.count("quarantine") == dk.count("quarantine") > 0
        # a write whose transaction rolls back leaves the register's folder as it was
        before = wh.count("arrests")
        wh.begin()
        wh.execute("CREATE TEMP TABLE extra AS SELECT * FROM arrests LIMIT 1")
        wh.replace_rows("arrests", "extra", list(TABLES["arrests"].column_names))
        assert wh.count("arrests") == before + 1
        wh.rollback()
        assert wh.count("arrests") == before
        assert [p.name for p in (tmp_path / "wh").iterdir() if p.name.startswith(".")] == []


def test_two_countries_collated_give_their_own_figures_and_the_region_their_sums(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spark_session: Any) -> None:
    own: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]] = {}
    folders = {}
    for code, seed in (("XA", 1), ("XB", 2)):
        # the same key in both: the same source id in both countries is the same pseudonym,
        # which collation must still keep apart
        monkeypatch.setenv("JJIS_SECRET", "ab" * 32)
        synthesise(tmp_path / code, children=120, seed=seed, end_date=END)
        db = str(tmp_path / f"{code}.duckdb")
        init_database(db)
        with open_store(db) as store:
            import_registers(store, [tmp_path / code], Config())
            own[code] = _figures(store)
        folders[code] = tmp_path / f"{code}-export"
        export_parquet(db, folders[code])
    collate_countries(tmp_path / "region", folders, "R", "Region")
    with open_store(spark_url(tmp_path / "region")) as region:
        assert region.ibis().name == "pyspark"
        children = sum(_one(tmp_path / f"{c}.duckdb", "SELECT count(DISTINCT child_id) "
                            "FROM detentions") for c in folders)
        assert region.count("areas") == sum(
            _one(tmp_path / f"{c}.duckdb", "SELECT count(*) FROM areas") for c in folders) + 1
        assert int(region.fetchall("SELECT count(DISTINCT child_id) FROM detentions")[0][0]) \
            == children
        figures = _figures(region)
    for code, mine in own.items():
        for (ind, stat, area, bd), values in mine.items():
            assert figures[(ind, stat, f"{code}:{area}", bd)] == values, (code, ind, stat, area, bd)
    counts = [k for k in own["XA"] if k[1] == "count" and k[2] == "XA" and k[3] == "{}"]
    assert counts
    for ind, stat, _, bd in counts:
        total = sum(own[c][(ind, stat, "XA", bd)][0] or 0 for c in own)
        assert (figures[(ind, stat, "R", bd)][0] or 0) == total, ind
