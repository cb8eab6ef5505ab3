"""indicators.xlsx: a summary sheet, native Excel charts of the core indicators, one sheet per
indicator with every published figure (all census dates, areas and breakdowns), and a metadata
sheet (definitions, counting rules, sources, settings, provenance).

An indicator sheet has one line per area, breakdown value and statistic, with a column of values
per census date (headed YYYY-MM-DD) and, for the report's census date, the interval, numerator,
denominator, coverage and notes. Values are numbers with number formats; a withheld value is
written as it is shown (`<5`, `x`). Headers are frozen and filterable.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.publish.provenance import program_version
from jjis.reports import notes
from jjis.reports.formatting import Lang
from jjis.reports.i18n import N_
from jjis.reports.model import ReportModel, Section, key_of
from jjis.reports.xlsx_sheets import charts_sheet, metadata_sheet
from jjis.textcells import neutral

NUMBER_FORMATS = {"per_100000": "#,##0.0", "per_1000": "#,##0.0", "percent": "0.0",
                  "days": "#,##0.0", "count": "#,##0"}

# The columns of an indicator sheet: (header message, width); the census dates' values come
# between the FIRST and the REST columns, headed by the dates in ISO form (YYYY-MM-DD).
FIRST: tuple[tuple[str, int], ...] = (
    (N_("Area"), 22), (N_("Area code"), 11), (N_("Breakdown"), 13),
    (N_("Breakdown value"), 26), (N_("Measure"), 44),
)
REST: tuple[tuple[str, int], ...] = (
    (N_("95% interval, low"), 11), (N_("95% interval, high"), 11), (N_("Numerator"), 11),
    (N_("Denominator"), 12), (N_("Sources that sent data"), 10), (N_("Sources registered"), 10),
)
OPTIONAL: tuple[tuple[str, str, int], ...] = (  # shown where an indicator's figures have them
    ("unknown", N_("Left out: unknown"), 10), ("over_age", N_("Left out: 18 or older"), 10),
    ("events", N_("Events"), 9),
)
NOTES = (N_("Notes"), 60)
CODES: tuple[tuple[str, int], ...] = (  # after the notes: the codes, for filters and formulas
    (N_("Breakdown code"), 12), (N_("Value code"), 10), (N_("Statistic code"), 20),
)
DATE_WIDTH = 12


class _Formats:
    def __init__(self, wb: Workbook) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": "#E8EEF2", "text_wrap": True,
                                     "valign": "top", "bottom": 1})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.bold = wb.add_format({"bold": True})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.withheld = wb.add_format({"font_color": "#B5561B", "bold": True, "align": "right"})
        self.numbers = {u: wb.add_format({"num_format": f}) for u, f in NUMBER_FORMATS.items()}
        self.general = wb.add_format({"num_format": "#,##0.###"})

    def number(self, unit: str) -> Any:
        return self.numbers.get(unit, self.general)


SHEET_NAME_LIMIT = 31  # Excel's
# Words a shortened sheet name does not end on ("1 Children in conflict with the" becomes
# "1 Children in conflict"), English and French.
TRAILING = frozenset((
    "a", "after", "an", "and", "at", "before", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "under", "with", "without",
    "à", "après", "au", "aux", "avant", "avec", "d'", "dans", "de", "des", "du", "en", "et", "l'",
    "la", "le", "les", "ou", "par", "pour", "sur", "un", "une"))


def _whole_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, without a dangling little
    word at the end; a single word longer than the limit is cut, there being no other way."""
    if len(text) <= limit:
        return text
    words = text[:limit + 1].split(" ")[:-1] if " " in text[:limit + 1] else []
    while len(words) > 1 and words[-1].lower().rstrip(",;–-") in TRAILING | {""}:
        words.pop()
    shortened = " ".join(words).rstrip(",;:–- ")
    return shortened or text[:limit]


def _sheet_name(text: str, taken: set[str]) -> str:
    """An Excel sheet name from a title: no characters Excel refuses, at most 31 characters
    cut at whole words, unique (case-insensitive) with a number added when needed."""
    clean = " ".join("".join(c for c in text if c not in "[]:*?/\\").split())
    name, k = _whole_words(clean, SHEET_NAME_LIMIT), 2
    while name.lower() in taken:
        suffix = f" ({k})"
        name = _whole_words(clean, SHEET_NAME_LIMIT - len(suffix)) + suffix
        k += 1
    taken.add(name.lower())
    return name


