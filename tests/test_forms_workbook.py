"""The entry workbook: generated from the schema, filled as a clerk would (openpyxl), imported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from import_fixtures import TODAY, errors_of, new_store
from jjis.api import import_registers
from jjis.cli.main import app
from jjis.forms.labels import Labels
from jjis.forms.lists import FACILITY_REGISTERS
from jjis.forms.write import write_forms
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = new_store(tmp_path)
    yield s
    s.close()


def fill(path: Path, sheet: str, rows: list[dict[str, object]]) -> None:
    """Type rows under the header of a sheet, each value in the column its header names."""
    wb = load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for i, row in enumerate(rows, start=2):
        for name, value in row.items():
            ws.cell(i, header.index(name) + 1, value)
    wb.save(path)


def stay(stay_id: str, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "stay_id": stay_id, "child_id": f"K-{stay_id}", "sex": "f",
        "date_of_birth": dt.date(2010, 3, 1), "facility_id": "RC1",
        "admission_date": dt.date(2025, 1, 10), "status_at_admission": "pre_sentence",
        "release_date": dt.date(2025, 2, 1), "release_reason": "released_pending_trial",
        "aftercare": "yes", "wholly_separated": "no", "offence_code": "0501",
    }
    row.update(over)
    return row


def test_every_sheet_has_the_columns_import_reads(tmp_path: Path) -> None:
    book = write_forms(tmp_path, lang="fr", tools=("workbook",)).written[0]
    wb = load_workbook(book)
    assert wb["Lists"].sheet_state == "hidden"
    assert wb.sheetnames[0] == "Instructions"
    for name, table in TABLES.items():  # without --facility every register has its sheet
        ws = wb[name]
        assert [c.value for c in ws[1]] == list(table.column_names)
        assert ws.freeze_panes == "A2"
        for i, col in enumerate(table.columns, start=1):
            note = ws.cell(1, i).comment  # the column's meaning, in French
            assert note is not None and Labels("fr").hint(col) in note.text
    # French messages on the validations: the sex dropdown says fille / garçon
    sexes = [dv for dv in wb["arrests"].data_validations.dataValidation if dv.type == "list"]
    assert any("fille" in (dv.prompt or "") for dv in sexes)
    dates = [dv for dv in wb["arrests"].data_validations.dataValidation if dv.type == "date"]
    assert dates and all("AAAA-MM-JJ" in (dv.error or "") for dv in dates)


def test_every_code_and_yes_no_column_has_a_dropdown_of_its_list(tmp_path: Path) -> None:
    book = write_forms(tmp_path, tools=("workbook",)).written[0]
    wb = load_workbook(book)
    lists = wb["Lists"]
    for table in TABLES.values():
        ws = wb[table.name]
        by_column = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                by_column[rng.min_col] = dv
        for i, col in enumerate(table.columns, start=1):
            if col.kind in ("code", "yesno") or col.codes_from:
                dv = by_column[i]
                assert dv.type == "list", (table.name, col.name)
                ref = dv.formula1.split("!")[1].replace("$", "")
                values = [c.value for row in lists[ref] for c in row]
                wanted = ["yes", "no", "unknown"] if col.kind == "yesno" else \
                    Config().age_group_labels if col.codes_from else list(col.codes)
                assert values == wanted, (table.name, col.name)
            elif col.kind == "date":
                assert by_column[i].type == "date"
            elif col.kind == "integer":
                assert by_column[i].type == "whole"


def test_facility_and_area_dropdowns_come_from_the_database(store: Store, tmp_path: Path) -> None:
    book = write_forms(tmp_path / "f", store=store, facilities=["RC1", "PS1"],
                       tools=("workbook",)).written[0]
    wb = load_workbook(book)
    assert [s for s in wb.sheetnames if s not in ("Instructions", "Lists")] == list(FACILITY_REGISTERS)
    ws = wb["detentions"]
    col = TABLES["detentions"].column_names.index("facility_id") + 1
    dv = next(d for d in ws.data_validations.dataValidation
              if any(r.min_col == col for r in d.sqref.ranges))
    ref = dv.formula1.split("!")[1].replace("$", "")
    assert [c.value for row in wb["Lists"][ref] for c in row] == ["RC1", "PS1"]


def test_a_filled_workbook_imports_with_zero_rejections(store: Store, tmp_path: Path) -> None:
    book = write_forms(tmp_path / "f", store=store, facilities=["RC1", "PS1"],
                       tools=("workbook",)).written[0]
    fill(book, "detentions", [stay("S1"), stay("S2", release_date=None, release_reason=None,
                                               aftercare=None, sex="m", offence_code="01")])
    fill(book, "arrests", [{"arrest_id": "A1", "child_id": "K-S1", "sex": "f",
                            "arrest_date": "2025-01-09", "facility_id": "PS1", "outcome": "detained"}])
    fill(book, "aggregate_returns", [{"return_id": "R1", "facility_id": "RC1",
                                      "measure": "in_detention", "census_date": dt.date(2025, 6, 30),
                                      "value": 4}])
    report = import_registers(store, [book], Config(), today=TODAY)
    assert errors_of(report) == []
    assert report.exit_code == 0
    got = store.fetchall("SELECT stay_id, sex, offence_code, release_reason FROM detentions ORDER BY 1")
    assert got == [("S1", "f", "0501", "released_pending_trial"), ("S2", "m", "01", None)]
    assert store.count("arrests") == 1 and store.count("aggregate_returns") == 1


def test_pasted_bad_codes_and_text_dates_are_rejected_row_by_row(store: Store, tmp_path: Path) -> None:
    book = write_forms(tmp_path / "f", store=store, facilities=["RC1"],
                       tools=("workbook",)).written[0]
    fill(book, "detentions", [
        stay("S1"),
        stay("S2", sex="girl"),                      # pasted past the dropdown
        stay("S3", admission_date="10/01/2025"),     # a date typed as text
        stay("S4"),
        stay("S5", aftercare="maybe", release_reason="freed"),
    ])
    report = import_registers(store, [book], Config(), today=TODAY)
    assert errors_of(report) == [(3, "sex", "invalid-code"), (4, "admission_date", "invalid-date"),
                                 (6, "aftercare", "invalid-yes-no"),
                                 (6, "release_reason", "invalid-code")]
    assert [r[0] for r in store.fetchall("SELECT stay_id FROM detentions ORDER BY 1")] == ["S1", "S4"]
    assert store.count("quarantine") == 3


def test_a_renamed_sheet_or_an_edited_header_is_reported(store: Store, tmp_path: Path) -> None:
    book = write_forms(tmp_path / "f", store=store, facilities=["RC1"],
                       tools=("workbook",)).written[0]
    fill(book, "detentions", [stay("S1")])
    fill(book, "arrests", [{"arrest_id": "A1", "child_id": "K1", "sex": "m",
                            "arrest_date": "2025-01-09", "facility_id": "PS1"}])
    wb = load_workbook(book)
    wb["arrests"].title = "Feuil1"
    wb["detentions"].cell(1, 2, "child number")
    wb.save(book)
    report = import_registers(store, [book], Config(), today=TODAY)
    refused = {f.file: sorted(e.type for e in f.errors) for f in report.files if f.refused}
    assert refused[f"{book.name}:Feuil1"] == ["unknown-table"]
    assert refused[f"{book.name}:detentions"] == ["missing-column", "unknown-column"]
    assert report.exit_code == 1


def test_cli_refuses_an_unknown_facility_or_a_facility_without_db(store: Store,
                                                                 tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(store.url) if hasattr(store, "url") else ""
    store.close()
    res = runner.invoke(app, ["forms", "--out", str(tmp_path / "o"), "--facility", "RC1"])
    assert res.exit_code == 2 and "--db" in res.output
    res = runner.invoke(app, ["forms", "--out", str(tmp_path / "o"), "--db", db,
                              "--facility", "NOPE"])
    assert res.exit_code == 2 and "NOPE" in res.output
    res = runner.invoke(app, ["forms", "--out", str(tmp_path / "o"), "--db", db,
                              "--facility", "RC1", "--lang", "fr", "--only", "workbook,xlsform"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "workbook" / "registers.xlsx").is_file()
    assert (tmp_path / "o" / "xlsform" / "detentions.xlsx").is_file()
    assert not (tmp_path / "o" / "paper").exists()
    res = runner.invoke(app, ["forms", "--out", str(tmp_path / "o"), "--only", "pdf"])
    assert res.exit_code == 2 and "--only" in res.output
