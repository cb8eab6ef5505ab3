"""registers.xlsx: the entry workbook, one sheet per register named after its table.

Row 1 of each sheet is the column names import reads; below it the clerk types one record per
row. Code and yes/no columns have a dropdown (data validation list) fed from the hidden `Lists`
sheet, dates and whole numbers are validated, each header cell carries the column's meaning as a
note, and an input and an error message in the chosen language say what is allowed. Import passes
over the `Instructions` and `Lists` sheets (ingest/sources.py GUIDE_SHEETS) and reads the rest as
it reads any workbook, so a value pasted past a dropdown is rejected row by row as in a CSV file.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jjis.forms.labels import Labels
from jjis.forms.lists import References, choices, registers, schema_version
from jjis.schema import Column, Table
from jjis.settings import Config

ROWS = 5000  # rows of each sheet that carry the validation (more can be typed below, unchecked)
TITLE_MAX, MESSAGE_MAX = 32, 255  # Excel's limits on a validation's title and message
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
REQUIRED_FILL = PatternFill("solid", fgColor="F7DDB6")


def write_workbook(path: Path, lang: str, config: Config, refs: References) -> Path:
    labels = Labels(lang)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = "Instructions"
    lists = wb.create_sheet("Lists")
    columns_used = _ListColumns(lists, labels)
    tables = registers(for_facility=bool(refs.names))
    for table in tables:
        _register_sheet(wb.create_sheet(table.name), table, labels, config, refs, columns_used)
    _instructions(guide, tables, labels, refs)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


class _ListColumns:
    """The `Lists` sheet: one pair of columns (value, label) per list, each list written once."""

    def __init__(self, ws: Worksheet, labels: Labels) -> None:
        self.ws, self.labels = ws, labels
        self.ranges: dict[tuple[tuple[str, str], ...], str] = {}

    def range_for(self, name: str, values: list[tuple[str, str]]) -> str:
        key = tuple(values)
        if key not in self.ranges:
            col = 2 * len(self.ranges) + 1
            self.ws.cell(1, col, name).font = Font(bold=True)
            self.ws.cell(1, col + 1, self.labels.text("label")).font = Font(bold=True)
            for i, (value, label) in enumerate(values, start=2):
                self.ws.cell(i, col, value)
                self.ws.cell(i, col + 1, label)
            letter = get_column_letter(col)
            end = len(values) + 1
            self.ranges[key] = f"{quote_sheetname(self.ws.title)}!${letter}$2:${letter}${end}"
        return self.ranges[key]


def _register_sheet(ws: Worksheet, table: Table, labels: Labels, config: Config,
                    refs: References, lists: _ListColumns) -> None:
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(1, i, col.name)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        note = f"{labels.column(col)}: {labels.hint(col)}"
        if col.required:
            note += f" ({labels.text('required')})"
        cell.comment = Comment(note, "jjis", width=260, height=110)
        ws.column_dimensions[letter].width = max(len(col.name), len(labels.column(col))) + 4
        dv = _validation(col, labels, config, refs, lists)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{ROWS + 1}")
        fmt = _number_format(col)
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "1F4E79" if table.child_level else "7F7F7F"


def _number_format(col: Column) -> str | None:
    if col.kind == "date":
        return "yyyy-mm-dd"
    if col.kind in ("text", "child", "offence"):
        return "@"  # kept as typed: an offence code 01 or an id 007 is not read as a number
    return None


def _validation(col: Column, labels: Labels, config: Config, refs: References,
                lists: _ListColumns) -> DataValidation | None:
    title = labels.column(col)[:TITLE_MAX]
    values = choices(col, labels, config, refs)
    if values is not None:
        shown = ", ".join(f"{v} = {lbl}" if v != lbl else v for v, lbl in values)
        dv = DataValidation(type="list", formula1=lists.range_for(col.name, values),
                            allow_blank=True, showDropDown=False)
        prompt = f"{labels.hint(col)}. {labels.text('Choose from the list')}: {shown}"
        error = f"{labels.text('Choose a value from the list')}: {shown}"
        dv.errorStyle = "warning" if col.open_codes else "stop"
    elif col.kind == "date":
        top = "DATE(2100,12,31)" if col.future_ok else "TODAY()"
        dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                            formula2=top, allow_blank=True)
        prompt = f"{labels.hint(col)}. {labels.text('A date, written YYYY-MM-DD')}"
        error = labels.text("Type a date written YYYY-MM-DD, e.g. 2025-12-31" if col.future_ok else
                            "Type a date written YYYY-MM-DD, not after today, e.g. 2025-12-31")
    elif col.kind == "integer":
        lo = col.minimum if col.minimum is not None else -(10 ** 9)
        hi = col.maximum if col.maximum is not None else 10 ** 9
        dv = DataValidation(type="whole", operator="between", formula1=str(lo), formula2=str(hi),
                            allow_blank=True)
        bounds = _bounds(col, labels)
        prompt = f"{labels.hint(col)}. {labels.text('A whole number')} {bounds}".strip()
        error = f"{labels.text('Type a whole number')} {bounds}".strip()
    else:
        return None
    dv.promptTitle, dv.errorTitle = title, title
    dv.prompt, dv.error = _fit(prompt), _fit(error)
    dv.showInputMessage = dv.showErrorMessage = True
    return dv


def _bounds(col: Column, labels: Labels) -> str:
    if col.minimum is not None and col.maximum is not None:
        return labels.text("from {lo} to {hi}").format(lo=col.minimum, hi=col.maximum)
    if col.minimum is not None:
        return labels.text("of {lo} or more").format(lo=col.minimum)
    return ""


def _fit(text: str) -> str:
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


def _instructions(ws: Worksheet, tables: list[Table], labels: Labels, refs: References) -> None:
    t = labels.text
    lines = [
        (t("Entry workbook of the registers"), True),
        (f"{t('Schema version')}: {schema_version()}", False),
        ("", False),
        (t("One sheet per register, named after its table. Row 1 holds the column names that "
           "import reads: do not rename the sheets or change row 1."), False),
        (t("Type one record per row, below row 1. Orange columns are required. Point at a "
           "column's name to read what it means."), False),
        (t("Choose codes from the dropdowns. Type dates as YYYY-MM-DD (e.g. 2025-12-31) and whole "
           "numbers without spaces."), False),
        (t("Leave the sheets you do not keep empty. Send the workbook as it is, or import it with "
           "`jjis import registers.xlsx`; rows that are rejected are listed with their row number "
           "and what is wrong, and can be corrected and sent again."), False),
        (t("The child's number is the one your register uses: it is replaced by a keyed code "
           "before anything is stored. Never add names, addresses or telephone numbers."), False),
    ]
    if refs.names:
        lines.append((f"{t('For the facilities')}: {', '.join(refs.names)}", False))
    lines += [("", False), (t("Registers"), True)]
    lines += [(f"{tb.name}: {labels.table(tb)} — {labels.table_help(tb)}", False) for tb in tables]
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text)
        cell.font = Font(bold=bold, size=14 if i == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120
