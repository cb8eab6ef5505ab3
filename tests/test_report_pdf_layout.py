"""report.pdf fits its pages and is tagged for accessibility, in English and French.

The layout test lays the report out with WeasyPrint (`render()`), walks the boxes of every
table on every page and compares their edges with the page's content area (the page less its
margins): a column cut at the page edge is a box that ends past the content area's right edge.
The tagging test reads the written PDF back with pypdf: the catalogue marks it as tagged
(MarkInfo), holds a structure tree with tables and header cells, names the document's language,
and the XMP metadata identify it as PDF/UA-1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from jjis.reports import pdf
from test_report_setup import Report, country, report_en, report_fr  # noqa: F401

SLACK = 0.5  # CSS px: rounding of the layout


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


def _tables(document: Any) -> Iterator[tuple[int, float, float, Any]]:
    """(page number, content left, content right, table box) for every table on every page."""
    from weasyprint.formatting_structure import boxes

    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        for box in _walk(page_box):
            if isinstance(box, boxes.TableBox):
                yield number, left, right, box


def _overflows(document: Any) -> list[str]:
    found = []
    for number, left, right, table in _tables(document):
        for box in _walk(table):
            x0 = box.border_box_x()
            x1 = x0 + box.border_width()
            if x1 > right + SLACK or x0 < left - SLACK:
                heads = [" ".join("".join(th.itertext()).split())
                         for th in table.element.iter("th")][:3]
                found.append(f"page {number}: a {type(box).__name__} from {x0:.0f} to "
                             f"{x1:.0f} px, the page's content from {left:.0f} to {right:.0f} "
                             f"px, in the table headed {heads}")
                break
    return found


@pytest.fixture(scope="module")
def layouts(report_en: Report, report_fr: Report,  # noqa: F811
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path]]:
    """Each language's report laid out once; the French PDF is written from its layout."""
    assert report_en.paths.html is not None and report_en.paths.pdf is not None
    assert report_fr.paths.html is not None
    out: dict[str, tuple[Any, Path]] = {}
    english = report_en.paths.html.read_text("utf-8")
    out["en"] = (pdf.render(english, report_en.paths.html.parent), report_en.paths.pdf)
    french = report_fr.paths.html.read_text("utf-8")
    document = pdf.render(french, report_fr.paths.html.parent)
    path = pdf.write_pdf(french, tmp_path_factory.mktemp("pdf-fr") / "report.pdf",
                         document=document)
    out["fr"] = (document, path)
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_table_is_wider_than_its_page(layouts: dict[str, tuple[Any, Path]],
                                         lang: str) -> None:
    document, _ = layouts[lang]
    tables = list(_tables(document))
    # the summary, then per indicator at least its key figures and a table per breakdown
    assert len(tables) > 15 * 2, len(tables)
    assert _overflows(document) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_indicator_6_shows_every_column(layouts: dict[str, tuple[Any, Path]],
                                        lang: str) -> None:
    """Indicator 6 has the widest tables (three rates and an interval): each of its tables is
    laid out whole, its last column inside the page."""
    document, _ = layouts[lang]
    seen = 0
    for _number, _left, right, table in _tables(document):
        figs = [td.get("data-fig", "") for td in table.element.iter("td")]
        if not any(f.startswith("6|rate_average_daily_population|") for f in figs):
            continue
        seen += 1
        assert table.border_box_x() + table.border_width() <= right + SLACK
    assert seen >= 3, "by sex, by age group, by offence (and the areas) of indicator 6"


def _root(path: Path) -> DictionaryObject:
    root = PdfReader(str(path)).trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    return root


def _structure(node: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    """The structure elements under a node of the structure tree."""
    node = node.get_object()
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None and depth < 60:
            for kid in kids if isinstance(kids, list) else [kids]:
                yield from _structure(kid, depth + 1)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_is_tagged_as_pdf_ua(layouts: dict[str, tuple[Any, Path]], lang: str) -> None:
    _, path = layouts[lang]
    root = _root(path)
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert str(root["/Lang"]) == lang
    elements = list(_structure(root["/StructTreeRoot"]))
    tags = {str(e["/S"]) for e in elements}
    assert {"/Document", "/H2", "/P", "/Table", "/TH", "/TD", "/Figure"} <= tags, tags
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) > 15, "the charts"
    assert all(str(e.get("/Alt", "")).strip() for e in figures), "every chart has a text"
    xmp = PdfReader(str(path)).xmp_metadata
    assert xmp is not None
    raw = xmp.rdf_root.toxml()
    assert "pdfuaid" in raw and ("pdfuaid:part>1<" in raw or 'pdfuaid:part="1"' in raw), raw[:600]
    info = PdfReader(str(path)).metadata
    assert info is not None and info.title and "–" in info.title, "the document has a title"
