"""The XLSForms: converted by pyxform and checked by ODK Validate (Java); their submissions, exported
as ODK Central and KoboToolbox write them, import as the registers."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from import_fixtures import TODAY, errors_of, new_store
from jjis.api import import_registers
from jjis.forms.lists import FACILITY_REGISTERS, References, schema_version
from jjis.forms.write import write_forms
from jjis.forms.xlsform import lang_column, write_xlsform
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.store import Store


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    write_forms(out, tools=("xlsform",))
    return out / "xlsform"


def survey(path: Path) -> list[dict[str, str]]:
    ws = load_workbook(path)["survey"]
    rows = list(ws.iter_rows(values_only=True))
    return [{h: (v or "") for h, v in zip(rows[0], r, strict=True)} for r in rows[1:]]


@pytest.mark.parametrize("table", FACILITY_REGISTERS)
def test_every_form_converts_and_validates_without_warnings(forms: Path, table: str) -> None:
    assert shutil.which("java"), "ODK Validate needs Java 17 (apt-get install openjdk-17-jre)"
    warnings: list[str] = []
    result = convert(str(forms / f"{table}.xlsx"), warnings=warnings, validate=True)
    assert warnings == []
    assert f'id="{table}"' in result.xform and f'version="{schema_version()}"' in result.xform


@pytest.mark.parametrize("table", FACILITY_REGISTERS)
def test_every_column_is_a_question_with_english_and_french(forms: Path, table: str) -> None:
    rows = {r["name"]: r for r in survey(forms / f"{table}.xlsx") if r["type"] != "end_group"}
    for col in TABLES[table].columns:
        q = rows[col.name]
        assert q[lang_column("label", "en")] and q[lang_column("label", "fr")]
        assert q[lang_column("hint", "fr")] != q[lang_column("hint", "en")] or not col.help
        if col.required:
            assert q["required"] == "yes"
        if col.kind == "date":
            assert q["type"] == "date"
        if col.kind in ("code", "yesno"):
            assert q["type"].startswith("select_one ")


def test_the_schemas_rules_are_constraints_and_relevance(forms: Path) -> None:
    q = {r["name"]: r for r in survey(forms / "detentions.xlsx")}
    assert q["death_cause"]["relevant"] == "(${release_reason} = 'death')"
    assert "(string-length(${admission_date}) = 0 or . >= ${admission_date})" in \
        q["release_date"]["constraint"]
    assert q["release_reason"]["required"] == "string-length(${release_date}) > 0"
    assert q["release_reason"]["relevant"] == "string-length(${release_date}) > 0"
    assert q["sentence_date"]["relevant"] == "(${status_at_admission} = 'pre_sentence')"
    ret = {r["name"]: r for r in survey(forms / "aggregate_returns.xlsx")}
    assert ret["area_id"]["relevant"] == "string-length(${facility_id}) = 0"  # one of the two


def test_facility_lists_from_the_database_are_choices(tmp_path: Path) -> None:
    refs = References([("RC1", "Remand 1")], [("XA-N", "North")], ["RC1"])
    path = write_xlsform(TABLES["detentions"], tmp_path / "detentions.xlsx", Config(), refs)
    q = {r["name"]: r for r in survey(path)}
    assert q["facility_id"]["type"] == "select_one facilities"
    ch = [r for r in load_workbook(path)["choices"].iter_rows(values_only=True)]
    assert ("facilities", "RC1", "Remand 1", "Remand 1") in ch
    assert convert(str(path), warnings=[]).xform


# -- exports of submissions ----------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = new_store(tmp_path)
    yield s
    s.close()


KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]
KOBO_REPEAT_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id",
                    "_submission__uuid", "_submission__submission_time"]
CENTRAL_META = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
STAYS = [  # stay_id, child_id, sex, date_of_birth, admission_date, release_date, release_reason
    ["S1", "K1", "f", "2010-03-01", "2025-01-10", "2025-02-01", "released_pending_trial"],
    ["S2", "K2", "m", "2009-07-15", "2025-03-02", "", ""],
]
CONTACTS = [["C1", "K1", "2025-01-20", "visit_received", "parent"],
            ["C2", "K1", "2025-01-27", "visit_received", "guardian"],
            ["C3", "K2", "2025-03-09", "home_visit", "parent"]]


def _paths(sep: str) -> tuple[list[str], list[str]]:
    """Field paths of a detentions form with a repeat group of the child's family contacts."""
    g = lambda group, name: f"{group}{sep}{name}"  # noqa: E731
    stay = ["stay_id", g("child", "child_id"), g("child", "sex"), g("child", "date_of_birth"),
            "facility_id", "admission_date", "status_at_admission", "release_date", "release_reason"]
    contact = [g("family_contacts", c) for c in
               ("contact_id", "child_id", "facility_id", "contact_date", "kind", "relation")]
    return stay, contact


