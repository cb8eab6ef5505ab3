"""The audit log: what is written, that it holds no child's data, and that tampering is found
(by the application, by `jjis audit verify`, on DuckDB and PostgreSQL)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from jjis.store import Store
from jjis.web import audit
from jjis.web.db import ensure_web_tables
from jjis.web.security import NoQueryStrings
from test_web_country import (
    IN_FACILITY,
    WebCountry,
    csrf_of,
    web,  # noqa: F401  (the module's fixture)
)

KEY = b"k" * 32


def _walk_through(web: WebCountry) -> None:  # noqa: F811
    c = web.session("admin")  # sign_in
    web.client.post("/api/token", data={"username": "admin", "password": "wrong"})  # sign_in_failed
    web.client.post("/api/token", data={"username": "Pa55word-typed-as-name", "password": "x"})
    web.token("facility")  # token
    c.get("/export.csv")  # export
    c.get(f"/facilities/{IN_FACILITY}/stays")  # view_records
    page = c.get(f"/facilities/{IN_FACILITY}")  # view_action_list
    item = web.client.get(f"/api/facilities/{IN_FACILITY}/action-list",
                          headers=web.token("admin")).json()["items"][0]
    c.post(f"/facilities/{IN_FACILITY}/handled", data={  # action_handled
        "stay_id": item["stay_id"], "rule": item["rule"], "note": "called the court",
        "csrf_token": csrf_of(page.text)})
    upload = c.get("/upload")
    sent = c.post("/upload", data={"csrf_token": csrf_of(upload.text)}, follow_redirects=False, files={
        "files": ("family_contacts.csv", b"contact_id,child_id,facility_id,contact_date,kind,relation\n"
                  b"A-1,audit-child-77,XA-N-RC,2025-12-02,visit_received,parent\n", "text/csv")})
    job_id = sent.headers["location"].rsplit("/", 1)[1]
    assert web.app.state.web.imports.wait(job_id, 60).status == "done"  # type: ignore[attr-defined]
    assert "Every row was accepted" in c.get(sent.headers["location"]).text  # upload
    users = c.get("/admin/users")
    c.post("/admin/users", data={"username": "newcomer", "role": "inspector",
                                 "password": "a newcomer passphrase",
                                 "facilities": IN_FACILITY, "csrf_token": csrf_of(users.text)})


def test_actions_are_audited_without_any_childs_data(web: WebCountry, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    caplog.set_level(logging.DEBUG)
    _walk_through(web)
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    actions = {e["action"] for e in audit.entries(store, limit=1000)}
    assert {"sign_in", "sign_in_failed", "token", "export", "view_records", "view_action_list",
            "action_handled", "upload", "user_added"} <= actions
    handled = audit.entries(store, action="action_handled")[0]
    assert handled["target"] == IN_FACILITY and set(handled["detail"]) == {"stay_id", "rule"}
    upload = audit.entries(store, action="upload")[0]
    assert upload["detail"]["tables"] == {"family_contacts": {"accepted": 1, "rejected": 0}}
    text = json.dumps(audit.entries(store, limit=1000)) + caplog.text
    children = {form for (u,) in store.fetchall("SELECT child_id FROM detentions")
                for form in (str(u), u.hex)}
    births = {str(r[0]) for r in store.fetchall(
        "SELECT DISTINCT date_of_birth FROM detentions WHERE date_of_birth IS NOT NULL")}
    assert not any(c in text for c in children)
    assert not any(b in text for b in births)
    assert "audit-child-77" not in text and "called the court" not in text
    assert "Pa55word-typed-as-name" not in text  # an unknown user name is not recorded
    failed = audit.entries(store, action="sign_in_failed")
    assert {(e["target"], e["detail"]["known_user"]) for e in failed} == {("admin", True), ("", False)}
    assert audit.verify(store, web.app.state.web.keys.audit).ok  # type: ignore[attr-defined]


def test_the_audit_api_and_page_report_the_chain(web: WebCountry) -> None:  # noqa: F811
    body = web.client.get("/api/audit?limit=5", headers=web.token("admin")).json()
    assert body["intact"] and len(body["entries"]) == 5
    assert body["entries"][0]["seq"] > body["entries"][1]["seq"]
    assert "chain is intact" in web.session("admin").get("/audit").text


def test_an_unexpected_error_is_answered_and_logged_without_its_message(web: WebCountry, caplog,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                       monkeypatch) -> None:
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("stay S-1 of child 2009-04-01")

    monkeypatch.setattr(web.app.state.web.results, "release", boom)  # type: ignore[attr-defined]  # the public reads releases
    caplog.set_level(logging.INFO)
    r = web.client.get("/api/indicators?census_date=2025-12-31")
    assert r.status_code == 500 and r.json()["status"] == 500
    assert r.headers["x-frame-options"] == "DENY"
    page = web.session("anonymous").get("/dashboard?census_date=2025-12-31")
    assert page.status_code == 500 and "something went wrong" in page.text
    assert "ValueError" in caplog.text and "2009-04-01" not in caplog.text


def test_tampering_is_detected_by_the_app_and_by_jjis_audit_verify(web: WebCountry) -> None:  # noqa: F811
    """Last in the module: it stops the application, so that the command can open the file."""
    state = web.app.state.web  # type: ignore[attr-defined]
    store = state.db.store()
    n = audit.count(store)
    assert n > 10
    store.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3")
    result = audit.verify(store, state.keys.audit)
    assert not result.ok and result.first_bad == 3 and "changed" in result.message
    r = web.client.get("/api/audit", headers=web.token("admin")).json()
    assert r["intact"] is False and "entry 3" in r["message"]
    assert "entry 3" in web.session("admin").get("/audit").text
    web.client.close()
    state.db.close()  # the DuckDB file has one writer: let the command open it
    jjis = str(Path(sys.executable).parent / "jjis")
    run = subprocess.run([jjis, "audit", "verify", "--db", web.db],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "entry 3" in run.stderr, run.stderr


def test_chain_on_both_engines(store: Store) -> None:
    ensure_web_tables(store)
    store.execute("DELETE FROM audit_log")
    for i in range(5):
        audit.append(store, KEY, "alice", "view_records", f"F{i}", {"rows": i})
    assert audit.verify(store, KEY).ok and audit.count(store) == 5
    # deleting an entry in the middle breaks the chain at the next one
    store.execute("DELETE FROM audit_log WHERE seq = 3")
    bad = audit.verify(store, KEY)
    assert not bad.ok and bad.first_bad == 4
    store.execute("DELETE FROM audit_log")
    for i in range(3):
        audit.append(store, KEY, "alice", "export", "XA", {"n": i})
    # rewriting an entry and re-hashing it without the key is found
    import hashlib
    store.execute("UPDATE audit_log SET detail = '{\"n\":9}', hash = ? WHERE seq = 2",
                  [hashlib.sha256(b"forged").hexdigest()])
    assert audit.verify(store, KEY).first_bad == 2
    # the key matters: the same chain under another key does not verify
    store.execute("DELETE FROM audit_log")
    audit.append(store, KEY, "alice", "export", "XA")
    assert not audit.verify(store, b"x" * 32).ok
    store.execute("DELETE FROM audit_log")


def test_access_log_lines_lose_their_query_strings() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/facilities/F1?as_of=2025-01-01", "1.1", 200), None)
    NoQueryStrings().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /facilities/F1 HTTP/1.1" 200'

