"""report.html, read back: every figure it shows is the published figure of the recorded run,
written the way the language writes it; nothing published shows a count from 1 to 4; the page
is self-contained; the core indicators are summarised and marked."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.numbers import parse_decimal

from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.reports.formatting import Lang, raw_value
from test_report_setup import Report, country, report_en, report_fr  # noqa: F401

CORE = (2, 3, 9, 10, 14)  # the core indicators of the manual

PERSONS = set(range(1, 12))  # indicators 1-11 count children (12-15 count places, items)


class Cells(HTMLParser):
    """Every element with data-fig, its attributes and its text; and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.open: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.sections: list[dict[str, str]] = []
        self.cards: list[dict[str, str]] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag in ("script", "link", "img", "iframe") or "src" in a:
            self.links.append((tag, a.get("src") or a.get("href") or ""))
        if tag == "section" and "data-indicator" in a:
            self.sections.append(a)
        if tag == "article" and "card" in a.get("class", ""):
            self.cards.append(a)
        if "data-fig" in a:
            a["text"] = ""
            a["tag"] = tag
            self.cells.append(a)
            self.open.append(a)
        elif self.open:
            self.open.append({})

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for cell in self.open:
            if "data-fig" in cell:
                cell["text"] += data


def parse(path: Path) -> Cells:
    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def html_en(report_en: Report) -> Cells:  # noqa: F811
    assert report_en.paths.html is not None
    return parse(report_en.paths.html)


@pytest.fixture(scope="module")
def html_fr(report_fr: Report) -> Cells:  # noqa: F811
    assert report_fr.paths.html is not None
    return parse(report_fr.paths.html)


def _number(text: str, lang: Lang) -> float:
    return float(parse_decimal(text.replace("%", "").replace("\u202f", "").replace("\xa0", "")
                               .strip(), locale=lang.locale, strict=False))


def check_cells(cells: Cells, report: Report) -> int:
    lang = Lang(report.lang)
    checked = 0
    for cell in cells.cells:
        f = report.published.get(cell["data-fig"])
        assert f is not None, f"the report shows a figure that was not published: {cell}"
        text = " ".join(cell["text"].split())
        if "data-field" in cell:
            expected = getattr(f, cell["data-field"])
            assert text == ("" if expected is None else " ".join(lang.count(expected).split())), cell
            continue
        assert cell["data-value"] == raw_value(f), cell
        assert text == " ".join(lang.value(f).split()), cell
        if not f.suppressed and f.value is not None and f.unit != "answer":
            assert _number(text, lang) == pytest.approx(f.value, abs=0.051), cell
        checked += 1
    return checked


def test_every_figure_in_the_english_report_is_the_published_figure(
        html_en: Cells, report_en: Report) -> None:  # noqa: F811
    assert check_cells(html_en, report_en) > 500


def test_every_figure_in_the_french_report_is_the_published_figure(
        html_fr: Cells, report_fr: Report) -> None:  # noqa: F811
    assert check_cells(html_fr, report_fr) > 500


def test_withheld_figures_are_shown_as_published(html_en: Cells, report_en: Report) -> None:  # noqa: F811
    shown = [report_en.published[c["data-fig"]] for c in html_en.cells if "data-value" in c]
    withheld = [f for f in shown if f.suppressed]
    assert withheld, "the small country has withheld cells"
    marks = {shown_value(f) for f in withheld}
    assert marks <= {"<5", "x"} and "<5" in marks


def _small(f: Figure, field: str, value: float | None) -> bool:
    """A count of children from 1 to 4."""
    if value is None or f.indicator not in PERSONS:
        return False
    if field == "value" and f.unit != "count":
        return False
    if field == "numerator" and f.unit == "days":  # a sum of days, not of children
        return False
    if field == "denominator" and f.statistic == "rate_average_daily_population":
        return False
    return 1 <= value < 5


def test_no_published_cell_shows_a_count_below_the_threshold(html_en: Cells,
                                                              report_en: Report) -> None:  # noqa: F811
    lang = Lang("en")
    for cell in html_en.cells:
        f = report_en.published[cell["data-fig"]]
        text = " ".join(cell["text"].split())
        if not text or text in ("<5", "x", "–"):
            continue
        field = cell.get("data-field", "value")
        if field == "value" and f.unit != "count":
            continue
        assert not _small(f, field, _number(text, lang)), cell
    notes = report_en.paths.html.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert not re.search(r"\bfor [1-4] children\b", notes)
    assert not re.search(r"\b[1-4] children held\b", notes)


def test_the_report_is_one_self_contained_file(html_en: Cells, report_en: Report) -> None:  # noqa: F811
    text = report_en.paths.html.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert html_en.links == [], "no script, stylesheet, image or frame is fetched"
    assert "<style>" in text and text.count("<svg") >= 15 * 2
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert "<script" not in text


def test_the_core_indicators_are_summarised_and_marked(html_en: Cells) -> None:
    assert [int(c["data-indicator"]) for c in html_en.cards] == list(CORE)
    assert [int(s["data-indicator"]) for s in html_en.sections] == list(range(1, 16))
    assert sorted(int(s["data-indicator"]) for s in html_en.sections if s.get("data-core")) \
        == sorted(CORE)


def test_the_trend_covers_the_compared_census_dates(html_en: Cells) -> None:
    dates = {c["data-fig"].split("|")[3] for c in html_en.cells}
    assert dates == {"2024-12-31", "2025-12-31"}


def test_breakdown_tables_show_the_published_counts_beside_the_values(
        report_en: Report) -> None:  # noqa: F811
    """Each breakdown row has its counts: the published numerator and denominator (each cell
    read back as the published figure's by check_cells), or the mark where withheld."""
    text = report_en.paths.html.read_text(encoding="utf-8")  # type: ignore[union-attr]
    cells = re.findall(r'<td class="num counts">(.*?)</td>', text, re.S)
    assert cells, "the breakdown tables have a counts column"
    assert "Numerator / denominator" in text
    shown_counts = withheld = 0
    for cell in cells:
        keys = {unescape(k) for k in re.findall(r'data-fig="([^"]+)"', cell)}
        plain = unescape(re.sub(r"<[^>]+>", "", cell))
        for key in keys:
            f = report_en.published[key]
            assert f.breakdown, "counts stand beside breakdown values"
            if f.suppressed:
                withheld += 1
        if not keys or "<5" in plain or "x /" in plain:
            num = plain.split(" / ")[0].strip()
            assert num in ("<5", "x", "–", ""), cell  # a withheld count is never a number
        shown_counts += len(keys)
    assert shown_counts > 50