def _value(f: Figure, lang: Lang) -> Any:
    shown = shown_value(f)
    if shown is not None:
        return shown
    if f.unit == "answer":
        return lang.answer(f.answer) if f.answer else None
    return f.value


def _order(model: ReportModel) -> dict[str, int]:
    """Areas in hierarchy order: the report's area, then depth by depth, by code."""
    ordered = sorted(model.areas.values(), key=lambda a: (a.depth, a.id))
    return {a.id: i for i, a in enumerate(ordered)}


Line = tuple[str, str, str, str]  # area, dimension, value, statistic


def indicator_lines(model: ReportModel, section: Section) -> list[tuple[Line, dict[date, Figure]]]:
    """The lines of an indicator sheet: one per area, breakdown value and statistic, with the
    figure of each census date."""
    area_rank = _order(model)
    stats = list(section.indicator.statistics)
    lines: dict[Line, dict[date, Figure]] = {}
    for d in model.dates:
        for f in model.figures[d]:
            if f.indicator == section.id and f.area in area_rank:
                _, stat, area, _, dim, value = key_of(f)
                lines.setdefault((area, dim, value, stat), {})[d] = f
    return sorted(lines.items(), key=lambda kv: (
        area_rank[kv[0][0]], kv[0][1] != "", kv[0][1], kv[0][2], stats.index(kv[0][3])))


class _Sheet:
    """Writes the lines of one indicator sheet."""

    def __init__(self, ws: Worksheet, model: ReportModel, lang: Lang, fmt: _Formats,
                 indicator: int, optional: list[tuple[str, str, int]]) -> None:
        self.ws, self.model, self.lang, self.fmt = ws, model, lang, fmt
        self.indicator = indicator
        self.optional = optional
        self.first_date = len(FIRST)
        self.rest = self.first_date + len(model.dates)
        self.notes = self.rest + len(REST) + len(optional)
        self.noted: dict[str, str] = {}

    def headers(self) -> None:
        ws, fmt, lang = self.ws, self.fmt, self.lang
        columns = [(lang.gettext(h), w) for h, w in FIRST]
        columns += [(d.isoformat(), DATE_WIDTH) for d in self.model.dates]
        columns += [(lang.gettext(h), w) for h, w in REST]
        columns += [(lang.gettext(h), w) for _, h, w in self.optional]
        columns += [(lang.gettext(NOTES[0]), NOTES[1])]
        columns += [(lang.gettext(h), w) for h, w in CODES]
        for c, (header, width) in enumerate(columns):
            ws.write_string(0, c, header, fmt.header)
            ws.set_column(c, c, width)

    def line(self, r: int, line: Line, figures: dict[date, Figure]) -> None:
        ws, lang, model = self.ws, self.lang, self.model
        area, dim, value, stat = line
        ws.write_row(r, 0, [model.areas[area].name, area, lang.dimension(dim),
                            lang.breakdown_value(dim, value),
                            lang.statistic(self.indicator, stat)])
        ws.write_row(r, self.notes + 1, [dim, value, stat])
        for c, d in enumerate(model.dates, start=self.first_date):
            if d in figures:
                _cell(ws, r, c, figures[d], lang, self.fmt)
        main = figures.get(model.census_date)
        if main is None:
            return
        number = self.fmt.number(main.unit)
        for c, v in enumerate((main.ci_low, main.ci_high), start=self.rest):
            if v is not None:
                ws.write_number(r, c, v, number)
        ws.write_row(r, self.rest + 2, [main.numerator, main.denominator, main.coverage_reported,
                                        main.coverage_expected,
                                        *[getattr(main, name) for name, _, _ in self.optional]])
        if main.note:
            if main.note not in self.noted:
                self.noted[main.note] = " ".join(notes.note_text(main.note, lang, model.threshold))
            if self.noted[main.note]:
                ws.write_string(r, self.notes, self.noted[main.note])


def _indicator_sheet(wb: Workbook, name: str, section: Section, model: ReportModel,
                     lang: Lang, fmt: _Formats) -> None:
    lines = indicator_lines(model, section)
    main = [f for _, figures in lines if (f := figures.get(model.census_date)) is not None]
    optional = [o for o in OPTIONAL if any(getattr(f, o[0]) is not None for f in main)]
    sheet = _Sheet(wb.add_worksheet(name), model, lang, fmt, section.id, optional)
    sheet.headers()
    for r, (line, figures) in enumerate(lines, start=1):
        sheet.line(r, line, figures)
    sheet.ws.freeze_panes(1, 1)
    sheet.ws.autofilter(0, 0, max(len(lines), 1), sheet.notes + len(CODES))


