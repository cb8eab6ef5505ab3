"""`jjis forms`: every collection tool for one language into one folder.

    DIR/workbook/registers.xlsx     the entry workbook (workbook.py)
    DIR/xlsform/<table>.xlsx        an XLSForm per register a facility keeps (xlsform.py)
    DIR/paper/<table>.pdf           printable register pages, and paper/facility-return.pdf
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jjis.forms.labels import check_language
from jjis.forms.lists import references
from jjis.forms.paper import write_paper
from jjis.forms.workbook import write_workbook
from jjis.forms.xlsform import write_xlsforms
from jjis.settings import Config
from jjis.store import Store


@dataclass
class FormsPaths:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


TOOLS = ("workbook", "xlsform", "paper")


def write_forms(out: Path, *, lang: str = "en", config: Config | None = None,
                store: Store | None = None, facilities: list[str] | None = None,
                tools: tuple[str, ...] = TOOLS) -> FormsPaths:
    """Write the tools; `facilities` limits the facility and area lists (needs `store`)."""
    check_language(lang)
    cfg = config or Config()
    refs = references(store, list(facilities or []))
    paths = FormsPaths(out)
    if "workbook" in tools:
        paths.written.append(write_workbook(out / "workbook" / "registers.xlsx", lang, cfg, refs))
    if "xlsform" in tools:
        paths.written += write_xlsforms(out / "xlsform", cfg, refs)
    if "paper" in tools:
        paths.written += write_paper(out / "paper", lang, cfg, refs)
    return paths
