"""The synthetic country goes through import: clean with zero rejections, dirty with exactly the
damaged rows rejected and the file with names refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jjis.api import import_registers, init_database
from jjis.ingest import load
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.store import open_store
from jjis.store.duck import DuckStore
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
            if table == "boundaries":  # areas.geojson: one feature per area (tests/test_maps.py)
                assert t.accepted == store.count("areas") == summary.rows_of("areas")
                continue
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


def test_files_loaded_side_by_side_give_what_one_after_another_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers load side by side where the store has sessions; the database, the quarantine,
    the findings and the import log must be exactly those of loading one file after another."""
    synthesise(tmp_path / "regs", children=800, seed=5, end_date=END, dirty=True)
    # a second file of stays, for children the police recorded with the other sex
    stays = (tmp_path / "regs" / "detentions.csv").read_text().splitlines()
    other = {"m": "f", "f": "m"}
    extra = [line.split(",") for line in stays[1:6]]
    (tmp_path / "regs" / "detentions-transfers.csv").write_text("\n".join(
        [stays[0]] + [",".join([f"X{r[0]}", r[1], other.get(r[2], "f"), *r[3:]]) for r in extra]) + "\n")
    secret = "ab" * 32  # one key for both, so that the pseudonyms agree
    monkeypatch.setenv("JJIS_SECRET", secret)
    contents = []
    for sessions in (True, False):
        monkeypatch.setattr(DuckStore, "sessions", sessions)
        db = str(tmp_path / f"{sessions}.duckdb")
        init_database(db)
        with open_store(db) as store:
            report = import_registers(store, [tmp_path / "regs"], Config())
            report.findings.sort(key=lambda f: (f.detail["child_id"], f.type))
            tables = {t: sorted(store.fetchall(f"SELECT {_columns(t)} FROM {t}"), key=repr)
                      for t in [*TABLES, "quarantine", "findings", "import_log"]}
        contents.append((report.as_json(), tables))
    assert contents[0][0] == contents[1][0]
    for t in contents[0][1]:
        assert contents[0][1][t] == contents[1][1][t], t
    assert contents[0][1]["findings"] and contents[0][1]["quarantine"]  # there was something to see


def _columns(table: str) -> str:
    """All but the column that differs between two imports of the same files: when they ran."""
    return "* EXCLUDE (imported_at)" if table == "import_log" else "*"


def test_an_error_in_one_register_stops_the_others_from_starting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrests (the largest register, so the first to start) fail; the worker on decisions may
    finish it, but no register waiting its turn is started, and the workbench is dropped."""
    synthesise(tmp_path / "regs", children=2000, seed=7, end_date=END)
    real = load._FileImport.run

    def run(self: load._FileImport) -> object:
        if self.source.table == "arrests":
            raise RuntimeError("the disk is full")
        return real(self)

    monkeypatch.setattr(load._FileImport, "run", run)
    db = str(tmp_path / "e.duckdb")
    init_database(db)
    with open_store(db) as store:
        with pytest.raises(RuntimeError, match="disk is full"):
            import_registers(store, [tmp_path / "regs"], Config())
        assert store.count("facilities") > 0  # the reference registers had loaded before
        assert [t for t in ("family_contacts", "detentions", "inspections", "policy",
                            "aggregate_returns") if store.count(t)] == []
        assert store.fetchall("SELECT database_name FROM duckdb_databases() "
                              "WHERE database_name LIKE 'jjis_import%'") == []
