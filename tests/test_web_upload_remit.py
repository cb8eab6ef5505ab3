"""Uploads and the quarantine on the web (issue 14): a multi-file upload refuses only the files
outside the sender's remit (each named, with why) and imports the others; the same bad file
sent twice keeps one copy of each rejected row; the rejected rows download as a CSV ready to
fix (cells neutral), which, corrected and sent again, empties the quarantine."""

from __future__ import annotations

import csv
import io
from typing import Any

from jjis.web.access import Scope
from jjis.web.uploads import remit_columns, rows_in_remit
from jjis.web.users import User
from test_web_country import (
    IN_FACILITY,
    OUT_FACILITY,
    WebCountry,
    imported,
    web,  # noqa: F401  (the module's fixture)
)

HEADER = "contact_id,child_id,facility_id,contact_date,kind,relation\n"
GOOD = f"T-GOOD,web-child-1,{IN_FACILITY},2025-12-01,visit_received,parent\n"
BAD = f"T-BAD,web-child-2,{IN_FACILITY},2025-12-02,teleport,=1+1\n"  # no such kind
SOUTH = f"T-SOUTH,web-child-3,{OUT_FACILITY},2025-12-03,visit_received,parent\n"


def _waiting(web: WebCountry, contact_id: str) -> int:  # noqa: F811
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    return int(store.fetchall("SELECT count(*) FROM quarantine WHERE resolved_by IS NULL AND "
                              "raw_json LIKE ?", [f'%"{contact_id}"%'])[0][0])


def test_remit_columns_come_from_the_schema() -> None:
    assert remit_columns("detentions") == {"facility_id": "facilities"}
    assert remit_columns("aggregate_returns") == {"facility_id": "facilities", "area_id": "areas"}
    assert remit_columns("areas") == {"parent_id": "areas"}  # a reference table: national only


def test_a_row_is_in_remit_only_if_every_remit_column_is(web: WebCountry) -> None:  # noqa: F811
    geo = web.app.state.web.geo(web.app.state.web.db.store())  # type: ignore[attr-defined]
    scope = Scope(User("a", "analyst", ("XA-N",), (), True), geo)
    rows = [{"table": "aggregate_returns", "raw": f'{{"facility_id": "{IN_FACILITY}", "area_id": "XA-S"}}'},
            {"table": "aggregate_returns", "raw": '{"area_id": "XA-N"}'},
            {"table": "aggregate_returns", "raw": '{"area_id": "XA-S"}'},
            {"table": "aggregate_returns", "raw": "{}"},
            {"table": "areas", "raw": '{"area_id": "XA-N"}'}]
    assert rows_in_remit(scope, rows) == [rows[1]]


def test_multi_file_upload_twice_then_fix_from_the_downloaded_quarantine(web: WebCountry) -> None:  # noqa: F811
    h = web.token("facility")
    files = [("files", ("family_contacts.csv", (HEADER + GOOD + BAD).encode(), "text/csv")),
             ("files", ("family_contacts-south.csv", (HEADER + SOUTH).encode(), "text/csv"))]
    sent, answer = imported(web.client, h, files)  # type: ignore[arg-type]
    job: Any = answer
    assert sent == 202 and job["status"] == "done" and job["status_code"] == 200, job
    (refused,) = job["refused_files"]
    assert refused["file"] == "family_contacts-south.csv"
    assert "family_contacts-south.csv" in refused["reason"] and OUT_FACILITY in refused["reason"]
    assert job["report"]["tables"]["family_contacts"] == {**job["report"]["tables"]["family_contacts"],
                                                         "accepted": 1, "rejected": 1}
    page = web.session("facility").get(f"/upload/{job['job_id']}").text
    assert "family_contacts-south.csv" in page and "The other files were imported." in page
    assert _waiting(web, "T-BAD") == 1 and _waiting(web, "T-SOUTH") == 0

    # the same bad file again (through the page this time): still one copy of the rejected row
    c = web.session("facility")
    from test_web_country import csrf_of
    token = csrf_of(c.get("/upload").text)
    r = c.post("/upload", data={"csrf_token": token}, follow_redirects=False,
               files={"files": ("family_contacts.csv", (HEADER + GOOD + BAD).encode(), "text/csv")})
    assert r.status_code == 303
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert web.app.state.web.imports.wait(job_id, 60).status == "done"  # type: ignore[attr-defined]
    assert _waiting(web, "T-BAD") == 1

    # download the rows to fix: the register's columns, cells neutral, nothing outside the remit
    got = c.get("/quarantine/family_contacts.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    mine = [row for row in rows if row["contact_id"] == "T-BAD"]
    assert len(mine) == 1 and mine[0]["relation"] == "'=1+1" and mine[0]["kind"] == "teleport"
    assert "teleport" in mine[0]["_errors"] and OUT_FACILITY not in got.text
    assert web.session("inspector").get("/quarantine/family_contacts.csv").status_code == 403
    assert c.get("/quarantine/no_such_register.csv").status_code == 404
    assert 'href="/quarantine/family_contacts.csv"' in c.get("/quarantine").text

    # fixed and sent back as downloaded: the row leaves the quarantine
    fixed = got.text.replace("teleport", "visit_received").replace("'=1+1", "parent")
    sent, job = imported(web.client, h, {"files": ("family_contacts.csv", fixed.encode(), "text/csv")})
    job = dict(job)
    assert job["status"] == "done" and job["report"]["exit_code"] == 0, job
    assert _waiting(web, "T-BAD") == 0


def test_a_refusal_is_said_again_in_french() -> None:
    """A refusal keeps its English sentence (the job's JSON, the audit log) and its template and
    fields, which the upload page says in the page's language."""
    from jjis.reports.formatting import Lang
    from jjis.web.uploads import Sentence

    said = Sentence("{file} names the area {value} ({column}), outside your remit; this file "
                    "was not imported", file="b.csv", value="XA-S", column="area_id")
    assert said == ("b.csv names the area XA-S (area_id), outside your remit; this file was not "
                    "imported")
    french = Lang("fr")._(said.template, **said.fields)
    assert french == ("b.csv nomme la zone XA-S (area_id), hors de votre périmètre ; ce fichier "
                      "n'a pas été importé")
