"""The HTML report in a real browser: headless Debian Chromium renders it at desktop and phone
width, offline. The screenshots are kept in the test's folder; the rendered page holds the
core-indicator summary, and the pictures are real pages (large, many colours, not blank)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from test_report_setup import Report, country, report_en  # noqa: F401

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
