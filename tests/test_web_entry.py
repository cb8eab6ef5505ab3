"""The Forms page and web data entry, in process, on the synthetic country: who may download and
record for which facility, each kind of record, a rejected value shown beside its field (the
import's own rules), a stay opened to add its release, and every save in the audit log."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook

from jjis.forms.lists import FACILITY_REGISTERS
from jjis.ingest import pseudonym
from test_web_country import IN_FACILITY, OUT_FACILITY, WebCountry, csrf_of, web  # noqa: F401


def _store(w: WebCountry):  # type: ignore[no-untyped-def]
    return w.app.state.web.db.store()  # type: ignore[attr-defined]


def _audit(w: WebCountry, action: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in _store(w).fetchall(
        "SELECT actor, target FROM audit_log WHERE action = ? ORDER BY seq", [action])]


def test_forms_page_lists_and_downloads_only_facilities_in_remit(web: WebCountry) -> None:  # noqa: F811
    c = web.session("facility")
    page = c.get("/forms")
    assert page.status_code == 200 and f"/forms/{IN_FACILITY}" in page.text
    assert OUT_FACILITY not in page.text
    files = c.get(f"/forms/{IN_FACILITY}?lang=fr")
    assert "Classeur de saisie" in files.text
    r = c.get(f"/forms/{IN_FACILITY}/fr/workbook/registers.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(r.content))
    assert [s for s in wb.sheetnames if s not in ("Instructions", "Lists")] == list(FACILITY_REGISTERS)
    lists = {str(cell.value) for row in wb["Lists"].iter_rows() for cell in row if cell.value}
    assert IN_FACILITY in lists and OUT_FACILITY not in lists  # the facility's own dropdown
    form = c.get(f"/forms/{IN_FACILITY}/en/xlsform/detentions.xlsx")
    assert form.status_code == 200 and "survey" in load_workbook(io.BytesIO(form.content)).sheetnames
    assert c.get(f"/forms/{OUT_FACILITY}/en/workbook/registers.xlsx").status_code == 403
    assert c.get(f"/forms/{IN_FACILITY}/en/workbook/other.xlsx").status_code == 404
    assert ("facility", IN_FACILITY) in _audit(web, "download_form")
    inspector = web.session("inspector")
    assert inspector.get("/forms").status_code == 403
    analyst = web.session("analyst")  # the north: in remit, the south is not
    assert analyst.get(f"/forms/{IN_FACILITY}/en/workbook/registers.xlsx").status_code == 200
    assert analyst.get(f"/forms/{OUT_FACILITY}").status_code == 403


def _post(c, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(c.get(path).text)
    return c.post(path, data={"csrf_token": token, **data})


def _field_error(page: str, column: str) -> str:
    m = re.search(rf'id="e-{column}" class="field-error">(.*?)</p>', page, re.S)
    return html.unescape(m.group(1)) if m else ""


def test_an_admission_its_release_a_contact_and_an_inspection(web: WebCountry) -> None:  # noqa: F811
    c = web.session("facility")
    path = f"/entry/{IN_FACILITY}/detentions"
    quarantined = _store(web).count("quarantine")
    bad = _post(c, path, {"stay_id": "WEB-1", "child_id": "WEB-CHILD-1", "sex": "f",
                          "date_of_birth": "2010-04-02", "admission_date": "2025-11-20",
                          "status_at_admission": "pre_sentence", "release_date": "2025-11-01",
                          "release_reason": "transfer"})
    assert bad.status_code == 422
    assert "release_date is 2025-11-01, before admission_date" in _field_error(bad.text, "release_date")
    assert _store(web).fetchall("SELECT count(*) FROM detentions WHERE stay_id = 'WEB-1'") == [(0,)]
    assert _store(web).count("quarantine") == quarantined  # a rejected entry is shown, not kept
    ok = _post(c, path, {"stay_id": "WEB-1", "child_id": "WEB-CHILD-1", "sex": "f",
                         "date_of_birth": "2010-04-02", "admission_date": "2025-11-20",
                         "status_at_admission": "pre_sentence", "wholly_separated": "yes"})
    assert ok.status_code == 200 and 'id="saved"' in ok.text, ok.text
    key = pseudonym.load_key(web.db)
    child = pseudonym.pseudonym(key, "WEB-CHILD-1")
    got = _store(web).fetchall("SELECT child_id, release_date FROM detentions WHERE stay_id = 'WEB-1'")
    assert [(str(got[0][0]), got[0][1])] == [(str(child), None)]  # pseudonymised as import does
    again = _post(c, path, {"stay_id": "WEB-1", "child_id": "OTHER", "sex": "m",
                            "admission_date": "2025-11-21", "status_at_admission": "sentenced"})
    assert again.status_code == 422 and "already recorded" in _field_error(again.text, "stay_id")

    # the stay, opened again, gets its sentence date and its release (a death, with its cause)
    home = c.get(f"/entry/{IN_FACILITY}")
    assert "stay_id=WEB-1" in home.text
    edit = c.get(f"{path}?stay_id=WEB-1")
    assert pseudonym.shown(child) in edit.text  # the child stays linked: the pseudonym is kept
    values = dict(re.findall(r'name="(\w+)" type="\w+" value="([^"]*)"', edit.text))
    values.update({"sex": "f", "status_at_admission": "pre_sentence", "editing": "WEB-1",
                   "sentence_date": "2025-12-01", "release_date": "2025-12-10",
                   "release_reason": "death", "death_cause": "suicide", "aftercare": "no"})
    values.pop("csrf_token", None)
    wrong = _post(c, f"{path}?stay_id=WEB-1", {**values, "death_cause": "old age"})
    assert wrong.status_code == 422 and _field_error(wrong.text, "release_reason") == ""
    assert "'old age'" in _field_error(wrong.text, "death_cause")  # the import's invalid-code
    done = _post(c, f"{path}?stay_id=WEB-1", values)
    assert done.status_code == 200 and 'id="saved"' in done.text, done.text
    row = _store(web).fetchall("SELECT child_id, release_reason, death_cause, aftercare, "
                               "CAST(sentence_date AS VARCHAR) FROM detentions WHERE stay_id = 'WEB-1'")
    assert [(str(row[0][0]), *row[0][1:])] == [(str(child), "death", "suicide", False, "2025-12-01")]

    contact = _post(c, f"/entry/{IN_FACILITY}/family_contacts", {
        "contact_id": "WEB-C1", "child_id": "WEB-CHILD-1", "contact_date": "2025-11-25",
        "kind": "visit_received", "relation": "parent"})
    assert 'id="saved"' in contact.text, contact.text
    linked = _store(web).fetchall("SELECT count(*) FROM family_contacts f JOIN detentions d USING "
                                  "(child_id) WHERE f.contact_id = 'WEB-C1' AND d.stay_id = 'WEB-1'")
    assert linked == [(1,)]
    visit = _post(c, f"/entry/{IN_FACILITY}/inspections", {
        "inspection_id": "WEB-I1", "inspection_date": "2025-12-02", "body": "Ombudsman",
        "independent": "yes"})
    assert 'id="saved"' in visit.text, visit.text
    saves = [t for a, t in _audit(web, "record_entry") if a == "facility"]
    assert saves.count(IN_FACILITY) == 4


def test_an_arrest_needs_a_police_station_and_remit_and_csrf_hold(web: WebCountry) -> None:  # noqa: F811
    c = web.session("facility")
    arrest = {"arrest_id": "WEB-A1", "child_id": "WEB-CHILD-2", "sex": "m",
              "arrest_date": "2025-10-01", "outcome": "charged"}
    refused = _post(c, f"/entry/{IN_FACILITY}/arrests", arrest)
    assert refused.status_code == 422  # a remand centre does not arrest: the import's rule
    assert "police_station" in refused.text and "XA-N-RC" in refused.text
    assert c.get(f"/entry/{OUT_FACILITY}/arrests").status_code == 403
    token = csrf_of(c.get(f"/entry/{IN_FACILITY}/arrests").text)
    assert c.post(f"/entry/{OUT_FACILITY}/arrests", data={"csrf_token": token, **arrest}
                  ).status_code == 403
    assert c.post(f"/entry/{IN_FACILITY}/arrests", data=arrest).status_code == 403  # no token
    forged = {"csrf_token": "0" * 64, **arrest}
    assert c.post(f"/entry/{IN_FACILITY}/arrests", data=forged).status_code == 403
    analyst = web.session("analyst")
    station = _store(web).fetchall(
        "SELECT f.facility_id FROM facilities f WHERE f.kind = 'police_station' AND "
        "f.area_id LIKE 'XA-N%' ORDER BY 1 LIMIT 1")[0][0]
    ok = _post(analyst, f"/entry/{station}/arrests", arrest)
    assert 'id="saved"' in ok.text, ok.text
    assert _store(web).fetchall("SELECT facility_id FROM arrests WHERE arrest_id = 'WEB-A1'") == \
        [(station,)]


@pytest.mark.parametrize("lang,label", [("fr", "Motif de libération"), ("en", "Release reason")])
def test_entry_form_labels_in_both_languages(web: WebCountry, lang: str, label: str) -> None:  # noqa: F811
    c = web.session("facility")
    assert label in c.get(f"/entry/{IN_FACILITY}/detentions?lang={lang}").text


def test_entry_cannot_reach_another_facility_or_overwrite_its_records(web: WebCountry) -> None:  # noqa: F811
    store = _store(web)
    theirs = store.fetchall("SELECT inspection_id, CAST(inspection_date AS VARCHAR) FROM "
                            "inspections WHERE facility_id = ? LIMIT 1", [OUT_FACILITY])
    c = web.session("facility")
    assert theirs, "the synthetic country inspects the south's remand centre"
    # an inspection of the south, by its id: refused, not replaced
    r = _post(c, f"/entry/{IN_FACILITY}/inspections", {
        "inspection_id": theirs[0][0], "inspection_date": "2025-12-03", "independent": "no"})
    assert r.status_code == 422 and "already recorded" in _field_error(r.text, "inspection_id")
    assert store.fetchall("SELECT facility_id, CAST(inspection_date AS VARCHAR) FROM "
                          "inspections WHERE inspection_id = ?", [theirs[0][0]]) == \
        [(OUT_FACILITY, theirs[0][1])]
    # a facility_id smuggled into the form is ignored: the page's facility is the record's
    r = _post(c, f"/entry/{IN_FACILITY}/inspections", {
        "inspection_id": "WEB-I-SMUGGLED", "facility_id": OUT_FACILITY,
        "inspection_date": "2025-12-03", "independent": "no"})
    assert 'id="saved"' in r.text, r.text
    assert store.fetchall("SELECT facility_id FROM inspections WHERE inspection_id = "
                          "'WEB-I-SMUGGLED'") == [(IN_FACILITY,)]
    # a stay of another facility cannot be opened through one's own
    south = store.fetchall("SELECT stay_id FROM detentions WHERE facility_id = ? LIMIT 1",
                           [OUT_FACILITY])[0][0]
    assert c.get(f"/entry/{IN_FACILITY}/detentions?stay_id={south}").status_code == 404
    assert c.get(f"/entry/{IN_FACILITY}/policy").status_code == 404  # not a facility's register
