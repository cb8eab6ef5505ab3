"""The public reads releases only (docs/release.md): the landing page, the same census date for
everyone, figures that do not move after an upload, drafts for analysts, and a landing page
that says plainly when nothing is released."""

from __future__ import annotations

from jjis.publish.releases import served
from jjis.release import withdraw_release
from test_web_country import CENSUS, IN_FACILITY, WebCountry, imported, web  # noqa: F401


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
    status, job = imported(web.client, web.token("admin"),
                           {"files": ("family_contacts.csv", contact.encode(), "text/csv")})
    assert status == 202 and job["status"] == "done", job
    assert job["report"]["tables"]["family_contacts"]["accepted"] == 1  # type: ignore[index]
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


def test_review_and_release_refused_when_the_data_changed(web: WebCountry) -> None:  # noqa: F811
    from test_web_country import csrf_of

    analyst = web.session("analyst")
    assert web.session("inspector").get("/review?area=XA-N").status_code == 403
    assert analyst.get("/review?area=XA-S").status_code == 403
    page = analyst.get(f"/review?census_date={CENSUS}&area=XA-N")
    assert page.status_code == 200
    for part in ("Completeness and timeliness", "Findings", "Withheld by disclosure control",
                 "Figures that would change", 'id="release-button"'):
        assert part in page.text, part
    form = {"census_date": CENSUS.isoformat(), "area": "XA-N", "csrf_token": csrf_of(page.text)}
    # without the CSRF token: refused
    assert analyst.post("/review/release", data={**form, "csrf_token": "", "snapshot": "x"},
                        follow_redirects=False).status_code == 403
    # drawn on other data: refused with a sentence, nothing released
    r = analyst.post("/review/release", data={**form, "snapshot": "0" * 64})
    assert "the data changed since the review page was drawn" in r.text
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    assert served(store, CENSUS, "XA-N") is None
    snapshot = page.text.split('name="snapshot" value="')[1].split('"')[0]
    r = analyst.post("/review/release", data={**form, "snapshot": snapshot, "note": "reviewed"})
    made = served(store, CENSUS, "XA-N")
    assert made is not None and made.released_by == "analyst"
    assert f"released as {made.release_id}" in r.text
    assert web.session("anonymous").get("/dashboard?area=XA-N").status_code == 200
