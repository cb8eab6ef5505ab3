"""Reports people read and figures other systems take: HTML and PDF reports with charts, an
Excel workbook and SDMX, in English and French, all drawn from published figures and the
indicator catalogue (nothing here recomputes an indicator).

    write_report(store, config, census_date, out_dir, area=None, lang="en", compare=())
    export_sdmx(store, config, census_date, out_dir, area=None, compare=())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jjis.reports.write import ReportPaths, SdmxPaths, export_sdmx, write_report

__all__ = ["ReportPaths", "SdmxPaths", "export_sdmx", "write_report"]


def __getattr__(name: str) -> Any:
    """The API loads on first use, so `python -m jjis.reports.i18n` stays light."""
    if name in __all__:
        from jjis.reports import write

        return getattr(write, name)
    raise AttributeError(f"module 'jjis.reports' has no attribute {name!r}")
