"""Who may do what: every API endpoint x every role x in and out of scope; 401 versus 403;
CSRF on every form; cookies, headers and the sign-in rate limit."""

from __future__ import annotations

import re

import pytest

from jjis.publish import area_parents, load_results
from jjis.web.api_models import FigureOut
from test_web_country import (
    IN_AREA,
    IN_FACILITY,
    OUT_AREA,
    OUT_FACILITY,
    ROLES,
    WebCountry,
    csrf_of,
    imported,
    password,
    web,  # noqa: F401  (the module's fixture)
)

# (method, path, what) -> expected status per role, in ROLES order:
#                                            anonymous admin analyst national facility inspector
MATRIX: list[tuple[str, str, tuple[int, ...]]] = [
    ("GET", "/api/indicators?census_date=2025-12-31", (200, 200, 200, 200, 200, 200)),
    ("GET", f"/api/indicators?census_date=2025-12-31&area={IN_AREA}", (200, 200, 200, 200, 200, 200)),
    ("GET", f"/api/indicators?census_date=2025-12-31&area={OUT_AREA}", (200, 200, 403, 200, 200, 200)),
    ("GET", f"/api/facilities/{IN_FACILITY}/action-list", (401, 200, 200, 200, 200, 200)),
    ("GET", f"/api/facilities/{OUT_FACILITY}/action-list", (401, 200, 403, 200, 403, 403)),
    ("GET", "/api/facilities/NO-SUCH/action-list", (401, 404, 403, 404, 403, 403)),
    ("GET", f"/api/facilities/{IN_FACILITY}/stays", (401, 200, 200, 200, 200, 403)),
    ("GET", f"/api/facilities/{OUT_FACILITY}/stays", (401, 200, 403, 200, 403, 403)),
    ("GET", "/api/audit", (401, 200, 403, 403, 403, 403)),
    ("GET", "/api/facilities", (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/action-summary", (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/action-summary?as_of=2025-13-01", (422, 422, 422, 422, 422, 422)),
]


@pytest.mark.parametrize(("method", "path", "expected"), MATRIX, ids=[m[1] for m in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(web: WebCountry, role: str, method: str, path: str,  # noqa: F811
                    expected: tuple[int, ...]) -> None:
    r = web.client.request(method, path, headers=web.token(role))
    want = expected[ROLES.index(role)]
    assert r.status_code == want, (role, path, r.text[:300])
    if want >= 400:
        body = r.json()
        assert body["status"] == want and isinstance(body["error"], str) and body["error"]
    if want == 401:
        assert r.headers["www-authenticate"] == "Bearer"


def test_a_bad_or_expired_token_is_401_never_anonymous(web: WebCountry) -> None:  # noqa: F811
    for header in ("Bearer nonsense", "Basic YWRtaW46eA==", "Bearer "):
        r = web.client.get("/api/indicators?census_date=2025-12-31", headers={"Authorization": header})
        assert r.status_code == 401 and r.json()["status"] == 401


def test_the_public_gets_published_figures_analysts_exact_ones(web: WebCountry) -> None:  # noqa: F811
    from jjis.api import published_figures

    public = web.client.get("/api/indicators?census_date=2025-12-31").json()
    exact = web.client.get("/api/indicators?census_date=2025-12-31",
                           headers=web.token("national")).json()
    for rows in (public, exact):
        for row in rows[:50]:
            FigureOut(**row)  # the documented shape
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    run_id = exact[0]["run_id"]
    stored = load_results(store, run_id)
    assert {(f["indicator"], f["statistic"], f["area"], f["value"]) for f in exact} == {
        (f.indicator, f.statistic, f.area, f.answer if f.unit == "answer" else f.value)
        for f in stored}
    # the public reads the release: the figures of its run (every breakdown), disclosure control
    # applied to all of them together, the totals of the request
    assert {f["release_id"] for f in public} == {public[0]["release_id"]}
    released_run = load_results(store, public[0]["run_id"])
    published = published_figures(released_run, web.app.state.web.config, area_parents(store))  # type: ignore[attr-defined]
    expected = {(f.indicator, f.statistic, f.area): f.suppressed for f in published
                if not f.breakdown}
    assert {(f["indicator"], f["statistic"], f["area"]): f["suppressed"] for f in public} == expected
    assert any(f["suppressed"] for f in public) and not any(f["suppressed"] for f in exact)


def test_an_analyst_gets_their_area_and_below(web: WebCountry) -> None:  # noqa: F811
    rows = web.client.get("/api/indicators?census_date=2025-12-31", headers=web.token("analyst")).json()
    areas = {r["area"] for r in rows}
    assert IN_AREA in areas and all(a.startswith(IN_AREA) for a in areas)


def test_the_public_never_starts_a_computation(web: WebCountry) -> None:  # noqa: F811
    r = web.client.get("/api/indicators?census_date=2024-06-30")
    assert r.status_code == 404 and "published" in r.json()["error"]
    assert web.client.get("/api/indicators?census_date=not-a-date").status_code == 422


def test_stays_carry_no_child_identifier(web: WebCountry) -> None:  # noqa: F811
    r = web.client.get(f"/api/facilities/{IN_FACILITY}/stays", headers=web.token("facility"))
    stays = r.json()["stays"]
    assert stays and all(set(s) == {"stay_id", "sex", "age", "admission_date", "status_at_admission",
                                     "legal_status", "sentence_date", "release_date", "release_reason",
                                     "aftercare", "wholly_separated", "offence_code"} for s in stays)
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    ids = {form for (u,) in store.fetchall("SELECT child_id FROM detentions") for form in (str(u), u.hex)}
    assert not any(i in r.text for i in ids)


PAGE_MATRIX: list[tuple[str, tuple[int, ...]]] = [
    (f"/facilities/{OUT_FACILITY}", (303, 200, 403, 200, 403, 403)),
    (f"/facilities/{OUT_FACILITY}/stays", (303, 200, 403, 200, 403, 403)),
    (f"/dashboard?area={OUT_AREA}", (200, 200, 403, 200, 200, 200)),
    (f"/indicators/3?area={OUT_AREA}", (200, 200, 403, 200, 200, 200)),
    (f"/export.csv?area={IN_AREA}", (200, 200, 200, 200, 200, 200)),
    (f"/indicators/3/export.csv?area={OUT_AREA}", (200, 200, 403, 200, 200, 200)),
    (f"/downloads/sdmx-data.csv?census_date=2025-12-31&area={OUT_AREA}-01",
     (200, 200, 403, 200, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
def test_pages_out_of_scope(web: WebCountry, role: str) -> None:  # noqa: F811
    c = web.session(role)
    for path, expected in PAGE_MATRIX:
        r = c.get(path, follow_redirects=False)
        assert r.status_code == expected[ROLES.index(role)], (role, path, r.text[:200])


@pytest.mark.parametrize("role", ROLES)
def test_marking_handled_in_and_out_of_scope(web: WebCountry, role: str) -> None:  # noqa: F811
    expected = {"anonymous": (303, 303), "admin": (303, 303), "analyst": (303, 403),
                "national": (303, 303), "facility": (303, 403), "inspector": (303, 403)}[role]
    c = web.session(role)
    token = csrf_of(c.get("/sign-in" if role == "anonymous" else "/dashboard").text)
    for facility, want in zip((IN_FACILITY, OUT_FACILITY), expected, strict=True):
        items = web.client.get(f"/api/facilities/{facility}/action-list",
                               headers=web.token("admin")).json()["items"]
        item = items[0]
        r = c.post(f"/facilities/{facility}/handled", follow_redirects=False,
                   data={"stay_id": item["stay_id"], "rule": item["rule"], "note": f"by {role}",
                         "csrf_token": token})
        assert r.status_code == want, (role, facility, r.text[:200])
        if role == "anonymous":
            assert r.headers["location"].startswith("/sign-in")
    if role == "admin":  # an item that is not on the list cannot be marked
        r = c.post(f"/facilities/{IN_FACILITY}/handled", follow_redirects=False,
                   data={"stay_id": "NOT-A-STAY", "rule": "no_family_contact", "csrf_token": token})
        assert r.status_code == 404


# --- forms: every post needs its CSRF token ---------------------------------------------------

def _form_posts() -> list[str]:
    """Every POST route of the pages (the API's routes authenticate by token, not cookie)."""
    from jjis.web import routes_admin, routes_api, routes_auth, routes_facility, routes_figures

    routes = [r for m in (routes_admin, routes_api, routes_auth, routes_facility, routes_figures)
              for r in m.router.routes]
    return sorted(r.path for r in routes  # type: ignore[attr-defined]
                  if "POST" in getattr(r, "methods", set()) and not r.path.startswith("/api"))


def test_every_form_is_refused_without_its_csrf_token(web: WebCountry) -> None:  # noqa: F811
    posts = _form_posts()
    assert posts == ["/admin/users", "/admin/users/{username}/active", "/admin/users/{username}/revoke",
                     "/facilities/{facility_id}/handled", "/sign-in", "/sign-out", "/upload"]
    c = web.session("admin")
    bodies = {
        "/admin/users": {"username": "mallory", "role": "admin", "password": "x" * 12},
        "/admin/users/{username}/active": {"active": "no"},
        "/admin/users/{username}/revoke": {},
        "/facilities/{facility_id}/handled": {"stay_id": "S1", "rule": "no_family_contact"},
        "/sign-in": {"username": "admin", "password": password("admin")},
        "/sign-out": {},
        "/upload": {},
    }
    for path in posts:
        url = path.replace("{username}", "analyst").replace("{facility_id}", IN_FACILITY)
        files = {"files": ("family_contacts.csv", b"contact_id\n")} if path == "/upload" else None
        for token in (None, "0" * 64):
            data = dict(bodies[path])
            if token:
                data["csrf_token"] = token
            r = c.post(url, data=data, files=files, follow_redirects=False)
            assert r.status_code == 403, (path, token, r.status_code)
    assert c.get("/admin/users").text.count("mallory") == 0
    assert c.get("/dashboard").status_code == 200  # still signed in: sign-out was refused too


def test_every_form_on_every_page_carries_a_csrf_token(web: WebCountry) -> None:  # noqa: F811
    c = web.session("admin")
    for page in ("/dashboard", f"/facilities/{IN_FACILITY}", "/upload", "/admin/users", "/sign-in"):
        html = c.get(page).text
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S):
            assert 'name="csrf_token"' in form, (page, form[:200])


def test_a_token_from_another_session_is_refused(web: WebCountry) -> None:  # noqa: F811
    a, b = web.session("admin"), web.session("admin")
    token_a = csrf_of(a.get("/admin/users").text)
    r = b.post("/admin/users", data={"username": "eve", "role": "admin", "password": "x" * 12,
                                     "csrf_token": token_a}, follow_redirects=False)
    assert r.status_code == 403


# --- cookies, headers, sign-in -----------------------------------------------------------------

def test_session_cookie_is_signed_httponly_and_samesite(web: WebCountry) -> None:  # noqa: F811
    c = web.session("anonymous")
    page = c.get("/sign-in")
    r = c.post("/sign-in", data={"username": "admin", "password": password("admin"), "next": "/dashboard",
                                 "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("jjis_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    forged = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    c.cookies.set("jjis_session", forged)
    assert c.get("/admin/users", follow_redirects=False).status_code == 303  # not signed in


def test_security_headers_on_pages_and_api(web: WebCountry) -> None:  # noqa: F811
    for path in ("/dashboard", "/api/indicators?census_date=2025-12-31", "/sign-in", "/api/audit"):
        h = web.client.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
    assert web.client.get("/openapi.json").status_code == 200
    assert web.client.get("/docs").status_code == 404  # Swagger UI would need a CDN and inline script


def test_openapi_lists_exactly_the_api(web: WebCountry) -> None:  # noqa: F811
    spec = web.client.get("/openapi.json").json()
    assert {(p, m) for p, ms in spec["paths"].items() for m in ms} == {
        ("/api/token", "post"), ("/api/indicators", "get"),
        ("/api/facilities/{facility_id}/action-list", "get"),
        ("/api/facilities/{facility_id}/stays", "get"), ("/api/imports", "post"),
        ("/api/imports/{job_id}", "get"), ("/api/facilities", "get"),
        ("/api/action-summary", "get"),
        ("/api/audit", "get"), ("/api/tokens", "get"), ("/api/token/revoke", "post")}


def test_sign_in_is_rate_limited(web: WebCountry) -> None:  # noqa: F811
    statuses = [web.client.post("/api/token", data={"username": "inspector", "password": "wrong"}).status_code
                for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    r = web.client.post("/api/token", data={"username": "inspector", "password": password("inspector")})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    web.app.state.web.limiter = type(web.app.state.web.limiter)()  # type: ignore[attr-defined]


def test_a_disabled_user_loses_sessions_and_tokens(web: WebCountry) -> None:  # noqa: F811
    headers = web.token("inspector")
    c = web.session("inspector")
    assert web.client.get(f"/api/facilities/{IN_FACILITY}/action-list", headers=headers).status_code == 200
    admin = web.session("admin")

    def set_active(value: str) -> None:
        token = csrf_of(admin.get("/admin/users").text)
        r = admin.post("/admin/users/inspector/active", data={"active": value, "csrf_token": token},
                       follow_redirects=False)
        assert r.status_code == 303

    set_active("no")
    try:
        r = web.client.get(f"/api/facilities/{IN_FACILITY}/action-list", headers=headers)
        assert r.status_code == 401
        assert c.get("/facilities", follow_redirects=False).status_code == 303
        r = web.client.post("/api/token", data={"username": "inspector", "password": password("inspector")})
        assert r.status_code == 401
    finally:
        set_active("yes")
        web.tokens.pop("inspector", None)


# --- imports last: each one changes the data ---------------------------------------------------

def _contacts(facility: str) -> bytes:
    return ("contact_id,child_id,facility_id,contact_date,kind,relation\n"
            f"T-{facility},web-test-child,{facility},2025-12-01,visit_received,parent\n").encode()


@pytest.mark.parametrize("role", ROLES)
def test_imports_matrix(web: WebCountry, role: str) -> None:  # noqa: F811
    """The role is checked when the upload is sent (401, 403); the remit when its job runs (a
    job `refused` with status 403, nothing imported); 200: the job is `done`."""
    expected = {  # (in scope, out of scope)
        "anonymous": (401, 401), "admin": (200, 200), "analyst": (200, 403), "national": (200, 200),
        "facility": (200, 403), "inspector": (403, 403)}[role]
    for facility, want in zip((IN_FACILITY, OUT_FACILITY), expected, strict=True):
        sent, job = imported(web.client, web.token(role),
                             {"files": ("family_contacts.csv", _contacts(facility), "text/csv")})
        got = job["status_code"] if sent == 202 else sent
        assert got == want, (role, facility, job)
        if want == 200:
            report = job["report"]
            assert report["exit_code"] == 0 and report["tables"]["family_contacts"]["accepted"] == 1
        elif sent == 202:
            assert job["status"] == "refused" and job["report"] is None and facility in job["error"]


def test_reference_registers_need_a_national_remit(web: WebCountry) -> None:  # noqa: F811
    areas = b"area_id,name,parent_id,level\nXA-N,Northern Region,XA,region\n"
    for role, want in (("analyst", 403), ("facility", 403), ("national", 200)):
        sent, job = imported(web.client, web.token(role), {"files": ("areas.csv", areas, "text/csv")})
        assert sent == 202 and job["status_code"] == want, (role, job)


def test_a_job_is_seen_by_its_uploader_and_admins_only(web: WebCountry) -> None:  # noqa: F811
    sent, job = imported(web.client, web.token("facility"),
                         {"files": ("family_contacts.csv", _contacts(IN_FACILITY), "text/csv")})
    url = f"/api/imports/{job['job_id']}"
    assert web.client.get(url, headers=web.token("admin")).status_code == 200
    for other in ("analyst", "inspector", "national"):
        assert web.client.get(url, headers=web.token(other)).status_code == 404
    assert web.client.get(url).status_code == 401
