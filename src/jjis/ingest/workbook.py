"""Reading an .xlsx workbook once, within limits checked before any sheet is parsed.

A workbook is a zip: the sizes its members declare are read first, and a workbook that would
unpack to more than `import.workbook_max_unpacked_mb` is refused unparsed. The row and cell
elements of each sheet are counted in its bytes as they unpack (its declared dimension can lie)
and checked against `import.workbook_max_rows` and `import.workbook_max_cells` before the sheet
is parsed; the cell limit holds while it is read too. Only the rows the sheet's XML holds are
read: empty rows between them cost nothing and are counted as blank. A formula cell
without a value computed by the program that wrote it is an error on that cell, never an empty
value.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from jjis.errors import RowError, make_error

# Sheets of the generated entry workbook that guide the clerk and hold the dropdown lists; they
# are no register and are passed over on import (any other sheet not named after a register is
# reported as `unknown-table`).
GUIDE_SHEETS = ("instructions", "lists")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    rows: int = 200_000
    cells: int = 5_000_000
    unpacked_mb: int = 500

    @classmethod
    def of(cls, config: Any) -> Limits:
        if config is None:
            return cls()
        return cls(config["import.workbook_max_rows"], config["import.workbook_max_cells"],
                   config["import.workbook_max_unpacked_mb"])


class Refused(Exception):
    """The workbook or sheet cannot be read: `detail` says why and what to do."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass
class Sheet:
    title: str
    header: list[str] = field(default_factory=list)
    rows: pa.Table | None = None  # every value as text, with `_row`
    blank: int = 0
    errors: list[RowError] = field(default_factory=list)  # cells that cannot be read
    refused: str = ""  # why the sheet cannot be read at all


def cell_text(value: object) -> str | None:
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


def check_unpacked_size(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            size = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"it is not an .xlsx workbook ({exc}); save it from the spreadsheet "
                      "program as an Excel workbook (.xlsx) or as CSV UTF-8") from exc
    if size > limits.unpacked_mb * MB:
        raise Refused(f"it unpacks to {size / MB:,.0f} MB, more than the limit of "
                      f"{limits.unpacked_mb:,} MB (setting import.workbook_max_unpacked_mb); "
                      "save its sheets as CSV files or split it")


_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")


def count_rows_and_cells(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """The row and cell elements a sheet's XML holds, counted in its bytes as they unpack
    (fast, and before any parsing: a sheet's declared dimension can lie)."""
    rows = cells = 0
    tail = b""
    patterns: tuple[tuple[bytes, ...], tuple[bytes, ...]] | None = None
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 22):
            joined = tail + chunk
            if patterns is None:
                found = _PREFIX.search(joined)
                p = found.group(1) or b"" if found else b""
                patterns = ((b"<" + p + b"row ", b"<" + p + b"row>", b"<" + p + b"row/>"),
                            (b"<" + p + b"c ", b"<" + p + b"c>", b"<" + p + b"c/>"))
            rows += sum(joined.count(x) - tail.count(x) for x in patterns[0])
            cells += sum(joined.count(x) - tail.count(x) for x in patterns[1])
            tail = joined[-12:]
    return rows, cells


def _parser_class() -> Any:
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's sheet parser, noting formula cells that hold no computed value."""

        uncomputed: list[tuple[int, int]]

        def parse_cell(self, element: Any) -> Any:
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                self.uncomputed.append((cell["row"], cell["column"]))
            return cell

    return Parser


def _too_many(what: str, n: int, limit: int, setting: str) -> Refused:
    return Refused(f"the sheet holds {n:,} {what}, more than the limit of {limit:,} (setting "
                   f"import.{setting}); save the sheet as a CSV file or split it")


def read_sheet(reader: Any, title: str, member: str, limits: Limits, normalise: Any) -> Sheet:
    """One sheet's header and rows, every cell as text, with its sheet row number."""
    sheet = Sheet(title)
    try:
        rows, cells = count_rows_and_cells(reader.archive, member)
        if rows > limits.rows + 1:
            raise _too_many("rows", rows, limits.rows, "workbook_max_rows")
        if cells > limits.cells:
            raise _too_many("cells", cells, limits.cells, "workbook_max_cells")
        _read_rows(reader, member, limits, normalise, sheet)
    except Refused as exc:
        sheet.refused = exc.detail
        sheet.rows = None
    return sheet


def _read_rows(reader: Any, member: str, limits: Limits, normalise: Any, sheet: Sheet) -> None:
    parser_class, wb = _parser_class(), reader.wb
    with reader.archive.open(member) as src:
        parser = parser_class(src, reader.shared_strings, data_only=True, epoch=wb.epoch,
                              date_formats=wb._date_formats,
                              timedelta_formats=wb._timedelta_formats)
        parser.uncomputed = []
        rows = parser.parse()
        first = next(rows, None)  # the header: the sheet's first row that holds anything
        cells = {c["column"]: c["value"] for c in first[1]} if first else {}
        header_row = first[0] if first else 1
        width = max(cells, default=0)
        header = [normalise(str(cells[i])) if cells.get(i) is not None else ""
                  for i in range(1, width + 1)]
        while header and not header[-1]:
            header.pop()
        sheet.header = header
        if len(set(header)) != len(header):
            return  # refused on its header; rows are not needed
        keep = [(i, h) for i, h in enumerate(header, start=1) if h and not h.startswith("_")
                and not h.startswith(("meta/", "meta.", "formhub/"))]
        columns: dict[str, list[str | None]] = {h: [] for _, h in keep}
        numbers: list[int] = []
        n_cells, last = 1, header_row
        formulas: list[tuple[int, int]] = []
        for number, row in rows:
            n_cells += len(row)
            if n_cells > limits.cells:  # counted before; here in case the count was fooled
                raise _too_many("cells", n_cells, limits.cells, "workbook_max_cells")
            values = {c["column"]: c["value"] for c in row if c["column"] <= len(header)}
            formulas += [(r, c) for r, c in parser.uncomputed if c <= len(header)]
            parser.uncomputed.clear()
            text = {i: cell_text(v) for i, v in values.items()}
            if not any(text.values()) and not (formulas and formulas[-1][0] == number):
                continue
            numbers.append(number)
            last = number
            for i, h in keep:
                columns[h].append(text.get(i))
    sheet.blank = last - header_row - len(numbers)
    sheet.errors = [make_error("formula-without-value", r, header[c - 1], "",
                               detail=_cell_name(r, c)) for r, c in formulas]
    data = {"_row": pa.array(numbers, pa.int64())}
    data.update({h: pa.array(v, pa.string()) for h, v in columns.items()})
    sheet.rows = pa.table(data)


def _cell_name(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def read_sheets(path: Path, limits: Limits, normalise: Any) -> list[Sheet]:
    """Every sheet of the workbook but the guide sheets, read once. Raises Refused when the
    workbook as a whole cannot be read."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    check_unpacked_size(path, limits)
    try:  # openpyxl's reader without its worksheets: they are read here, once, within limits
        reader = ExcelReader(path, read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        members = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                   if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Refused(f"it cannot be read as an .xlsx workbook ({exc}); save it again from the "
                      "spreadsheet program as an Excel workbook (.xlsx)") from exc
    try:
        return [read_sheet(reader, title, member, limits, normalise) for title, member in members
                if title.strip().lower() not in GUIDE_SHEETS]
    finally:
        reader.archive.close()
