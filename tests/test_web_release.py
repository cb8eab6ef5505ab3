"""The public reads releases only (docs/release.md): the landing page, the same census date for
everyone, figures that do not move after an upload, drafts for analysts, and a landing page
that says plainly when nothing is released."""

from __future__ import annotations

from jjis.publish.releases import served
from jjis.release import withdraw_release
from test_web_country import CENSUS, IN_FACILITY, WebCountry, web  # noqa: F401


def _release_id(w: WebCountry) -> str:
    found = served(w.app.state.web.db.store(), CENSUS, "XA")  # type: ignore[attr-defined]
    assert found is not None
    return found.release_id


def test_the_landing_page_shows_the_newest_release(web: WebCountry) -> None:  # noqa: F811
    page = web.session("anonymous").get("/")
    assert page.status_code == 200
    assert "Released figures" in page.text and _release_id(web) in page.text
    assert CENSUS.isoformat() in page.text


def test_everyone_gets_the_same_census_date_and_the_release(web: WebCountry) -> None:  # noqa: F811
    rid = _release_id(web)
    for role in ("anonymous", "facility", "inspector"):
        rows = web.client.get("/api/indicators", headers=web.token(role)).json()
        assert {r["census_date"] for r in rows} == {CENSUS.isoformat()}, role
        assert {r["release_id"] for r in rows} == {rid}, role
        assert web.session(role).get("/dashboard").text.count(CENSUS.isoformat()) >= 1


def test_an_upload_does_not_change_the_public_figures(web: WebCountry) -> None:  # noqa: F811
    before = web.client.get(f"/api/indicators?census_date={CENSUS}").content
    page_before = web.session("anonymous").get(f"/dashboard?census_date={CENSUS}").text
    contact = ("contact_id,child_id,facility_id,contact_date,kind,relation\n"
               f"R-1,C-1,{IN_FACILITY},2025-12-20,visit_received,parent\n")
    r = web.client.post("/api/imports", headers=web.token("admin"),
                        files={"files": ("family_contacts.csv", contact.encode(), "text/csv")})
    assert r.status_code == 200 and r.json()["tables"]["family_contacts"]["accepted"] == 1
    web.app.state.web.db.changed()  # type: ignore[attr-defined]
    assert web.client.get(f"/api/indicators?census_date={CENSUS}").content == before
    assert web.session("anonymous").get(f"/dashboard?census_date={CENSUS}").text == page_before


def test_analysts_see_a_draft_beside_the_release(web: WebCountry) -> None:  # noqa: F811
    page = web.session("analyst").get("/dashboard?area=XA-N")
    assert page.status_code == 200 and "draft — not released" in page.text
    assert "Released:" in page.text  # each card gives the released value beside the draft
    assert "draft — not released" not in web.session("anonymous").get("/dashboard").text


def test_without_a_release_the_landing_page_says_so(web: WebCountry) -> None:  # noqa: F811
    withdraw_release(web.app.state.web.db.store(), _release_id(web), "test: no release")  # type: ignore[attr-defined]
    for path in ("/", "/dashboard"):
        page = web.session("anonymous").get(path)
        assert page.status_code == 200, path
        assert "No figures have been released yet" in page.text
        assert "jjis release --census-date" in page.text
    r = web.client.get("/api/indicators")
    assert r.status_code == 404 and "released" in r.json()["error"]
    assert web.session("anonymous").get(f"/dashboard?census_date={CENSUS}").status_code == 404
