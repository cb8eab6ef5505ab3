"""No formula injection: text cells written to CSV or XLSX never start a formula; a quarantine
export still reads back and fixes its rows."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from import_fixtures import ARREST_HEADER, FACILITIES, import_into, write_csv
from jjis.ingest.quarantine import export_quarantine
from jjis.store import Store
from jjis.textcells import neutral

HOSTILE = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x","y")']
# a CSV line break always ends a row, so a value read from CSV never holds a carriage return
ROUND_TRIP = [v for v in HOSTILE if "\r" not in v]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_would_start_a_formula_gets_a_quote(value: str) -> None:
    assert neutral(value) == "'" + value


@pytest.mark.parametrize("value", ["-12", "+3.5", "12", "-", "a=b", "", "h:0a1b", "-1.5e-05"])
def test_numbers_and_plain_text_stay_as_they_are(value: str) -> None:
    assert neutral(value) == value


def test_a_csv_written_by_another_library_is_rewritten_neutral(tmp_path: Path) -> None:
    """The SDMX-CSV that sdmx1 writes goes through neutralise_csv (reports/sdmx.py)."""
    import csv

    from jjis.textcells import neutralise_csv

    path = tmp_path / "data.csv"
    path.write_text('DATAFLOW,REF_AREA,OBS_VALUE,COMMENT\nJJIS:DF(1.0),XA,-12,"=HYPERLINK(""x"")"\n'
                    "JJIS:DF(1.0),@SUM(A1),3.5,+cmd\n", encoding="utf-8")
    neutralise_csv(path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["DATAFLOW", "REF_AREA", "OBS_VALUE", "COMMENT"],
                    ["JJIS:DF(1.0)", "XA", "-12", "'=HYPERLINK(\"x\")"],
                    ["JJIS:DF(1.0)", "'@SUM(A1)", "3.5", "'+cmd"]]


def test_quarantine_export_is_neutral_and_reads_back(store: Store, tmp_path: Path) -> None:
    from import_fixtures import with_reference

    with_reference(store, tmp_path)
    rows = [ARREST_HEADER] + [[v, f"C{i}", "x", "2010-05-01", "2025-01-09", "PS1", "0501", "charged"]
                              for i, v in enumerate(ROUND_TRIP)]
    import_into(store, [write_csv(tmp_path / "arrests.csv", rows)])
    out = tmp_path / "fix"
    (path,) = export_quarantine(store, out)
    with path.open(newline="", encoding="utf-8") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and len(c) > 1
                and not c.lstrip("+-").replace(".", "").isdigit()]
    fixed = path.read_text(encoding="utf-8").replace(",x,", ",m,")
    path.write_text(fixed, encoding="utf-8")
    (rep,) = import_into(store, [path]).files
    assert rep.rejected == 0 and rep.inserted == len(ROUND_TRIP)
    stored = sorted(r[0] for r in store.fetchall("SELECT arrest_id FROM arrests"))
    assert stored == sorted(ROUND_TRIP)  # the quote is taken away again on import


def test_report_workbook_holds_no_formula_from_names(tmp_path: Path) -> None:
    from jjis.api import import_registers, init_database
    from jjis.reports import write_report
    from jjis.settings import Config
    from jjis.store import open_store

    db = str(tmp_path / "x.duckdb")
    init_database(db)
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "areas.csv", [["area_id", "name", "parent_id", "level"],
                                ["XA", "=HYPERLINK(\"http://evil\",\"Arcadia\")", "", "country"],
                                ["XA-N", "+North", "XA", "region"],
                                ["XA-N-01", "@North One", "XA-N", "district"]])
    write_csv(d / "facilities.csv", FACILITIES)
    write_csv(d / "arrests.csv", [ARREST_HEADER, ["A1", "C1", "m", "2010-05-01", "2025-01-09",
                                                  "PS1", "0501", "charged"]])
    with open_store(db) as store:
        assert import_registers(store, [d], Config(), today=date(2026, 6, 30)).exit_code == 0
        paths = write_report(store, Config(), date(2025, 12, 31), tmp_path / "out", formats=["xlsx"])
    with zipfile.ZipFile(paths.xlsx) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)
    wb = openpyxl.load_workbook(paths.xlsx)
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)}
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert not any(t.startswith(("=", "+", "@")) for t in texts)
