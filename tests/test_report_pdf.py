"""report.pdf, read back with pypdf: a cover, the contents with page numbers that lead to each
indicator's section, a section per indicator and a page number on every page after the cover.
Where WeasyPrint cannot load Pango, the other outputs are written and the package is named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from jjis.indicators.catalogue import load_catalogue
from jjis.reports import pdf
from jjis.reports.write import write_outputs
from test_report_setup import Report, country, report_en, report_fr  # noqa: F401


@pytest.fixture(scope="module")
def pages(report_en: Report) -> list[str]:  # noqa: F811
    reader = PdfReader(str(report_en.paths.pdf))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def test_the_cover_names_the_country_and_the_census_date(pages: list[str]) -> None:
    assert "JUVENILE JUSTICE INDICATORS" in pages[0].upper()
    assert "Xandria" in pages[0] and "December 31, 2025" in pages[0]
    assert not re.search(r"Page \d+ / \d+", pages[0]), "the cover has no page number"


def test_every_page_after_the_cover_is_numbered(pages: list[str]) -> None:
    for n, text in enumerate(pages[1:], start=2):
        assert f"Page {n} / {len(pages)}" in text, n


def test_the_contents_lead_to_a_section_per_indicator(pages: list[str]) -> None:
    contents = pages[1]
    assert contents.startswith("Contents")
    assert len(pages) >= 2 + 15
    for ind in load_catalogue():
        m = re.search(rf"{ind.id}\. {re.escape(ind.name_en)}[ .]*?(?:Core )?\.*\s*(\d+)",
                      contents)
        assert m, ind.name_en
        page = pages[int(m.group(1)) - 1]
        assert re.search(rf"{ind.id}\. {re.escape(ind.name_en)}", page), (ind.id, page[:200])
        assert "Key figures" in page


def test_the_core_indicators_are_marked_in_the_pdf(pages: list[str]) -> None:
    core = [p for p in pages if "Core indicator" in p and "Key figures" in p]
    assert len(core) == 5


def test_without_pango_the_other_outputs_are_written(report_fr: Report, tmp_path: Path,  # noqa: F811
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pango() -> None:
        raise pdf.PdfUnavailable("report.pdf was not written: WeasyPrint cannot load the Pango "
                                 f"library. Install it (apt-get install {pdf.PANGO_PACKAGES})")

    monkeypatch.setattr(pdf, "_weasyprint", no_pango)
    assert report_fr.paths.model is not None
    paths = write_outputs(report_fr.paths.model, "en", tmp_path, formats=("pdf", "xlsx"))
    assert paths.pdf is None and not (tmp_path / "report.pdf").exists()
    assert paths.xlsx is not None and paths.xlsx.exists()
    assert paths.html is None, "the HTML was only asked for the PDF"
    assert any("libpango-1.0-0" in m for m in paths.missing)


def test_the_missing_library_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def fail(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fail)
    with pytest.raises(pdf.PdfUnavailable, match="apt-get install libpango-1.0-0"):
        pdf._weasyprint()


def test_the_contents_are_numbered_once(pages: list[str]) -> None:
    """Each indicator's entry carries its own number once (not a list number before it)."""
    contents = pages[1]
    assert not re.search(r"\d+\. \d+\. ", contents), contents[:300]  # was "2. 1. Children"
    for ind in load_catalogue():  # one number each, right before the name
        assert len(re.findall(rf"\d+\. {re.escape(ind.name_en)}", contents)) == 1, ind.id
