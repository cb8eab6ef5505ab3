"""report.pdf: the HTML report laid out for print by WeasyPrint (cover, contents with page
numbers, one section per indicator, page numbers in the footer).

The PDF is tagged for accessibility as PDF/UA-1 (`PDF_VARIANT`): a structure tree of headings,
paragraphs, lists and tables (header cells marked), the document's language (from the page's
`lang`), its title, and a text alternative for every chart (the SVG's `<title>`).

WeasyPrint needs the system's Pango library. Where it cannot be loaded, `write_pdf` raises
`PdfUnavailable`, naming the Debian package to install; the other outputs are written anyway.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
PDF_VARIANT = "pdf/ua-1"


class PdfUnavailable(Exception):
    """WeasyPrint (or the Pango library under it) cannot run here."""


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(
            f"report.pdf was not written: WeasyPrint cannot load the Pango library ({exc}). "
            f"Install it (Debian/Ubuntu: apt-get install {PANGO_PACKAGES}) and run the report "
            "again; the other files were written.") from None
    return weasyprint


def check() -> None:
    """Raise PdfUnavailable, naming the package to install, when WeasyPrint cannot run."""
    _weasyprint()


def render(html: str, base_url: Path) -> Any:
    """The report laid out in pages (a WeasyPrint Document), tagged for PDF/UA."""
    weasyprint = _weasyprint()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html, base_url=str(base_url),
                           url_fetcher=_no_network).render(pdf_variant=PDF_VARIANT)


def write_pdf(html: str, path: Path, *, base_url: Path | None = None,
              document: Any = None) -> Path:
    """Write report.pdf; `document` is the layout of `html` when it was already made."""
    if document is None:
        document = render(html, base_url or path.parent)
    document.write_pdf(str(path), pdf_variant=PDF_VARIANT)
    return path


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """The report is self-contained: refuse anything that would reach outside it."""
    if url.startswith("data:"):
        import weasyprint

        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"the report does not fetch {url}")
