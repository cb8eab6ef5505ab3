"""Refusals are audited (issue 9): uploads refused for remit or role, and denied views of
record-level data (stays, action lists, quarantine); out-of-range audit pagination is 422."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from jjis.web import audit
from test_web_country import (
    IN_FACILITY,
    OUT_FACILITY,
    WebCountry,
    csrf_of,
    imported,
    web,  # noqa: F401  (the module's fixture)
)


def _last(web: WebCountry, action: str) -> dict:  # type: ignore[type-arg]  # noqa: F811
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    found = audit.entries(store, limit=1, action=action)
    assert found, f"no {action} entry"
    return found[0]


def _contacts(facility: str) -> bytes:
    return ("contact_id,child_id,facility_id,contact_date,kind,relation\n"
            f"R-1,refused-child-31,{facility},2025-12-01,visit_received,parent\n").encode()


def test_an_upload_outside_the_remit_is_refused_and_audited(web: WebCountry) -> None:  # noqa: F811
    sent, job = imported(web.client, web.token("facility"), {
        "files": ("family_contacts-south.csv", _contacts(OUT_FACILITY), "text/csv")})
    assert sent == 202 and job["status"] == "refused" and job["status_code"] == 403
    e = _last(web, "upload_refused")
    assert (e["actor"], e["target"]) == ("facility", "family_contacts-south.csv")
    assert e["detail"]["status"] == 403 and OUT_FACILITY in e["detail"]["reason"]
    assert e["detail"]["channel"] == "api"
    # through the page, and by a role that may not upload at all
    page = web.session("inspector")
    token = csrf_of(page.get("/facilities").text)
    r = page.post("/upload", data={"csrf_token": token},
                  files={"files": ("family_contacts.csv", _contacts(IN_FACILITY), "text/csv")})
    assert r.status_code == 403
    e = _last(web, "upload_refused")
    assert (e["actor"], e["detail"]["channel"], e["detail"]["status"]) == ("inspector", "page", 403)
    assert "refused-child-31" not in json.dumps(e)


def test_denied_views_of_records_are_audited(web: WebCountry) -> None:  # noqa: F811
    cases = [  # (user, request, target, view)
        ("analyst", ("api", f"/api/facilities/{OUT_FACILITY}/stays"), OUT_FACILITY, "stays"),
        ("inspector", ("api", f"/api/facilities/{IN_FACILITY}/stays"), IN_FACILITY, "stays"),
        ("facility", ("page", f"/facilities/{OUT_FACILITY}/stays"), OUT_FACILITY, "stays"),
        ("facility", ("page", f"/facilities/{OUT_FACILITY}"), OUT_FACILITY, "action_list"),
        ("analyst", ("api", f"/api/facilities/{OUT_FACILITY}/action-list"), OUT_FACILITY,
         "action_list"),
        ("inspector", ("page", "/quarantine"), "quarantine", "quarantine"),
    ]
    for who, (channel, path), target, view in cases:
        if channel == "api":
            r = web.client.get(path, headers=web.token(who))
        else:
            r = web.session(who).get(path, follow_redirects=False)
        assert r.status_code == 403, (who, path)
        e = _last(web, "view_denied")
        assert (e["actor"], e["target"], e["detail"]["view"], e["detail"]["status"]) == (
            who, target, view, 403), (who, path, e)
    # the anonymous are sent to sign in, and not written to the log (it would let anyone fill it)
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    before = audit.count(store)
    assert web.client.get(f"/api/facilities/{OUT_FACILITY}/stays").status_code == 401
    assert audit.count(store) == before


def test_audit_pagination_out_of_range_is_422(web: WebCountry) -> None:  # noqa: F811
    admin = web.session("admin")
    for query in ("page=-1", "page=10000000000000000000000", "page=x"):
        r = admin.get(f"/audit?{query}")
        assert r.status_code == 422 and "page" in r.text, query
    for query in ("offset=-1", "offset=10000000000000000000000", "limit=0", "limit=1001"):
        r = web.client.get(f"/api/audit?{query}", headers=web.token("admin"))
        assert r.status_code == 422, query
        body = r.json()
        assert body["status"] == 422 and body["error"].split(":")[0] in ("offset", "limit"), body
    # the largest allowed offset is simply past the end
    r = web.client.get("/api/audit?offset=1000000000", headers=web.token("admin"))
    assert r.status_code == 200 and r.json()["entries"] == []
    assert admin.get("/audit?page=1000000").status_code == 200
    assert admin.get("/quarantine?page=-1").status_code == 422


def test_uploads_are_imported_off_the_request_path(web: WebCountry,  # noqa: F811
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A large upload is answered at once (202, queued or running), and the public dashboard
    answers while its import is running; a second upload waits for the first. The import is
    held in the middle (the files read and checked, the import lock taken) until the dashboard
    has answered three times, so that "while" does not depend on the machine's speed."""
    from jjis.web import imports

    running, release = threading.Event(), threading.Event()
    real = imports.import_registers

    def held(*args: Any, **kwargs: Any) -> Any:
        running.set()
        assert release.wait(120), "the test never let the import go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "import_registers", held)
    rows = "".join(f"B-{i},bulk-child-{i % 997},{IN_FACILITY},2025-11-{1 + i % 28:02d},"
                   "visit_received,parent\n" for i in range(40_000))
    big = ("contact_id,child_id,facility_id,contact_date,kind,relation\n" + rows).encode()
    queue = web.app.state.web.imports  # type: ignore[attr-defined]
    headers = web.token("admin")
    try:
        first = web.client.post("/api/imports", headers=headers,
                                files={"files": ("family_contacts-bulk.csv", big, "text/csv")})
        second = web.client.post("/api/imports", headers=headers, files={
            "files": ("family_contacts.csv", _contacts(IN_FACILITY), "text/csv")})
        assert first.status_code == second.status_code == 202
        assert first.json()["status"] in ("queued", "running") and second.json()["status"] == "queued"
        assert running.wait(120), "the first upload's import never started"
        public = web.session("anonymous")
        for _ in range(3):  # the pages answer while the import runs
            assert public.get("/dashboard").status_code == 200
            assert queue.get(first.json()["job_id"]).status == "running"
            assert queue.get(second.json()["job_id"]).status == "queued"  # one import at a time
    finally:
        release.set()
    job = queue.wait(first.json()["job_id"], 120)
    assert job.status == "done" and job.report["tables"]["family_contacts"]["accepted"] == 40_000
    later = queue.wait(second.json()["job_id"], 60)
    assert later.status == "done" and later.ended >= job.ended  # one import at a time
