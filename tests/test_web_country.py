"""The synthetic country every web test runs on, and the pages each role can open.

`country()` builds it once per test session (1,500 children, seed 1, ending 2025-12-31; users
of every role; the figures of 2025-12-31 released, so the public finds them published, and
computed through the application for the signed-in). The module-scoped fixture `web` gives
each test module its own copy of the database and an in-process HTTPX client on a fresh application.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jjis.api import import_registers, init_database
from jjis.release import make_release
from jjis.settings import Config
from jjis.store import open_store
from jjis.synth import synthesise
from jjis.web.app import create_app
from jjis.web.db import ensure_web_tables
from jjis.web.users import add_user

CENSUS = date(2025, 12, 31)
IN_FACILITY, OUT_FACILITY = "XA-N-RC", "XA-S-RC"  # remand centres of the north and the south
IN_AREA, OUT_AREA = "XA-N", "XA-S"
# name -> (role, areas, facilities)
USERS: dict[str, tuple[str, list[str], list[str]]] = {
    "admin": ("admin", [], []),
    "analyst": ("analyst", [IN_AREA], []),
    "national": ("analyst", [], []),
    "facility": ("facility", [], [IN_FACILITY]),
    "inspector": ("inspector", [IN_AREA], []),
}
ROLES = ("anonymous", *USERS)


def password(name: str) -> str:
    return f"{name}-password-0001"


@cache
def country() -> Path:
    """The base copy: registers imported, users added, figures of CENSUS computed."""
    base = Path(tempfile.mkdtemp(prefix="jjis-web-country-"))
    atexit.register(shutil.rmtree, base, True)
    synthesise(base / "registers", children=1500, seed=1, end_date=CENSUS)
    db = str(base / "jjis.duckdb")
    init_database(db)
    with open_store(db) as store:
        report = import_registers(store, [base / "registers"], Config(), today=date(2026, 1, 1))
        assert report.exit_code == 0
        ensure_web_tables(store)
        for name, (role, areas, facilities) in USERS.items():
            add_user(store, name, role, password(name), areas=areas, facilities=facilities)
        # the public reads releases only: release the census date (docs/release.md)
        make_release(store, Config(), CENSUS, note="web tests", today=date(2026, 1, 1))
    app = create_app(db, Config(), today=lambda: CENSUS)
    web = app.state.web
    web.results.run_id(web.db.store(), CENSUS, (), may_compute=True)
    web.db.close()
    return base


@dataclass
class WebCountry:
    root: Path
    db: str
    app: object
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, name: str) -> dict[str, str]:
        """Authorization headers of a user (none for the anonymous)."""
        if name == "anonymous":
            return {}
        if name not in self.tokens:
            r = self.client.post("/api/token", data={"username": name, "password": password(name)})
            assert r.status_code == 200, r.text
            self.tokens[name] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def session(self, name: str) -> TestClient:
        """A new client signed in through the sign-in page (anonymous: not signed in)."""
        c = TestClient(self.app, base_url="http://testserver")  # type: ignore[arg-type]
        if name != "anonymous":
            sign_in(c, name, password(name))
        return c


def imported(client: TestClient, headers: dict[str, str], files: dict[str, object],
             ) -> tuple[int, dict[str, object]]:
    """POST /api/imports, then poll the job until it ends: (the POST's status, the job)."""
    import time

    r = client.post("/api/imports", headers=headers, files=files)  # type: ignore[arg-type]
    if r.status_code != 202:
        return r.status_code, r.json()
    url = r.headers["location"]
    for _ in range(1200):
        job = client.get(url, headers=headers).json()
        if job["status"] not in ("queued", "running"):
            return r.status_code, job
        time.sleep(0.05)
    raise AssertionError(f"the import job {url} did not end within a minute")


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no CSRF token"
    return m.group(1)


def sign_in(client: TestClient, name: str, pw: str) -> None:
    page = client.get("/sign-in")
    r = client.post("/sign-in", data={"username": name, "password": pw, "next": "/dashboard",
                                      "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text


def copy_country(target: Path) -> str:
    base = country()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("jjis.duckdb", "jjis.key"):
        shutil.copy2(base / name, target / name)
    (target / "jjis.key").chmod(0o600)
    return str(target / "jjis.duckdb")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebCountry]:
    root = tmp_path_factory.mktemp("web")
    db = copy_country(root)
    app = create_app(db, Config(), today=lambda: CENSUS)
    with TestClient(app) as client:
        yield WebCountry(root, db, app, client)


# --- pages each role can open ---------------------------------------------------------------

PAGES = ["/dashboard", "/indicators/2", "/indicators/14", f"/facilities/{IN_FACILITY}",
         f"/facilities/{IN_FACILITY}/stays", "/facilities", "/actions", "/actions.csv", "/upload",
         "/quarantine", "/quarantine/family_contacts.csv",
         "/admin/users", "/audit", "/sign-in"]
# role -> pages it cannot open (403); the anonymous are sent to sign in instead
REFUSED = {
    "admin": set(),
    "analyst": {"/admin/users", "/audit"},
    "national": {"/admin/users", "/audit"},
    "facility": {"/admin/users", "/audit"},
    "inspector": {"/admin/users", "/audit", "/upload", "/quarantine", "/quarantine/family_contacts.csv",
                  f"/facilities/{IN_FACILITY}/stays"},
}
PUBLIC = {"/dashboard", "/indicators/2", "/indicators/14", "/sign-in"}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens_or_refuses_as_the_role_allows(web: WebCountry, role: str) -> None:
    c = web.session(role)
    for page in PAGES:
        r = c.get(page, follow_redirects=False)
        if role == "anonymous":
            expected = 200 if page in PUBLIC else 303
        elif page == "/sign-in" or (role == "facility" and page == "/facilities"):
            expected = 303  # already signed in; a user of one facility goes straight to it
        else:
            expected = 403 if page in REFUSED[role] else 200
        assert r.status_code == expected, (role, page, r.status_code, r.text[:300])
        if r.status_code == 303 and role == "anonymous":
            assert r.headers["location"].startswith("/sign-in?next=")


def test_the_dashboard_shows_all_fifteen_indicators_from_the_results_table(web: WebCountry) -> None:
    from jjis.publish import load_results
    from jjis.web.present import shown

    c = web.session("admin")
    html = c.get("/dashboard").text
    for i in range(1, 16):
        assert f'id="ind-{i}"' in html
    run_id = re.search(r"run <code>([0-9a-f]{8})</code>", html)
    assert run_id
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    (full,) = [r[0] for r in store.fetchall("SELECT run_id FROM web_runs")
               if r[0].startswith(run_id.group(1))]
    figures = load_results(store, full)
    head = next(f for f in figures if f.indicator == 2 and f.statistic == "rate"
                and f.area == "XA" and not f.breakdown)
    assert shown(head) in html  # the card's value is the stored figure


def test_the_public_sees_published_figures_and_no_record_level_links(web: WebCountry) -> None:
    html = web.session("anonymous").get("/dashboard").text
    assert "Published figures" in html and "Exact figures" not in html
    assert "/stays" not in html and "Sign in" in html


def test_pages_carry_no_inline_script_or_style(web: WebCountry) -> None:
    c = web.session("admin")
    for page in ("/dashboard", "/indicators/3", f"/facilities/{IN_FACILITY}", "/upload",
                 "/admin/users", "/audit"):
        html = c.get(page).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
        assert " style=" not in html and "<style" not in html, page
        assert " onclick=" not in html and "javascript:" not in html, page


def test_french_pages(web: WebCountry) -> None:
    c = web.session("anonymous")
    html = c.get("/dashboard?lang=fr").text
    assert "Tableau de bord" in html and "Enfants en détention" in html
    assert "Tableau de bord" in c.get("/dashboard").text  # remembered in a cookie
