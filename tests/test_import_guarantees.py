"""What import guarantees: one transaction per file, idempotent re-import, pseudonymisation,
workbooks, the quarantine round trip and data-quality findings."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openpyxl import Workbook

from import_fixtures import (
    ARREST_HEADER,
    DETENTION_HEADER,
    TODAY,
    errors_of,
    load,
    new_store,
    write_csv,
)
from jjis.api import import_registers
from jjis.errors import JjisError
from jjis.ingest import findings
from jjis.ingest.pseudonym import load_key, pseudonym, shown
from jjis.ingest.quarantine import export_quarantine, list_quarantine
from jjis.settings import Config
from jjis.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = new_store(tmp_path)
    yield s
    s.close()


def arrests(n: int, prefix: str = "A", child: str = "KID-") -> list[list[str]]:
    return [ARREST_HEADER] + [
        [f"{prefix}{i}", f"{child}{i}", "f" if i % 3 == 0 else "m", "2010-05-01", "2025-03-01", "PS1",
         "0501", "charged"] for i in range(n)]


def test_reimport_updates_and_never_duplicates(store: Store, tmp_path: Path) -> None:
    first = load(store, tmp_path, "arrests.csv", arrests(5))
    assert (first.tables["arrests"].inserted, first.tables["arrests"].updated) == (5, 0)
    changed = arrests(6)
    changed[1][7] = "diverted"  # A0 now diverted
    second = load(store, tmp_path, "arrests.csv", changed)
    assert (second.tables["arrests"].inserted, second.tables["arrests"].updated) == (1, 5)
    assert store.count("arrests") == 6
    assert store.fetchall("SELECT outcome FROM arrests WHERE arrest_id = 'A0'") == [("diverted",)]


def test_same_id_at_another_source_is_another_record(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "arrests.csv", arrests(2))
    other = arrests(2)
    for row in other[1:]:
        row[5] = "CT1"  # courts do not arrest: rejected, nothing replaced
    rep = load(store, tmp_path, "arrests.csv", other)
    assert rep.tables["arrests"].rejected == 2 and store.count("arrests") == 2


def test_child_ids_are_pseudonymised_everywhere(store: Store, tmp_path: Path) -> None:
    rows = arrests(4, child="RAW-SECRET-")
    rows[2][2] = "x"  # one rejected row: its raw id must not reach the quarantine either
    load(store, tmp_path, "arrests.csv", rows)
    key = load_key(store.url)
    stored = {r[0] for r in store.fetchall("SELECT child_id FROM arrests")}
    assert stored == {pseudonym(key, f"RAW-SECRET-{i}") for i in (0, 2, 3)}
    quarantined = store.fetchall("SELECT raw_json FROM quarantine")
    assert json.loads(quarantined[0][0])["child_id"] == shown(pseudonym(key, "RAW-SECRET-1"))
    store.execute("CHECKPOINT")
    for f in Path(store.url).parent.glob("jjis.duckdb*"):
        assert b"RAW-SECRET" not in f.read_bytes(), f


def test_a_database_with_the_old_text_pseudonyms_is_refused(store: Store, tmp_path: Path) -> None:
    store.execute("ALTER TABLE arrests ALTER child_id TYPE VARCHAR")  # as jjis made it before
    with pytest.raises(JjisError, match="earlier jjis"):
        load(store, tmp_path, "arrests.csv", arrests(2))
    assert store.count("arrests") == 0


def test_values_are_read_without_their_surrounding_spaces(store: Store, tmp_path: Path) -> None:
    rows = arrests(3)
    rows[1][1:4] = ["  KID-0 ", " F", "2010-05-01 "]  # spaces around a child, a code and a date
    rows[2][4] = "   "  # a blank arrest date is an empty one: required, so the row is rejected
    rep = load(store, tmp_path, "arrests.csv", rows)
    assert errors_of(rep) == [(3, "arrest_date", "required-value")]
    key = load_key(store.url)
    assert store.fetchall("SELECT child_id, sex, CAST(date_of_birth AS VARCHAR) FROM arrests "
                          "WHERE arrest_id = 'A0'") == [(pseudonym(key, "KID-0"), "f", "2010-05-01")]


def test_an_interrupted_import_leaves_the_database_as_it_was(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "arrests.csv", arrests(3, prefix="OLD"))
    db = store.url
    store.close()
    path = write_csv(tmp_path / "arrests.csv", arrests(20_000))
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import date
        from jjis.api import import_registers
        from jjis.settings import Config
        from jjis.store import open_store
        from jjis.store.duck import DuckStore
        real = DuckStore.execute
        def execute(self, sql, params=None):
            real(self, sql, params)
            if sql.startswith("INSERT INTO arrests"):
                os.kill(os.getpid(), signal.SIGKILL)  # killed after writing, before COMMIT
        DuckStore.execute = execute
        store = open_store({db!r})
        import_registers(store, [{str(path)!r}], Config(), today=date(2026, 6, 30))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    after = open_store(db)
    try:
        assert after.count("arrests") == 3
        assert after.fetchall("SELECT DISTINCT left(arrest_id, 3) FROM arrests") == [("OLD",)]
        assert after.count("import_log") == 3  # areas, facilities, the first arrests file
    finally:
        after.close()


def test_workbook_with_one_sheet_per_table(tmp_path: Path) -> None:
    from import_fixtures import AREAS, FACILITIES
    from jjis.api import init_database

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (("arrests", arrests(3)), ("Facilities", FACILITIES), ("areas", AREAS)):
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb["arrests"]["E3"] = "not a date"
    import datetime as dt
    wb["arrests"]["E4"] = dt.datetime(2025, 4, 2)  # a real Excel date cell
    path = tmp_path / "registers.xlsx"
    wb.save(path)
    db = str(tmp_path / "x.duckdb")
    init_database(db)
    with open_store(db) as s:
        rep = import_registers(s, [path], Config(), today=TODAY)
        assert errors_of(rep) == [(3, "arrest_date", "invalid-date")]
        assert rep.tables["areas"].accepted == 3 and rep.tables["arrests"].accepted == 2
        assert s.fetchall("SELECT CAST(arrest_date AS VARCHAR) FROM arrests WHERE arrest_id = 'A2'") == [
            ("2025-04-02",)]


def test_workbook_guide_sheets_are_passed_over_and_unknown_sheets_reported(tmp_path: Path) -> None:
    from import_fixtures import AREAS
    from jjis.api import init_database

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (("Instructions", [["Fill one row per record"]]), ("areas", AREAS),
                       ("Lists", [["sex", "f", "m"]]), ("Notes", [["x", "y"], ["1", "2"]])):
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path = tmp_path / "entry.xlsx"
    wb.save(path)
    db = str(tmp_path / "g.duckdb")
    init_database(db)
    with open_store(db) as s:
        rep = import_registers(s, [path], Config(), today=TODAY)
        assert rep.tables["areas"].accepted == 3
        assert [f.table for f in rep.files if f.table] == ["areas"]
        assert [e.type for f in rep.files for e in f.errors] == ["unknown-table"]
        assert s.count("areas") == 3


def test_order_of_files_does_not_matter(tmp_path: Path) -> None:
    from import_fixtures import AREAS, FACILITIES
    from jjis.api import init_database

    folder = tmp_path / "regs"
    folder.mkdir()
    write_csv(folder / "arrests.csv", arrests(2))
    write_csv(folder / "facilities.csv", FACILITIES)
    write_csv(folder / "areas.csv", AREAS)
    db = str(tmp_path / "o.duckdb")
    init_database(db)
    with open_store(db) as s:
        rep = import_registers(s, [folder / "arrests.csv", folder / "facilities.csv",
                                   folder / "areas.csv"], Config(), today=TODAY)
        assert rep.exit_code == 0 and [f.table for f in rep.files] == ["areas", "facilities", "arrests"]


def test_quarantine_export_fix_and_reimport(store: Store, tmp_path: Path) -> None:
    rows = arrests(3)
    rows[2][7] = "detaned"
    load(store, tmp_path, "arrests.csv", rows)
    assert len(list_quarantine(store)) == 1
    (path,) = export_quarantine(store, tmp_path / "q")
    text = path.read_text()
    assert "detaned" in text and "KID-1" not in text
    path.write_text(text.replace("detaned", "detained"))
    rep = import_registers(store, [path], Config(), today=TODAY)
    assert rep.exit_code == 0
    assert list_quarantine(store) == [] and len(list_quarantine(store, resolved=True)) == 1
    key = load_key(store.url)
    assert store.fetchall("SELECT child_id FROM arrests WHERE arrest_id = 'A1'") == [
        (pseudonym(key, "KID-1"),)]  # the same child as before, though its raw id was never shown


def test_conflicting_sex_or_birth_is_a_finding_not_a_failure(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "arrests.csv", arrests(2))
    stay = ["S1", "KID-1", "f", "2010-05-02", "RC1", "2025-03-02", "pre_sentence", "", "", "", "",
            "", "", ""]
    rep = load(store, tmp_path, "detentions.csv", [DETENTION_HEADER, stay])
    assert rep.exit_code == 0
    assert sorted(f.type for f in rep.findings) == ["conflicting-date-of-birth", "conflicting-sex"]
    assert store.count("findings") == 2


@pytest.mark.parametrize("share", [0.0, 10.0], ids=["every-row-read", "touched-children-only"])
def test_findings_name_only_the_children_an_import_touched(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float) -> None:
    """Both ways of looking (a grouped pass over every row, or over the touched children's rows
    only) find the same conflicts, and a conflict found before is not reported again."""
    monkeypatch.setattr(findings, "FULL_SCAN_SHARE", share)
    load(store, tmp_path, "arrests.csv", arrests(4))  # KID-1 and KID-2 are boys born 2010-05-01
    girl = ["S1", "KID-1", "f", "2010-05-01", "RC1", "2025-03-02", "pre_sentence", "", "", "", "",
            "", "", ""]
    first = load(store, tmp_path, "detentions.csv", [DETENTION_HEADER, girl])
    assert [(f.type, f.detail["child_id"]) for f in first.findings] == [
        ("conflicting-sex", shown(pseudonym(load_key(store.url), "KID-1")))]
    later = ["S2", "KID-2", "m", "2011-01-01", "RC1", "2025-03-02", "pre_sentence", "", "", "", "",
             "", "", ""]
    second = load(store, tmp_path, "detentions.csv", [DETENTION_HEADER, girl, later])
    assert {(f.type, f.detail["child_id"]) for f in second.findings} == {
        ("conflicting-sex", shown(pseudonym(load_key(store.url), "KID-1"))),  # loaded again
        ("conflicting-date-of-birth", shown(pseudonym(load_key(store.url), "KID-2")))}
    third = load(store, tmp_path, "arrests.csv", [ARREST_HEADER, ["A9", "KID-9", "m", "2010-05-01",
                                                                  "2025-03-01", "PS1", "0501",
                                                                  "charged"]])
    assert third.findings == []  # KID-1 and KID-2 were not touched
    assert store.count("findings") == 3


def test_cli_json_report_and_exit_codes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jjis.cli.main import app

    runner = CliRunner()
    db = str(tmp_path / "c.duckdb")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 2  # never overwrites the key
    from import_fixtures import AREAS
    ok = write_csv(tmp_path / "areas.csv", AREAS)
    res = runner.invoke(app, ["import", str(ok), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["tables"]["areas"] == {
        "accepted": 3, "inserted": 3, "updated": 0, "rejected": 0, "blank": 0, "errors": []}
    bad = write_csv(tmp_path / "areas-bad.csv", [AREAS[0], ["XB", "B", "", "Kingdom!"]])
    res = runner.invoke(app, ["import", str(bad), "--db", db, "--json"])
    assert res.exit_code == 1
    (err,) = json.loads(res.output)["tables"]["areas"]["errors"]
    assert {k: err[k] for k in ("row", "column", "value", "type")} == {
        "row": 2, "column": "level", "value": "kingdom!", "type": "invalid-code"}
    res = runner.invoke(app, ["import", str(tmp_path / "missing.csv"), "--db", db])
    assert res.exit_code == 2 and "does not exist" in " ".join(res.output.split())
