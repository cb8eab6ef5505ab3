"""Hostile and careless files: one bad file never stops the others, paths are literal,
subfolders are read, workbooks are read once within limits, formulas without a value are errors."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from import_fixtures import ARREST_HEADER, import_into, with_reference
from jjis.ingest.load import read_sources
from jjis.ingest.report import FileReport, ImportReport
from jjis.settings import Config
from jjis.store import Store

HEADER = ",".join(ARREST_HEADER)


def good(i: str) -> str:
    return f"{i},C{i},m,2010-05-01,2025-01-09,PS1,0501,charged"


def by_file(rep: ImportReport) -> dict[str, FileReport]:
    return {f.file: f for f in rep.files}


def ids(store: Store) -> list[str]:
    return sorted(r[0] for r in store.fetchall("SELECT arrest_id FROM arrests"))


@pytest.fixture
def ref_store(store: Store, tmp_path: Path) -> Store:
    return with_reference(store, tmp_path)


def test_one_bad_file_never_stops_the_others(ref_store: Store, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "arrests-good.csv").write_text(f"{HEADER}\n{good('G1')}\n")
    (d / "arrests-crlf.csv").write_bytes(f"{HEADER}\n{good('R1')}\r\n{good('R2')}\n".encode())
    (d / "arrests-latin1.csv").write_bytes(f"{HEADER}\n{good('L1')}\nL2,Cé,m\n".encode("latin-1"))
    (d / "arrests-binary.csv").write_bytes(b"PK\x03\x04\x00\x00binary\n" + good("B1").encode())
    (d / "arrests-long.csv").write_bytes(b"x" * 100_000 + b"\n" + good("X1").encode())
    (d / "arrests-broken.xlsx").write_bytes(b"not a zip at all")
    wb = Workbook()
    wb.active.title = "arrests"
    wb.active.append([*ARREST_HEADER, "_row"])  # a quarantine export's column, saved as a workbook
    wb.active.append(good("W1").split(",") + ["17"])
    wb.save(d / "arrests-meta.xlsx")
    rep = import_into(ref_store, [d])
    files = by_file(rep)
    for name in ("arrests-latin1.csv", "arrests-binary.csv", "arrests-long.csv",
                 "arrests-broken.xlsx"):
        (err,) = files[name].errors
        assert files[name].refused and err.type == "unreadable-file"
        assert name in err.message and "save" in err.message.lower()
    assert "byte 0xe9 on line 3" in files["arrests-latin1.csv"].errors[0].message
    assert ids(ref_store) == ["G1", "R1", "R2", "W1"]
    assert rep.exit_code == 1


def test_cli_exit_code_is_1_when_a_file_is_unreadable(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from import_fixtures import AREAS, write_csv
    from jjis.cli.main import app

    db = str(tmp_path / "x.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "areas.csv", AREAS)
    (d / "arrests.csv").write_bytes(b"\xff\xfe\x00binary")
    res = runner.invoke(app, ["import", str(d), "--db", db])
    assert res.exit_code == 1, res.output
    assert "cannot be read" in res.output


def test_paths_are_taken_literally(ref_store: Store, tmp_path: Path) -> None:
    d = tmp_path / "lit"
    d.mkdir()
    (d / "arrests-*.csv").write_text(f"{HEADER}\n{good('STAR')}\n")
    (d / "arrests-?.csv").write_text(f"{HEADER}\n{good('QMARK')}\n")
    (d / "arrests-1.csv").write_text(f"{HEADER}\n{good('ONE')}\n")
    (d / "arrests-[1].csv").write_text(f"{HEADER}\n{good('BRACKET')}\n")
    rep = import_into(ref_store, [d / "arrests-*.csv"])
    assert [f.file for f in rep.files] == ["arrests-*.csv"] and ids(ref_store) == ["STAR"]
    import_into(ref_store, [d / "arrests-?.csv", d / "arrests-[1].csv"])
    assert ids(ref_store) == ["BRACKET", "QMARK", "STAR"]


def test_subfolders_are_imported_in_a_stable_order(ref_store: Store, tmp_path: Path) -> None:
    d = tmp_path / "tree"
    (d / "north" / "ps1").mkdir(parents=True)
    (d / "south").mkdir()
    (d / "arrests.csv").write_text(f"{HEADER}\n{good('TOP')}\n")
    (d / "north" / "ps1" / "arrests.csv").write_text(f"{HEADER}\n{good('DEEP')}\n")
    (d / "south" / "arrests-2025.csv").write_text(f"{HEADER}\n{good('SOUTH')}\n")
    rep = import_into(ref_store, [d])
    assert [f.file for f in rep.files] == ["arrests.csv", "north/ps1/arrests.csv",
                                           "south/arrests-2025.csv"]
    assert ids(ref_store) == ["DEEP", "SOUTH", "TOP"] and rep.exit_code == 0


def _workbook(path: Path, rows: list[list[object]], far: int | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "arrests"
    for r in rows:
        ws.append(r)
    if far:
        ws.cell(row=far, column=1, value="FAR")  # a real row after many empty ones
    wb.save(path)
    return path


def test_a_formula_without_a_computed_value_is_an_error_on_its_cell(
        ref_store: Store, tmp_path: Path) -> None:
    # openpyxl writes formulas without computing them: the cell holds no value
    rows: list[list[object]] = [ARREST_HEADER, good("F1").split(","), good("F2").split(",")]
    rows[2][6] = "=CONCAT(\"05\",\"01\")"  # offence_code of row 3, column G
    rep = import_into(ref_store, [_workbook(tmp_path / "f.xlsx", rows)])
    (err,) = rep.files[0].errors
    assert (err.row, err.column, err.type) == (3, "offence_code", "formula-without-value")
    assert "G3" in err.message and ids(ref_store) == ["F1"]


def _with_empty_rows(path: Path, n: int) -> Path:
    """The workbook with n empty row elements (a styled cell each) added to its sheet and no
    declared dimension: a few hundred KB that unpack to many MB."""
    plain = _workbook(path.with_name("plain.xlsx"), [ARREST_HEADER, good("A1").split(",")])
    with zipfile.ZipFile(plain) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                empty = b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (i, i)
                                 for i in range(3, n + 3))
                data = data.replace(b"</sheetData>", empty + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:H2"/>', b"")
            out.writestr(item.filename, data)
    return path


def test_workbook_limits_are_checked_before_parsing(tmp_path: Path) -> None:
    hostile = _with_empty_rows(tmp_path / "empty.xlsx", 300_000)
    assert hostile.stat().st_size < 2_000_000
    start = time.perf_counter()
    (src,) = read_sources([hostile], Config())
    assert time.perf_counter() - start < 3
    assert "300,002 rows" in src.unreadable and "workbook_max_rows" in src.unreadable
    (src,) = read_sources([hostile], Config({"import.workbook_max_rows": 400_000,
                                             "import.workbook_max_cells": 100_000}))
    assert "workbook_max_cells" in src.unreadable and src.rows is None
    small = _workbook(tmp_path / "small.xlsx", [ARREST_HEADER, good("A1").split(",")])
    (src,) = read_sources([small], Config({"import.workbook_max_unpacked_mb": 0}))
    assert "workbook_max_unpacked_mb" in src.unreadable


def test_empty_rows_before_a_real_row_are_counted_not_lost(ref_store: Store, tmp_path: Path) -> None:
    rows: list[list[object]] = [ARREST_HEADER, good("E1").split(",")]
    path = _workbook(tmp_path / "gap.xlsx", rows, far=1_000_000)
    start = time.perf_counter()
    rep = import_into(ref_store, [path])
    assert time.perf_counter() - start < 5
    (f,) = rep.files
    # rows 3..999,999 are empty (999,997 of them); row 1,000,000 holds only arrest_id: rejected
    assert (f.rows, f.blank, f.inserted, f.rejected) == (999_999, 999_997, 1, 1)
    assert {e.row for e in f.errors} == {1_000_000}


def test_a_workbook_is_parsed_once_when_its_sources_are_checked_first(
        ref_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the web upload reads the sources once, checks the sender's remit on them, then imports them
    from jjis.ingest import sources

    calls: list[Path] = []
    real = sources.read_sheets

    def counted(path: Path, *args: object) -> object:
        calls.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "read_sheets", counted)
    path = _workbook(tmp_path / "once.xlsx", [ARREST_HEADER, good("O1").split(",")])
    found = read_sources([path], Config())
    assert [s.table for s in found] == ["arrests"]
    from import_fixtures import KEY
    from jjis.ingest.load import import_registers

    rep = import_registers(ref_store, [path], Config(), KEY, sources=found)
    assert rep.exit_code == 0 and ids(ref_store) == ["O1"] and calls == [path]
