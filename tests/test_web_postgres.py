"""The web application on PostgreSQL: its tables, sign-in, figures computed and read back from
the results table, an action list, a handled mark and the audit chain (a small country, so that
the run stays short). Fails, never skips, when the server is down."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jjis.api import import_registers
from jjis.ingest import pseudonym
from jjis.settings import Config
from jjis.store import open_store
from jjis.synth import synthesise
from jjis.web import audit
from jjis.web.app import create_app
from jjis.web.db import ensure_web_tables
from jjis.web.users import add_user

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
CENSUS = date(2025, 12, 31)
SECRET = secrets.token_hex(32)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    import psycopg

    name = f"jjis_web_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = f"{PG_SERVER}/{name}"
    mp = pytest.MonkeyPatch()
    mp.setenv(pseudonym.ENV, SECRET)
    try:
        registers = Path(tmp_path_factory.mktemp("pg-country"))
        synthesise(registers, children=300, seed=3, end_date=CENSUS)
        with open_store(url, create=True) as store:
            assert import_registers(store, [registers], Config(), today=date(2026, 1, 1)).exit_code == 0
            ensure_web_tables(store)
            add_user(store, "ana", "analyst", "analyst-password")
        app = create_app(url, Config(), today=lambda: CENSUS)
        with TestClient(app) as client:
            yield client, url
    finally:
        mp.undo()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_application_on_postgresql(pg_app: tuple[TestClient, str]) -> None:
    client, url = pg_app
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/sign-in", data={"username": "ana", "password": "analyst-password",
                                      "csrf_token": token, "next": "/dashboard"})
    assert r.status_code == 200 and 'id="ind-15"' in r.text and "Exact figures" in r.text
    figures = client.get(f"/api/indicators?census_date={CENSUS}",
                         headers=_bearer(client)).json()
    assert {f["indicator"] for f in figures} == set(range(1, 16))
    with open_store(url) as store:
        run_id = figures[0]["run_id"]
        assert store.count("results") >= len(figures)
        assert store.fetchall("SELECT count(*) FROM results WHERE run_id = ?", [run_id])[0][0] >= len(figures)
        place = store.fetchall("SELECT facility_id FROM facilities WHERE kind = 'remand_centre' "
                               "ORDER BY facility_id LIMIT 1")[0][0]
    listing = client.get(f"/facilities/{place}")
    assert listing.status_code == 200
    items = client.get(f"/api/facilities/{place}/action-list", headers=_bearer(client)).json()["items"]
    assert items
    r = client.post(f"/facilities/{place}/handled", data={
        "stay_id": items[0]["stay_id"], "rule": items[0]["rule"], "note": "done",
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', listing.text).group(1)},  # type: ignore[union-attr]
        follow_redirects=False)
    assert r.status_code == 303
    with open_store(url) as store:
        key = audit.audit_key(bytes.fromhex(SECRET))
        check = audit.verify(store, key)
        assert check.ok and check.entries >= 5, check.message
        assert {e["action"] for e in audit.entries(store)} >= {"sign_in", "token", "action_handled",
                                                               "view_action_list", "export"}


_tokens: dict[int, str] = {}


def _bearer(client: TestClient) -> dict[str, str]:
    if id(client) not in _tokens:
        r = client.post("/api/token", data={"username": "ana", "password": "analyst-password"})
        _tokens[id(client)] = r.json()["access_token"]
    return {"Authorization": f"Bearer {_tokens[id(client)]}"}


def test_remit_refusals_and_pagination_on_postgresql(pg_app: tuple[TestClient, str]) -> None:
    """Issue 9 on PostgreSQL: a district analyst compares only within the district, a denied
    view is audited, an out-of-range offset is 422, and a revoked token is refused."""
    client, url = pg_app
    with open_store(url) as store:
        add_user(store, "corran", "analyst", "corran-password-01", areas=["XA-N-03"])
        add_user(store, "north-rc", "facility", "north-rc-password", facilities=["XA-N-RC"])
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/sign-in", data={"username": "corran", "password": "corran-password-01",
                                      "csrf_token": token, "next": "/indicators/2?area=XA-N-03"})
    assert r.status_code == 200 and "Corran District" in r.text
    assert "Alder District" not in r.text and "Brackwater District" not in r.text
    raw = client.post("/api/token", data={"username": "north-rc", "password": "north-rc-password"}
                      ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/facilities/XA-S-RC/stays", headers=bearer).status_code == 403
    with open_store(url) as store:
        denied = audit.entries(store, action="view_denied", limit=1)
        assert denied and denied[0]["target"] == "XA-S-RC" and denied[0]["actor"] == "north-rc"
    # uploads run as jobs on PostgreSQL too: outside the remit refused, inside imported
    contacts = ("contact_id,child_id,facility_id,contact_date,kind,relation\n"
                "PG-1,pg-child-1,{f},2025-12-01,visit_received,parent\n")
    for facility, status in (("XA-S-RC", "refused"), ("XA-N-RC", "done")):
        sent = client.post("/api/imports", headers=bearer, files={"files": (
            "family_contacts.csv", contacts.format(f=facility).encode(), "text/csv")})
        assert sent.status_code == 202
        job = client.app.state.web.imports.wait(sent.json()["job_id"], 60)  # type: ignore[attr-defined]
        assert job.status == status, job.error
    with open_store(url) as store:
        assert [e["target"] for e in audit.entries(store, action="upload_refused", limit=1)] == [
            "family_contacts.csv"]
        assert store.fetchall("SELECT count(*) FROM family_contacts WHERE contact_id = 'PG-1'")[0][0] == 1
    assert client.post("/api/token/revoke", headers=bearer).json() == {"revoked": 1}
    assert client.get("/api/facilities/XA-N-RC/stays", headers=bearer).status_code == 401


def test_audit_pagination_on_postgresql(pg_app: tuple[TestClient, str]) -> None:
    client, url = pg_app
    with open_store(url) as store:
        if not store.fetchall("SELECT 1 FROM web_users WHERE username = 'root'"):
            add_user(store, "root", "admin", "root-password-0001")
    raw = client.post("/api/token", data={"username": "root", "password": "root-password-0001"}
                      ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/audit?offset=10000000000000000000000", headers=bearer).status_code == 422
    r = client.get("/api/audit?offset=1000000000", headers=bearer)
    assert r.status_code == 200 and r.json()["entries"] == []
