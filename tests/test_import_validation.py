"""Every validation rule of the import, one small hand-written file each."""

from __future__ import annotations

from pathlib import Path

import pytest

from import_fixtures import ARREST_HEADER, DETENTION_HEADER, errors_of, load, new_store
from jjis.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = new_store(tmp_path)
    yield s
    s.close()


def stay(**over: str) -> list[str]:
    base = dict(stay_id="S1", child_id="C1", sex="m", date_of_birth="2010-05-01", facility_id="RC1",
                admission_date="2025-01-10", status_at_admission="pre_sentence", sentence_date="",
                release_date="", release_reason="", death_cause="", aftercare="",
                wholly_separated="", offence_code="")
    base.update(over)
    return [base[c] for c in DETENTION_HEADER]


def arrest(**over: str) -> list[str]:
    base = dict(arrest_id="A1", child_id="C1", sex="m", date_of_birth="2010-05-01",
                arrest_date="2025-01-09", facility_id="PS1", offence_code="0501", outcome="charged")
    base.update(over)
    return [base[c] for c in ARREST_HEADER]


def test_a_clean_file_is_accepted(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "detentions.csv", [DETENTION_HEADER, stay()])
    assert rep.exit_code == 0
    assert rep.tables["detentions"].accepted == 1
    assert store.count("detentions") == 1


@pytest.mark.parametrize(
    ("over", "column", "type_"),
    [
        ({"child_id": ""}, "child_id", "required-value"),
        ({"sex": ""}, "sex", "required-value"),
        ({"admission_date": "10/01/2025"}, "admission_date", "invalid-date"),
        ({"admission_date": "2025-02-30"}, "admission_date", "invalid-date"),
        ({"status_at_admission": "remand"}, "status_at_admission", "invalid-code"),
        ({"aftercare": "maybe"}, "aftercare", "invalid-yes-no"),
        ({"offence_code": "12"}, "offence_code", "invalid-offence"),
        ({"facility_id": "NOPE"}, "facility_id", "unknown-reference"),
        ({"facility_id": "PS1"}, "facility_id", "wrong-facility-kind"),
        ({"date_of_birth": "2025-02-01"}, "admission_date", "date-order"),
        ({"release_date": "2025-01-05", "release_reason": "acquitted"}, "release_date", "date-order"),
        ({"sentence_date": "2025-03-01", "release_date": "2025-02-01", "release_reason": "other"},
         "release_date", "date-order"),
        ({"admission_date": "2026-07-01"}, "admission_date", "future-date"),
        ({"release_date": "2025-02-01"}, "release_reason", "required-with"),
        ({"release_reason": "acquitted"}, "release_reason", "only-with"),
        ({"release_date": "2025-02-01", "release_reason": "escape", "death_cause": "illness"},
         "death_cause", "only-with"),
        ({"status_at_admission": "sentenced", "sentence_date": "2025-02-01"}, "sentence_date",
         "only-with"),
        ({"age": "x"}, "age", "invalid-integer"),
    ],
)
def test_each_rule_names_row_column_and_type(store: Store, tmp_path: Path, over: dict[str, str],
                                             column: str, type_: str) -> None:
    header = DETENTION_HEADER + (["age"] if "age" in over else [])
    row = stay(**{k: v for k, v in over.items() if k != "age"}) + ([over["age"]] if "age" in over else [])
    ok = stay(stay_id="OK") + ([""] if "age" in over else [])
    rep = load(store, tmp_path, "detentions.csv", [header, ok, row])
    assert (3, column, type_) in errors_of(rep)
    assert rep.tables["detentions"].accepted == 1 and rep.tables["detentions"].rejected == 1
    assert rep.exit_code == 1


def test_codes_are_read_case_insensitively(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "detentions.csv",
               [DETENTION_HEADER, stay(sex="M", status_at_admission="Pre_Sentence", aftercare="YES")])
    assert rep.exit_code == 0
    assert store.fetchall("SELECT sex, status_at_admission, aftercare FROM detentions") == [
        ("m", "pre_sentence", True)]


def test_yes_no_spellings(store: Store, tmp_path: Path) -> None:
    rows = [stay(stay_id=f"S{i}", wholly_separated=v) for i, v in
            enumerate(["yes", "no", "true", "false", "1", "0", "", "unknown"])]
    assert load(store, tmp_path, "detentions.csv", [DETENTION_HEADER, *rows]).exit_code == 0
    got = store.fetchall("SELECT stay_id, wholly_separated FROM detentions ORDER BY stay_id")
    assert [v for _, v in got] == [True, False, True, False, True, False, None, None]


def test_message_names_value_and_what_is_allowed(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "arrests.csv", [ARREST_HEADER, arrest(outcome="detaned")])
    (_, err), = rep.tables["arrests"].errors
    assert err.row == 2 and err.column == "outcome" and err.value == "detaned"
    assert "'detaned'" in err.message
    assert "released, diverted, charged, detained, other" in err.message


