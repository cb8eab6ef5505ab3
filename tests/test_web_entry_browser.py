"""Web data entry in Debian's Chromium at phone width (390 px): a facility clerk records an
admission, sees the import's error beside the field it concerns, corrects it, then opens the stay
and records its release. The page must fit the phone: no sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from jjis.web import audit
from test_web_browser import CHROMIUM, VIEWPORTS, _shot, server  # noqa: F401
from test_web_country import IN_FACILITY, password


@pytest.fixture
def phone(server) -> Iterator[tuple[Page, str, object, list[str]]]:  # type: ignore[no-untyped-def]  # noqa: F811
    url, app = server
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORTS["phone"])  # type: ignore[arg-type]
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        try:
            yield page, url, app, problems
        finally:
            browser.close()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"]["width"], f"the page is {width} px wide on a phone"


@pytest.mark.slow
def test_record_an_admission_and_its_release_on_a_phone(phone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, url, app, problems = phone
    page.goto(f"{url}/sign-in")
    page.fill("#username", "facility")
    page.fill("#password", password("facility"))
    page.press("#password", "Enter")
    page.wait_for_url("**/dashboard")
    page.goto(f"{url}/forms")
    page.click(f"a[href='/entry/{IN_FACILITY}']")
    page.click(f"a[href='/entry/{IN_FACILITY}/detentions']")
    page.fill("#f-stay_id", "PHONE-1")
    page.fill("#f-child_id", "PHONE-CHILD")
    page.select_option("#f-sex", "m")
    page.fill("#f-admission_date", "2025-12-20")
    page.select_option("#f-status_at_admission", "pre_sentence")
    page.fill("#f-release_date", "2025-12-01")  # before the admission: the import refuses it
    page.select_option("#f-release_reason", "transfer")
    page.click("form.entry button[type=submit]")
    error = page.locator("#e-release_date")
    error.wait_for()
    assert "before admission_date" in error.inner_text()
    assert page.locator("#f-release_date").get_attribute("aria-invalid") == "true"
    _fits(page)
    _shot(page, tmp_path, "phone-entry-error")
    page.fill("#f-release_date", "")
    page.select_option("#f-release_reason", "")
    page.click("form.entry button[type=submit]")
    page.locator("#saved").wait_for()
    _fits(page)

    page.goto(f"{url}/entry/{IN_FACILITY}")
    page.click("a[href$='stay_id=PHONE-1']")
    page.fill("#f-release_date", "2025-12-28")
    page.select_option("#f-release_reason", "released_pending_trial")
    page.select_option("#f-aftercare", "yes")
    page.click("form.entry button[type=submit]")
    page.locator("#saved").wait_for()
    _shot(page, tmp_path, "phone-entry-saved")
    _fits(page)
    # no CSP violation, no script error; the one 422 is the rejected entry (answered 422 on purpose)
    assert [m for m in problems if "status of 422" not in m] == []
    assert len(problems) == 1
    store = app.state.web.db.store()
    got = store.fetchall("SELECT CAST(release_date AS VARCHAR), release_reason, aftercare "
                         "FROM detentions WHERE stay_id = 'PHONE-1'")
    assert got == [("2025-12-28", "released_pending_trial", True)]
    assert [e["target"] for e in audit.entries(store, action="record_entry")] == [IN_FACILITY] * 2
