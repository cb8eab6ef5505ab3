"""One-time codes (TOTP, pyotp) at sign-in (issue 9): enrolment, the code at sign-in on the page
and the API, a code seen once is refused the second time, and `web.require_totp` for admins
and analysts. Codes are made here with pyotp from the enrolment's otpauth:// address, as an
authenticator app would."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pyotp
from fastapi.testclient import TestClient

from jjis.settings import Config
from jjis.store import Store
from jjis.web import totp
from jjis.web.app import create_app
from jjis.web.db import ensure_web_tables
from jjis.web.users import add_user
from test_web_country import CENSUS, WebCountry, copy_country, csrf_of, password, web  # noqa: F401

KEY = b"t" * 32


def _sign_in(client: TestClient, name: str, code: str = "") -> tuple[int, str]:
    page = client.get("/sign-in")
    r = client.post("/sign-in", data={"username": name, "password": password(name), "code": code,
                                      "next": "/dashboard", "csrf_token": csrf_of(page.text)},
                    follow_redirects=False)
    return r.status_code, r.text


def test_enrolment_codes_and_replay(store: Store) -> None:
    ensure_web_tables(store)
    store.execute("DELETE FROM web_users")
    add_user(store, "amina", "analyst", "correct horse battery 9")
    uri = totp.enrol(store, KEY, "amina")
    otp = pyotp.parse_uri(uri)
    assert uri.startswith("otpauth://totp/jjis:amina?") and "issuer=jjis" in uri
    (sealed,), = store.fetchall("SELECT totp_secret FROM web_users")
    assert otp.secret not in str(sealed)  # kept sealed under the deployment's key
    now = time.time()
    code = otp.at(now)
    assert totp.check(store, KEY, "amina", code, now=now)
    assert not totp.check(store, KEY, "amina", code, now=now)  # the same code again: refused
    assert totp.check(store, KEY, "amina", otp.at(now + 30), now=now + 30)  # the next one
    assert not totp.check(store, KEY, "amina", otp.at(now), now=now + 30)  # an older one
    assert not totp.check(store, KEY, "amina", "000000" if code != "000000" else "111111", now=now + 60)
    assert not totp.check(store, b"x" * 32, "amina", otp.at(now + 90), now=now + 90)  # wrong key
    totp.remove(store, "amina")
    assert not totp.enrolled(store, "amina")


def test_an_enrolled_user_needs_the_code_once(web: WebCountry) -> None:  # noqa: F811
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    otp = pyotp.parse_uri(totp.enrol(store, web.app.state.web.keys.totp, "national"))  # type: ignore[attr-defined]
    c = web.session("anonymous")
    status, text = _sign_in(c, "national")
    assert status == 401 and "one-time code" in text
    code = otp.now()
    assert _sign_in(c, "national", code)[0] == 303
    assert c.get("/admin/users", follow_redirects=False).status_code == 403  # signed in as national
    other = web.session("anonymous")
    assert _sign_in(other, "national", code)[0] == 401  # replayed
    r = web.client.post("/api/token", data={"username": "national", "password": password("national")})
    assert r.status_code == 401 and "one-time code" in r.json()["error"]
    r = web.client.post("/api/token", data={"username": "national", "password": password("national"),
                                            "code": otp.at(time.time() + 30)})
    assert r.status_code == 200  # the next step's code (clocks drift by one step either way)
    web.app.state.web.limiter = type(web.app.state.web.limiter)()  # type: ignore[attr-defined]


def test_required_for_admins_and_analysts(tmp_path: Path) -> None:
    app = create_app(copy_country(tmp_path), Config({"web.require_totp": True}), today=lambda: CENSUS)
    with TestClient(app) as client:
        status, text = _sign_in(client, "admin")
        assert status == 401 and "jjis user totp" in text
        assert _sign_in(client, "analyst")[0] == 401
        assert _sign_in(TestClient(app), "facility")[0] == 303  # other roles: a password only
        otp = pyotp.parse_uri(totp.enrol(app.state.web.db.store(), app.state.web.keys.totp, "admin"))
        assert _sign_in(TestClient(app), "admin", otp.now())[0] == 303


def test_jjis_user_totp_prints_the_address(tmp_path: Path) -> None:
    from jjis.api import init_database
    from jjis.ingest import pseudonym
    from jjis.store import open_store

    db = str(tmp_path / "jjis.duckdb")
    init_database(db)
    with open_store(db) as store:
        ensure_web_tables(store)
        add_user(store, "amina", "admin", "correct horse battery 9")
    jjis = str(Path(sys.executable).parent / "jjis")
    run = subprocess.run([jjis, "user", "totp", "amina", "--db", db], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr
    uri = re.search(r"otpauth://\S+", run.stdout)
    assert uri, run.stdout
    otp = pyotp.parse_uri(uri.group(0))
    with open_store(db) as store:
        assert totp.check(store, totp.totp_key(pseudonym.load_key(db)), "amina", otp.now())
