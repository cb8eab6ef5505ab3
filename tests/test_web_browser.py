"""Debian's Chromium, driven by Playwright, through the paths people click: sign in, upload a
dirty register, read its validation report and the quarantine, read the dashboard and an
indicator, mark an action handled. Screenshots at desktop and phone width go to the test's
temporary folder (and to $JJIS_WEB_SCREENSHOTS when set, to look at them)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from jjis.settings import Config
from jjis.synth import synthesise
from jjis.web import audit
from jjis.web.app import create_app
from test_web_country import CENSUS, IN_FACILITY, copy_country, password

CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    db = copy_country(tmp_path_factory.mktemp("browser"))
    app = create_app(db, Config(), today=lambda: CENSUS)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def dirty_detentions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dirty")
    synthesise(out, children=1500, seed=1, dirty=True, end_date=CENSUS)
    return out / "detentions.csv"


def _shot(page: Page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    target = os.environ.get("JJIS_WEB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(target) / path.name)


@pytest.mark.slow
def test_sign_in_upload_dashboard_and_handle_an_action(server, dirty_detentions: Path,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    url, app = server
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for width, viewport in VIEWPORTS.items():
                page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
                page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(str(e)))
                _journey(page, url, dirty_detentions, tmp_path, width)
                page.close()
        finally:
            browser.close()
    assert problems == []  # no CSP violation, no script error, no missing resource
    store = app.state.web.db.store()  # type: ignore[attr-defined]
    handled = audit.entries(store, action="action_handled")
    assert len(handled) == 2 and all(e["actor"] == "admin" for e in handled)
    assert {e["action"] for e in audit.entries(store, limit=500)} >= {"sign_in", "upload",
                                                                      "view_action_list"}


def _journey(page: Page, url: str, dirty: Path, shots: Path, width: str) -> None:
    # sign in, by keyboard
    page.goto(f"{url}/upload")
    assert "/sign-in" in page.url  # a page that needs a user sends the visitor to sign in
    _shot(page, shots, f"{width}-1-sign-in")
    assert page.evaluate("document.activeElement.id") == "username"  # autofocus
    page.fill("#username", "admin")
    page.fill("#password", password("admin"))
    page.press("#password", "Enter")
    page.wait_for_url(f"{url}/upload")

    # upload a dirty register and read its validation report
    page.set_input_files("#files", str(dirty))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#report-h")
    rows = page.locator("table.errors tbody tr")
    assert rows.count() > 0
    first = rows.first.inner_text()
    assert "detentions.csv" in first
    assert page.locator("text=Some rows or files were rejected").is_visible()
    _shot(page, shots, f"{width}-2-validation-report")
    page.click("#report-h ~ p a[href='/quarantine']")
    page.wait_for_url(f"{url}/quarantine")
    assert page.locator("table.errors tbody tr").count() > 0
    _shot(page, shots, f"{width}-3-quarantine")

    # the dashboard (recomputed after the upload), then one indicator with a breakdown
    page.click("nav >> text=Dashboard")
    page.wait_for_selector("#core-h", timeout=60_000)
    assert page.locator("article.card").count() == 15
    assert page.locator("article.card.core").count() == 5
    page.keyboard.press("Tab")  # the first stop is the skip link, which leads to the content
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _shot(page, shots, f"{width}-4-dashboard")
    page.select_option("#by", "sex")
    page.click("form.filters button")
    page.wait_for_selector("#core-h", timeout=60_000)
    page.click("#ind-3 a")
    page.wait_for_selector("#stats-h")
    page.wait_for_selector(".trend-box", timeout=60_000)  # loaded by htmx
    _shot(page, shots, f"{width}-5-indicator")

    # the facility's action list: mark the first open item handled (htmx swaps the row)
    page.goto(f"{url}/facilities/{IN_FACILITY}")
    open_rows = page.locator("table.actions tbody tr.open")
    before = open_rows.count()
    assert before > 0
    _shot(page, shots, f"{width}-6-action-list")
    row = open_rows.first
    row.locator("input[name=note]").fill(f"court hearing booked ({width})")
    row.locator("button").click()
    expect(page.locator("table.actions tbody tr.open")).to_have_count(before - 1)  # no eval: CSP
    assert page.locator(f"text=court hearing booked ({width})").is_visible()
    _shot(page, shots, f"{width}-7-handled")
    page.reload()
    assert page.locator("table.actions tbody tr.open").count() == before - 1
    page.click("form[action='/sign-out'] button")
    page.wait_for_url(f"{url}/dashboard")


FRENCH_PAGES = ("/dashboard", "/indicators/2?by=age_group", "/indicators/4",
                f"/facilities/{IN_FACILITY}", f"/facilities/{IN_FACILITY}/stays", "/facilities",
                "/upload", "/quarantine", "/admin/users", "/review", "/forms", "/indicators/99")


@pytest.mark.slow
def test_french_pages_fit_a_phone(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The main pages in French (longer words than English) at desktop (1400 px) and phone
    (390 px) width: at phone width no page is wider than the screen (no sideways scrolling;
    tables scroll inside their own box)."""
    url, _ = server
    wide: list[tuple[str, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for width, viewport in {"desktop": {"width": 1400, "height": 900},
                                    "phone": VIEWPORTS["phone"]}.items():
                page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
                page.goto(f"{url}/sign-in?lang=fr")
                page.fill("#username", "admin")
                page.fill("#password", password("admin"))
                page.press("#password", "Enter")
                page.wait_for_url(f"{url}/dashboard", timeout=60_000)
                for n, path in enumerate(FRENCH_PAGES):
                    page.goto(f"{url}{path}", timeout=120_000)
                    assert page.evaluate("document.documentElement.lang") == "fr", path
                    _shot(page, tmp_path, f"fr-{width}-{n:02d}")
                    over = page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
                    if width == "phone" and over > 0:
                        wide.append((path, over))
                page.close()
        finally:
            browser.close()
    assert wide == [], "pages wider than a phone's screen (path, pixels too wide)"
