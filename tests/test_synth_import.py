"""The synthetic country goes through import: clean with zero rejections, dirty with exactly the
damaged rows rejected and the file with names refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jjis.api import import_registers, init_database
from jjis.settings import Config
from jjis.store import open_store
from jjis.synth import synthesise

END = date(2025, 12, 31)


def test_clean_country_imports_with_zero_rejections(tmp_path: Path) -> None:
    summary = synthesise(tmp_path / "regs", children=600, seed=3, end_date=END)
    db = str(tmp_path / "c.duckdb")
    init_database(db)
    with open_store(db) as store:
        report = import_registers(store, [tmp_path / "regs"], Config())
        assert report.rejected == 0, report.as_json()
        assert report.exit_code == 0
        for table, t in report.tables.items():
            assert t.accepted == summary.rows_of(table), table
            assert store.count(table) == summary.rows_of(table), table


def test_dirty_country_rejects_exactly_the_damaged_rows(tmp_path: Path) -> None:
    summary = synthesise(tmp_path / "regs", children=600, seed=3, end_date=END, dirty=True)
    db = str(tmp_path / "d.duckdb")
    init_database(db)
    with open_store(db) as store:
        report = import_registers(store, [tmp_path / "regs"], Config())
    assert report.exit_code == 1
    by_file = {f.file: f for f in report.files}
    visitor_log = by_file.pop("family_contacts-visitor-log.csv")
    assert visitor_log.refused and visitor_log.errors[0].type == "direct-identifier"
    for name, f in by_file.items():
        assert f.rejected == summary.damaged.get(name, 0), name
