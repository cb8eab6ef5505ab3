"""Sessions and tokens to OWASP ASVS level 2 (issue 9): tokens revoked at sign-out, on disabling,
a new password and a new role, and one by one (API, CLI, admin page); X-Forwarded-For believed
from configured proxies only; idle and absolute session time-outs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jjis.settings import Config
from jjis.store import Store, open_store
from jjis.web.app import create_app
from jjis.web.auth import Keys, Sessions, list_tokens, revoke
from jjis.web.db import ensure_web_tables
from jjis.web.users import add_user, set_active, set_password, set_role
from test_web_country import (
    CENSUS,
    IN_FACILITY,
    WebCountry,
    copy_country,
    csrf_of,
    password,
    web,  # noqa: F401  (the module's fixture)
)

KEYS = Keys.derive(b"s" * 32)
ACTION_LIST = f"/api/facilities/{IN_FACILITY}/action-list"


def _fresh(store: Store) -> Sessions:
    ensure_web_tables(store)
    store.execute("DELETE FROM web_sessions")
    store.execute("DELETE FROM web_users")
    store.execute("DELETE FROM facilities")
    store.execute("DELETE FROM areas")
    store.execute("INSERT INTO areas (area_id, name, parent_id, level) VALUES ('XA', 'X', NULL, 'country')")
    add_user(store, "amina", "analyst", "correct horse battery 9")
    return Sessions(KEYS)


def test_tokens_end_with_every_change_of_the_user(store: Store) -> None:
    sessions = _fresh(store)

    def alive(raw: str) -> bool:
        sessions.forget()  # as another server process would read it (at most 5 s later)
        return sessions.user(store, raw, "token") is not None

    changes = [
        lambda: set_password(store, "amina", "another long passphrase 7"),
        lambda: set_role(store, "amina", "analyst", areas=["XA"]),
        lambda: set_active(store, "amina", False),
    ]
    for change in changes:
        set_active(store, "amina", True)
        token = sessions.start(store, "amina", kind="token")
        session = sessions.signer.loads(sessions.start(store, "amina"))
        assert alive(token) and sessions.user(store, session, "session") is not None
        change()
        sessions.forget()
        assert not alive(token) and sessions.user(store, session, "session") is None


def test_one_token_is_revoked_by_its_id(store: Store) -> None:
    sessions = _fresh(store)
    a, b = (sessions.start(store, "amina", kind="token") for _ in range(2))
    listed = list_tokens(store, "amina")
    assert len(listed) == 2 and all(len(str(t["token_id"])) == 12 for t in listed)
    import hashlib

    a_id = hashlib.sha256(a.encode()).hexdigest()[:12]
    assert a not in str(listed) and a_id in {t["token_id"] for t in listed}
    assert revoke(store, "amina", token=a_id) == 1
    sessions.forget()
    assert sessions.user(store, a, "token") is None and sessions.user(store, b, "token") is not None
    assert revoke(store, "someone-else", token=hashlib.sha256(b.encode()).hexdigest()[:12]) == 0
    with pytest.raises(Exception, match="not a token id"):
        revoke(store, "amina", token="%")  # no pattern matching through the id


def test_idle_and_absolute_time_outs(store: Store) -> None:
    cfg = Config({"web.session_idle_minutes": 30, "web.session_hours": 12})
    sessions = _fresh(store)
    sessions = Sessions(KEYS, cfg)
    raw = sessions.signer.loads(sessions.start(store, "amina"))
    assert sessions.user(store, raw, "session") is not None
    (created, expires), = store.fetchall("SELECT created_at, expires_at FROM web_sessions")
    assert int(expires) - int(created) == 12 * 3600  # absolute: 12 hours after sign-in
    # 29 minutes without a request: still signed in, and the request counts as activity
    store.execute("UPDATE web_sessions SET last_seen = ?", [int(time.time()) - 29 * 60])
    sessions.forget()
    assert sessions.user(store, raw, "session") is not None
    (seen,), = store.fetchall("SELECT last_seen FROM web_sessions")
    assert int(seen) >= int(time.time()) - 5
    # 31 minutes without a request: ended, and removed
    store.execute("UPDATE web_sessions SET last_seen = ?", [int(time.time()) - 31 * 60])
    sessions.forget()
    assert sessions.user(store, raw, "session") is None
    assert store.fetchall("SELECT count(*) FROM web_sessions")[0][0] == 0
    # active all along but past the absolute limit: ended
    raw = sessions.signer.loads(sessions.start(store, "amina"))
    store.execute("UPDATE web_sessions SET expires_at = ?", [int(time.time()) - 1])
    sessions.forget()
    assert sessions.user(store, raw, "session") is None
    defaults = Config()
    assert (defaults["web.session_idle_minutes"], defaults["web.session_hours"],
            defaults["web.token_hours"]) == (30, 12, 12)


def test_sign_out_revokes_the_users_tokens(web: WebCountry) -> None:  # noqa: F811
    r = web.client.post("/api/token", data={"username": "inspector", "password": password("inspector")})
    token = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert web.client.get(ACTION_LIST, headers=token).status_code == 200
    page = web.session("inspector")
    page.post("/sign-out", data={"csrf_token": csrf_of(page.get("/facilities").text)})
    assert web.client.get(ACTION_LIST, headers=token).status_code == 401


def test_a_token_revokes_itself_and_lists_the_others(web: WebCountry) -> None:  # noqa: F811
    tokens = [web.client.post("/api/token", data={"username": "facility",
                                                   "password": password("facility")}).json()["access_token"]
              for _ in range(2)]
    first, second = ({"Authorization": f"Bearer {t}"} for t in tokens)
    listed = web.client.get("/api/tokens", headers=first).json()["tokens"]
    assert len(listed) >= 2 and not any(t in str(listed) for t in tokens)
    r = web.client.post("/api/token/revoke", headers=first)
    assert r.status_code == 200 and r.json() == {"revoked": 1}
    assert web.client.get(ACTION_LIST, headers=first).status_code == 401
    assert web.client.get(ACTION_LIST, headers=second).status_code == 200
    web.tokens.pop("facility", None)


def test_an_admin_revokes_a_users_sessions_and_tokens(web: WebCountry) -> None:  # noqa: F811
    token = web.client.post("/api/token", data={"username": "analyst", "password": password("analyst")})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    analyst = web.session("analyst")
    admin = web.session("admin")
    r = admin.post("/admin/users/analyst/revoke",
                   data={"csrf_token": csrf_of(admin.get("/admin/users").text)}, follow_redirects=False)
    assert r.status_code == 303
    assert web.client.get(ACTION_LIST, headers=headers).status_code == 401
    assert analyst.get("/facilities", follow_redirects=False).status_code == 303  # to sign in
    web.tokens.pop("analyst", None)


def test_jjis_user_token_list_and_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "jjis.duckdb")
    from jjis.api import init_database

    init_database(db)
    with open_store(db) as store:
        sessions = _fresh(store)
        token = sessions.start(store, "amina", kind="token")
    jjis = str(Path(sys.executable).parent / "jjis")
    listed = subprocess.run([jjis, "user", "token", "list", "amina", "--db", db],
                            capture_output=True, text=True, check=False)
    assert listed.returncode == 0 and token not in listed.stdout
    token_id = listed.stdout.split()[0]
    assert len(token_id) == 12
    run = subprocess.run([jjis, "user", "token", "revoke", "amina", "--id", token_id, "--db", db],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "Revoked 1 token" in run.stdout, run.stdout + run.stderr
    with open_store(db) as store:
        assert Sessions(KEYS).user(store, token, "token") is None


# --- X-Forwarded-For ---------------------------------------------------------------------------

def _served(tmp_path: Path, cfg: Config) -> TestClient:
    """The application wrapped as `jjis serve` runs it, seen from a peer at 127.0.0.1."""
    from jjis.web.serve import server_config

    app = create_app(copy_country(tmp_path), cfg, today=lambda: CENSUS)
    config = server_config(app, "127.0.0.1", 0)
    config.load()
    return TestClient(config.loaded_app, client=("127.0.0.1", 40000))


def _fail(client: TestClient, forwarded: str) -> int:
    return client.post("/api/token", data={"username": "inspector", "password": "wrong"},
                       headers={"X-Forwarded-For": forwarded}).status_code


def test_forwarded_for_from_an_untrusted_peer_does_not_reset_the_limiter(tmp_path: Path) -> None:
    with _served(tmp_path, Config()) as client:  # default: no trusted proxy
        statuses = [_fail(client, f"198.51.100.{i}") for i in range(6)]
        assert statuses == [401] * 5 + [429]
        r = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
        assert "secure" not in r.headers.get("set-cookie", "").lower()


def test_forwarded_for_from_a_trusted_proxy_names_the_client(tmp_path: Path) -> None:
    cfg = Config({"web.trusted_proxies": ["127.0.0.1", "10.0.0.0/8"]})
    with _served(tmp_path, cfg) as client:
        # the client prepends a made-up address; the proxies append the real one
        statuses = [_fail(client, f"192.0.2.{i}, 203.0.113.7, 10.1.2.3") for i in range(6)]
        assert statuses == [401] * 5 + [429]  # all counted against 203.0.113.7
        assert _fail(client, "203.0.113.8") == 401  # another client is not held back
        r = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
        assert "secure" in r.headers["set-cookie"].lower()
