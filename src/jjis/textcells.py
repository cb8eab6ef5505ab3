"""Text cells written to CSV and XLSX files are never formulas (OWASP, CSV injection).

A text value that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
formula by a spreadsheet program; it is written with a single quote in front (`'=1+1`), which
the program shows as the text itself. Plain numbers (`-12`, `+3.5`) stay as they are. On import,
one leading quote before one of those characters is taken away again, so that a file written by
jjis (a quarantine export) reads back as it was.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def neutral(value: Any) -> Any:
    """The value as a cell may hold it: text that would start a formula gets a leading quote."""
    if not isinstance(value, str) or len(value) < 2 or not value.startswith(TRIGGERS):
        return value
    return value if _NUMBER.fullmatch(value) else "'" + value


def neutral_row(values: list[Any]) -> list[Any]:
    return [neutral(v) for v in values]


def neutralise_csv(path: Path) -> None:
    """Rewrite a CSV file written by another library (sdmx1's SDMX-CSV) with every cell neutral,
    keeping its dialect's defaults (comma, minimal quoting, its line ends as written)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(neutral_row(r) for r in rows)