def _summary_sheet(wb: Workbook, model: ReportModel, lang: Lang, fmt: _Formats,
                   names: dict[int, str]) -> None:
    ws = wb.add_worksheet(_sheet_name(lang.gettext("Summary"), set()))
    ws.write_string(0, 0, f"{lang.gettext('Juvenile justice indicators')} – {model.area.name}",
                    fmt.title)
    start, end = model.period
    ws.write_string(1, 0, "; ".join((
        lang.labelled(lang.gettext("Census date"), lang.date(model.census_date)),
        lang.labelled(lang.gettext("Period"), f"{lang.date(start)} – {lang.date(end)}"))))
    headers = ["#", lang.gettext("Indicator"), lang.gettext("Core"), lang.gettext("Measure"),
               *[d.isoformat() for d in model.dates], lang.gettext("95% interval, low"),
               lang.gettext("95% interval, high"), lang.gettext("Sources that sent data"),
               lang.gettext("Sheet")]
    ws.write_row(3, 0, headers, fmt.header)
    for i, s in enumerate(model.sections, start=4):
        ws.write_row(i, 0, [s.id, lang.indicator_text(s.indicator, "name"),
                            lang.gettext("Core") if s.indicator.core else "",
                            lang.statistic(s.id, s.headline)])
        trend = {f.census_date: f for f in s.trend}
        for c, d in enumerate(model.dates, start=4):
            f = trend.get(d)
            if f is not None:
                _cell(ws, i, c, f, lang, fmt)
        head = model.headline(s)
        c = 4 + len(model.dates)
        if head is not None and not head.suppressed:
            for k, v in enumerate((head.ci_low, head.ci_high)):
                if v is not None:
                    ws.write_number(i, c + k, v, fmt.number(head.unit))
        ws.write_string(i, c + 2, lang.coverage(head) if head else "")
        ws.write_url(i, c + 3, f"internal:'{names[s.id]}'!A1", string=names[s.id])
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 42)
    ws.set_column(3, 3, 52)
    ws.set_column(4, 6 + len(model.dates), 13)
    ws.set_column(7 + len(model.dates), 7 + len(model.dates), 28)
    ws.freeze_panes(4, 2)


def _cell(ws: Worksheet, r: int, c: int, f: Figure, lang: Lang, fmt: _Formats) -> None:
    value = _value(f, lang)
    if isinstance(value, str):
        ws.write_string(r, c, value, fmt.withheld if f.suppressed else None)
    elif value is not None:
        ws.write_number(r, c, value, fmt.number(f.unit))


class TextSheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose text cells never start a formula (see jjis.textcells)."""

    def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        return int(super()._write_string(row, col, neutral(string), cell_format))


def write_xlsx(model: ReportModel, lang: Lang, path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False, "strings_to_formulas": False,
                                         "default_date_format": "yyyy-mm-dd"})
    wb.worksheet_class = TextSheet  # names of areas and facilities never become formulas
    wb.set_properties({"title": f"{lang.gettext('Juvenile justice indicators')} – "
                                f"{model.area.name} – {model.census_date.isoformat()}",
                       "comments": f"jjis {program_version()}; definitions "
                                   f"{model.catalogue.version}"})
    fmt = _Formats(wb)
    taken = {lang.gettext("Summary").lower(), lang.gettext("Charts").lower(),
             lang.gettext("Metadata").lower()}
    names = {s.id: _sheet_name(f"{s.id} {lang.indicator_text(s.indicator, 'name')}", taken)
             for s in model.sections}
    _summary_sheet(wb, model, lang, fmt, names)
    charts_sheet(wb, model, lang, fmt)
    for s in model.sections:
        _indicator_sheet(wb, names[s.id], s, model, lang, fmt)
    titles = {s.id: f"{s.id} {lang.indicator_text(s.indicator, 'name')}" for s in model.sections}
    metadata_sheet(wb, model, lang, fmt, [(names[i], titles[i]) for i in names])
    wb.close()
    return path
