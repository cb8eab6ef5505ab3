"""The HTML report in a real browser: headless Debian Chromium renders it at desktop and phone
width, offline. The screenshots are kept in the test's folder; the rendered page holds the
core-indicator summary, and the pictures are real pages (large, many colours, not blank)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from test_report_setup import Report, country, report_en, report_fr  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
SIZES = {"desktop": (1280, 2000), "phone": (390, 2400)}


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM.exists(), "Debian chromium is needed (.ci/packages.txt lists it)"
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars", *args,
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.parametrize("device", list(SIZES))
def test_screenshot_shows_the_report(device: str, report_en: Report, tmp_path: Path) -> None:  # noqa: F811
    width, height = SIZES[device]
    shot = tmp_path / f"report-{device}.png"
    assert report_en.paths.html is not None
    chromium(report_en.paths.html, tmp_path / "profile", f"--window-size={width},{height}",
             f"--screenshot={shot}")
    image = Image.open(shot).convert("RGB")
    assert image.size == (width, height)
    assert shot.stat().st_size > 30_000
    colours: list[Any] = image.getcolors(maxcolors=width * height) or []
    assert len(colours) > 50, "text, charts and badges, not a blank page"
    accent = sum(n for n, (r, g, b) in colours
                 if abs(r - 0x1D) < 40 and abs(g - 0x5B) < 40 and abs(b - 0x86) < 40)
    assert accent > 2_000, "the accent colour of headings, figures and bars is on screen"


def test_the_rendered_page_holds_the_core_summary(report_en: Report, tmp_path: Path) -> None:  # noqa: F811
    assert report_en.paths.html is not None
    dom = chromium(report_en.paths.html, tmp_path / "profile", "--dump-dom").stdout
    summary = dom[dom.index('id="summary"'):dom.index("</section>", dom.index('id="summary"'))]
    assert summary.count('class="card"') == 5
    for name in ("Children in detention", "Children in pre-sentence detention",
                 "Custodial sentencing", "Pre-sentence diversion",
                 "Specialised juvenile justice system"):
        assert name in summary
    assert summary.count("data-fig=") == 5 + 15 * 2  # the cards and the table of 15 x 2 dates


PROBE = """<script>addEventListener('load', () => {
  const over = [], cued = [];
  document.querySelectorAll('.scroll').forEach((d, i) => {
    const s = getComputedStyle(d);
    if (s.overflowX === 'auto' && s.backgroundImage.includes('radial-gradient')) cued.push(i);
    if (d.scrollWidth > d.clientWidth + 1) over.push(i);
  });
  const page = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
  const p = document.createElement('pre'); p.id = 'probe';
  p.textContent = JSON.stringify({tables: document.querySelectorAll('.scroll').length,
                                  over: over, cued: cued, page: page});
  document.body.appendChild(p); });</script>"""


def _probe(html: Path, tmp_path: Path, width: int) -> dict[str, Any]:
    """What the browser lays out at `width` px: which table boxes overflow (scroll), which
    carry the scroll cue, whether the page itself is wider than the window. A copy of the page
    with a measuring script (the report itself has no script)."""
    import json
    import re

    page = tmp_path / f"probe-{width}.html"
    page.write_text(html.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
    dom = chromium(page, tmp_path / f"profile-{width}", f"--window-size={width},2000",
                   "--virtual-time-budget=5000", "--dump-dom").stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found, "the probe ran"
    result: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"'))
    return result


@pytest.mark.parametrize("which", ["en", "fr"])
def test_tables_fit_a_desktop_window_and_scroll_with_a_cue_on_a_phone(
        which: str, report_en: Report, report_fr: Report, tmp_path: Path) -> None:  # noqa: F811
    html = (report_en if which == "en" else report_fr).paths.html
    assert html is not None
    desktop = _probe(html, tmp_path, 1400)
    assert desktop["tables"] > 30
    assert desktop["over"] == [], "every table fits at 1400 px"
    assert desktop["page"] is False
    phone = _probe(html, tmp_path, 390)
    assert phone["over"], "on a phone some tables are wider than the screen"
    assert set(phone["over"]) <= set(phone["cued"]), "each of them scrolls, with a shadow cue"
    assert phone["page"] is False, "the page itself never scrolls sideways: the tables do"


def test_screenshots_of_the_widest_section(report_fr: Report, tmp_path: Path) -> None:  # noqa: F811
    """Indicator 6 (three rates and an interval) in French at desktop and phone width: kept
    beside the other screenshots; on the phone the shadow at the table's right edge shows."""
    assert report_fr.paths.html is not None
    text = report_fr.paths.html.read_text("utf-8")
    start = text.rindex("<section", 0, text.index('id="indicator-6"'))
    page = tmp_path / "indicator-6.html"
    page.write_text(text[:text.index("<body>") + 6] + "<main>"
                    + text[start:text.index("</section>", start) + 10] + "</main></body></html>",
                    "utf-8")
    for width in (1400, 390):
        shot = tmp_path / f"indicator-6-{width}.png"
        chromium(page, tmp_path / "profile", f"--window-size={width},1600", f"--screenshot={shot}")
        image = Image.open(shot).convert("RGB")
        assert image.size == (width, 1600) and shot.stat().st_size > 30_000
    # the phone: the 16 px at the right of the content (12 px padding) hold the shadow's greys
    image = Image.open(tmp_path / "indicator-6-390.png").convert("RGB")
    greys = sum(1 for x in range(390 - 12 - 8, 390 - 12) for y in range(0, 1600)
                if (p := image.getpixel((x, y))) and 120 < p[0] == p[1] == p[2] < 235)
    assert greys > 200, "the scroll shadow is on screen"
