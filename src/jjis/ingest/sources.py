"""Finding the registers among the paths given, and reading their headers and rows.

A CSV file is named after its table (`arrests.csv`), optionally followed by a label
(`arrests-station-12.csv`, `arrests_2025.csv`). A workbook holds one sheet per table, named the
same way. A folder is read for both.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from jjis.errors import JjisError
from jjis.schema import TABLES

SEPARATORS = ("-", "_", ".", " ")
# Columns of form exports (ODK, KoboTolbox) that describe the submission, not the child.
FORM_META_PREFIXES = ("_", "meta/", "meta.", "meta-", "formhub/")
# Metadata columns ODK Central writes in its CSV exports (names as normalised): passed over unless
# the register has a column of that name.
FORM_META_COLUMNS = frozenset({
    "submissiondate", "key", "parent_key", "submitterid", "submittername", "attachmentspresent",
    "attachmentsexpected", "status", "reviewstate", "deviceid", "edits", "formversion",
})
# Sheets of the generated entry workbook that guide the clerk and hold the dropdown lists; they
# are no register and are passed over on import (any other sheet not named after a register is
# reported as `unknown-table`).
GUIDE_SHEETS = ("instructions", "lists")


@dataclass
class Source:
    """One table's rows from one file or sheet."""

    path: Path
    table: str | None  # None: the name matches no register
    sheet: str | None = None
    header: list[str] = field(default_factory=list)  # normalised column names
    rows: pa.Table | None = None  # for sheets: every value as text, with `_row`

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.sheet}" if self.sheet else self.path.name


def table_for(name: str) -> str | None:
    """The register a file or sheet name stands for, the longest table name first. A label that
    is itself a register's name names that register: ODK Central exports a form's repeat group
    as `<form_id>-<repeat>.csv` (`detentions-family_contacts.csv`)."""
    stem = name.strip().lower()
    for table in sorted(TABLES, key=len, reverse=True):
        if stem == table or (stem.startswith(table) and stem[len(table)] in SEPARATORS):
            rest = stem[len(table) + 1:]
            return rest if rest in TABLES else table
    return None


def normalise(name: str) -> str:
    """A header as a column name: trimmed, lower-case; a form export's group path
    (`child/child_id` in KoboToolbox, `child-child_id` in ODK Central, `child:child_id`) keeps its
    last part. No register column has a `-` in its name."""
    col = name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")
    if col.startswith(FORM_META_PREFIXES):
        return col
    for sep in ("/", ":", "-"):
        col = col.rsplit(sep, 1)[-1]
    return col


def discover(paths: list[str | Path]) -> list[Source]:
    """Every source among the paths, reference tables first (the order of paths does not matter)."""
    found: list[Source] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise JjisError(f"{p} does not exist; give a CSV file, an .xlsx workbook or a folder")
        files = sorted(p.iterdir()) if p.is_dir() else [p]
        for f in files:
            suffix = f.suffix.lower()
            if suffix == ".csv":
                found.append(Source(f, table_for(f.stem)))
            elif suffix == ".xlsx":
                found.extend(read_workbook(f))
            elif not p.is_dir():
                raise JjisError(f"{f} is neither a .csv file nor an .xlsx workbook")
    order = {name: t.load_order for name, t in TABLES.items()}
    return sorted(found, key=lambda s: (order.get(s.table or "", 99), s.table or "", s.label))


def read_csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        first = next(csv.reader(fh), [])
    return [normalise(c) for c in first]


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_workbook(path: Path) -> list[Source]:
    """Each sheet named after a table, every cell as text, with its sheet row number."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise JjisError(f"{path} cannot be read as an .xlsx workbook ({exc})") from exc
    sources = []
    for ws in wb.worksheets:
        if ws.title.strip().lower() in GUIDE_SHEETS:
            continue
        rows = ws.iter_rows(values_only=True)
        header = [normalise(str(c)) if c is not None else "" for c in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        if len(set(header)) != len(header):  # refused on its header; rows are not needed
            sources.append(Source(path, table_for(ws.title), ws.title, header, None))
            continue
        columns: dict[str, list[str | None]] = {h: [] for h in header}
        numbers: list[int] = []
        for number, row in enumerate(rows, start=2):
            cells = [_cell_text(v) for v in row[: len(header)]]
            if not any(cells):
                continue
            cells += [None] * (len(header) - len(cells))
            numbers.append(number)
            for h, v in zip(header, cells, strict=True):
                columns[h].append(v)
        data = {"_row": pa.array(numbers, pa.int64())}
        data.update({h: pa.array(v, pa.string()) for h, v in columns.items() if h})
        sources.append(Source(path, table_for(ws.title), ws.title, header, pa.table(data)))
    wb.close()
    return sources
