"""Debian's Chromium, driven by Playwright, through review and release: an analyst signs in,
opens the review page of their region, releases with a note, and the public dashboard of the
region then shows that release."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from jjis.publish.releases import served
from test_web_browser import CHROMIUM, _shot, server  # noqa: F401
from test_web_country import CENSUS, password


@pytest.mark.slow
def test_review_and_release_in_a_browser(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, app = server
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{url}/sign-in")
            page.fill("#username", "analyst")
            page.fill("#password", password("analyst"))
            page.press("#password", "Enter")
            page.wait_for_url(f"{url}/dashboard", timeout=60_000)
            page.goto(f"{url}/review?census_date={CENSUS}&area=XA-N", timeout=180_000)
            page.wait_for_selector("#release-button")
            assert page.locator("#coverage tbody tr").count() > 0
            _shot(page, tmp_path, "review")
            page.fill("input[name=note]", "checked in the browser")
            page.click("#release-button")
            page.wait_for_selector("#review-message", timeout=180_000)
            message = page.locator("#review-message").inner_text()
            assert message.startswith("released as 2025-12-31-XA-N-1"), message
            _shot(page, tmp_path, "released")

            public = browser.new_page()
            public.goto(f"{url}/dashboard?area=XA-N")
            assert "2025-12-31-XA-N-1" in public.locator(".banner.released").inner_text()
        finally:
            browser.close()
    assert problems == []
    made = served(app.state.web.db.store(), CENSUS, "XA-N")
    assert made is not None and made.released_by == "analyst"