def _stay_rows() -> list[list[str]]:
    return [[s[0], s[1], s[2], s[3], "RC1", s[4], "pre_sentence", s[5], s[6]] for s in STAYS]


def _contact_rows() -> list[list[str]]:
    return [[c[0], c[1], "RC1", c[2], c[3], c[4]] for c in CONTACTS]


def _check(store: Store, report: object) -> None:
    assert errors_of(report) == []  # type: ignore[arg-type]
    assert store.fetchall("SELECT stay_id, release_reason FROM detentions ORDER BY 1") == \
        [("S1", "released_pending_trial"), ("S2", None)]
    assert [r[0] for r in store.fetchall("SELECT contact_id FROM family_contacts ORDER BY 1")] == \
        ["C1", "C2", "C3"]
    # the contacts of K1 link to K1's stay: the same pseudonym in both registers
    linked = store.fetchall("SELECT count(*) FROM family_contacts c JOIN detentions d "
                            "USING (child_id) WHERE d.stay_id = 'S1'")
    assert linked == [(2,)]


def test_a_kobotoolbox_xlsx_export_with_a_repeat_sheet_imports(store: Store, tmp_path: Path) -> None:
    stay, contact = _paths("/")
    wb = Workbook()
    main = wb.active
    assert main is not None
    main.title = "detentions — Detentions"[:31]  # Kobo names the sheet after the form's title
    main.append([*stay, *KOBO_META])
    for i, r in enumerate(_stay_rows(), start=1):
        main.append([*r, 100 + i, f"uuid-{i}", "2025-03-10T10:00:00", "", "", "submitted_via_web",
                     "clerk", "v1", "", i])
    rep = wb.create_sheet("family_contacts")  # the repeat group's own sheet
    rep.append([*contact, *KOBO_REPEAT_META])
    for i, r in enumerate(_contact_rows(), start=1):
        rep.append([*r, i, "detentions", 1 if r[1] == "K1" else 2, 101, "uuid-1", "2025-03-10"])
    path = tmp_path / "kobo-export.xlsx"
    wb.save(path)
    _check(store, import_registers(store, [path], Config(), today=TODAY))


def test_an_odk_central_csv_export_with_a_repeat_file_imports(store: Store, tmp_path: Path) -> None:
    stay, contact = _paths("-")
    folder = tmp_path / "central"  # the zip ODK Central writes, unpacked
    folder.mkdir()
    with (folder / "detentions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["SubmissionDate", *stay, *CENTRAL_META])
        for i, r in enumerate(_stay_rows(), start=1):
            w.writerow(["2025-03-10T10:00:00.000Z", *r, f"uuid:{i}", f"uuid:{i}", "5", "clerk",
                        "0", "0", "", "approved", "collect:abc", "0", schema_version()])
    with (folder / "detentions-family_contacts.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([*contact, "PARENT_KEY", "KEY"])
        for i, r in enumerate(_contact_rows(), start=1):
            parent = "uuid:1" if r[1] == "K1" else "uuid:2"
            w.writerow([*r, parent, f"{parent}/family_contacts[{i}]"])
    _check(store, import_registers(store, [folder], Config(), today=TODAY))
