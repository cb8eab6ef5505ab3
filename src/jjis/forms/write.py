"""`jjis forms`: every collection tool for one language into one folder.

    DIR/workbook/registers.xlsx     the entry workbook (workbook.py)
    DIR/xlsform/<table>.xlsx        an XLSForm per register a facility keeps (xlsform.py)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jjis.forms.labels import check_language
from jjis.forms.lists import references
from jjis.forms.workbook import write_workbook
from jjis.forms.xlsform import write_xlsforms
from jjis.settings import Config
from jjis.store import Store


@dataclass
class FormsPaths:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def write_forms(out: Path, *, lang: str = "en", config: Config | None = None,
                store: Store | None = None, facilities: list[str] | None = None) -> FormsPaths:
    """Write the tools; `facilities` limits the facility and area lists (needs `store`)."""
    check_language(lang)
    cfg = config or Config()
    refs = references(store, list(facilities or []))
    paths = FormsPaths(out)
    paths.written.append(write_workbook(out / "workbook" / "registers.xlsx", lang, cfg, refs))
    paths.written += write_xlsforms(out / "xlsform", cfg, refs)
    return paths