def test_every_error_of_every_row_is_collected(store: Store, tmp_path: Path) -> None:
    rows = [ARREST_HEADER,
            arrest(arrest_id="A1", sex="x", outcome="nope"),
            arrest(arrest_id="A2"),
            arrest(arrest_id="A3", arrest_date="2025-13-01", facility_id="RC1")]
    rep = load(store, tmp_path, "arrests.csv", rows)
    assert errors_of(rep) == [(2, "outcome", "invalid-code"), (2, "sex", "invalid-code"),
                              (4, "arrest_date", "invalid-date"),
                              (4, "facility_id", "wrong-facility-kind")]
    assert rep.tables["arrests"].accepted == 1


def test_duplicate_ids_in_one_file_are_all_rejected(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "arrests.csv",
               [ARREST_HEADER, arrest(arrest_id="A1"), arrest(arrest_id="A2"), arrest(arrest_id="A1")])
    dup = [e for _, e in rep.tables["arrests"].errors]
    assert [(e.row, e.type) for e in dup] == [(2, "duplicate-id"), (4, "duplicate-id")]
    assert "rows 2, 4" in dup[0].message
    assert store.count("arrests") == 1


def test_unknown_column_refuses_the_file(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "arrests.csv", [ARREST_HEADER + ["remarks"], arrest() + ["x"]])
    assert errors_of(rep) == [(1, "remarks", "unknown-column")]
    assert rep.files[0].refused and rep.tables["arrests"].rejected == 1
    assert store.count("arrests") == 0


@pytest.mark.parametrize("column", ["name", "child_name", "Address", "phone_number", "email"])
def test_direct_identifiers_are_refused_with_a_reason(store: Store, tmp_path: Path, column: str) -> None:
    rep = load(store, tmp_path, "arrests.csv", [ARREST_HEADER + [column], arrest() + ["Jane Doe"]])
    (_, err), = rep.tables["arrests"].errors
    assert err.type == "direct-identifier" and "data minimisation" in err.message
    assert store.count("arrests") == 0
    dumped = str(store.fetchall("SELECT * FROM quarantine")) + str(store.fetchall("SELECT * FROM import_log"))
    assert "Jane Doe" not in dumped


def test_missing_required_column_refuses_the_file(store: Store, tmp_path: Path) -> None:
    header = [c for c in ARREST_HEADER if c != "arrest_date"]
    row = [v for c, v in zip(ARREST_HEADER, arrest(), strict=True) if c != "arrest_date"]
    rep = load(store, tmp_path, "arrests.csv", [header, row])
    assert errors_of(rep) == [(1, "arrest_date", "missing-column")]


def test_a_file_that_names_no_register_is_refused(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "prisoners.csv", [["a"], ["1"]])
    assert rep.files[0].refused and errors_of(rep)[0][2] == "unknown-table"
    assert rep.exit_code == 1


def test_form_export_metadata_columns_are_ignored(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "arrests.csv",
               [ARREST_HEADER + ["_uuid", "meta/instanceID"], arrest() + ["u-1", "uuid:2"]])
    assert rep.exit_code == 0 and store.count("arrests") == 1


def test_malformed_csv_rows_are_reported_with_their_line(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "arrests.csv",
               [ARREST_HEADER, arrest(arrest_id="A1"), arrest(arrest_id="A2") + ["extra"],
                arrest(arrest_id="A3")])
    assert errors_of(rep) == [(3, "", "malformed-row")]
    assert store.count("arrests") == 2


def test_reference_checks_use_the_same_file_for_areas(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "areas.csv", [["area_id", "name", "parent_id", "level"],
                                              ["XA-S", "South", "XA", "region"],
                                              ["XA-S-01", "South One", "XA-S", "district"],
                                              ["XA-Q-01", "Nowhere", "XA-Q", "district"]])
    assert errors_of(rep) == [(4, "parent_id", "unknown-reference")]


def test_facility_dates_and_aggregate_return_rules(store: Store, tmp_path: Path) -> None:
    rep = load(store, tmp_path, "facilities.csv", [
        ["facility_id", "name", "area_id", "kind", "opened", "closed"],
        ["X1", "Closed before open", "XA", "court", "2024-01-01", "2023-01-01"]])
    assert errors_of(rep) == [(2, "closed", "date-order")]
    header = ["return_id", "facility_id", "area_id", "measure", "census_date", "period_start",
              "period_end", "sex", "age_group", "value"]
    rep = load(store, tmp_path, "aggregate_returns.csv", [
        header,
        ["R1", "RC1", "", "in_detention", "2025-12-31", "", "", "", "", "4"],
        ["R2", "RC1", "XA", "in_detention", "2025-12-31", "", "", "", "", "4"],
        ["R3", "", "XA", "arrested", "", "2025-01-01", "", "f", "16_17", "10"],
        ["R4", "", "XA", "in_detention", "", "", "", "", "over_18", "-1"],
    ])
    assert errors_of(rep) == [
        (3, "facility_id", "one-of"),
        (4, "period_end", "required-with"),
        (5, "age_group", "invalid-code"),
        (5, "census_date", "required-with"),
        (5, "value", "out-of-range"),
    ]


def test_form_export_group_paths_are_read_as_columns(store: Store, tmp_path: Path) -> None:
    header = [f"arrest/{c}" if c != "arrest_id" else c for c in ARREST_HEADER] + ["_submission_time"]
    rep = load(store, tmp_path, "arrests.csv", [header, arrest() + ["2025-01-10T10:00:00"]])
    assert rep.exit_code == 0 and store.count("arrests") == 1
