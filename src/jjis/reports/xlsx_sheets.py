"""The Charts and Metadata sheets of indicators.xlsx.

Charts: for each core indicator with a number to chart, its data (the headline figure by area,
by sex and over the census dates) and native Excel charts drawn from those cells. Metadata: the
definitions and counting rules of the catalogue, the sources (register rows in the data
snapshot), the settings and the provenance of every census date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from jjis.indicators.results import Figure
from jjis.publish.provenance import program_version
from jjis.reports import labels
from jjis.reports.formatting import Lang
from jjis.reports.model import ReportModel, Section

CHART_COLOR = "#1D5B86"


def _block(ws: Worksheet, r: int, title: str, rows: list[tuple[str, Figure | None]],
           lang: Lang, fmt: Any) -> tuple[int, int]:
    """Write a block: label, value (empty when withheld, so no bar is drawn), value as shown.
    Returns the first and last data rows."""
    ws.write_string(r, 0, title, fmt.bold)
    ws.write_string(r, 2, lang.gettext("As shown"), fmt.bold)
    for k, (label, f) in enumerate(rows, start=1):
        ws.write_string(r + k, 0, label)
        if f is None:
            continue
        if not f.suppressed and f.value is not None:
            ws.write_number(r + k, 1, f.value, fmt.number(f.unit))
        ws.write_string(r + k, 2, lang.value(f), fmt.withheld if f.suppressed else None)
    return r + 1, r + len(rows)


def _chart(wb: Workbook, kind: str, sheet: str, first: int, last: int, title: str,
           y_title: str) -> Any:
    chart = wb.add_chart({"type": kind})
    series: dict[str, Any] = {
        "categories": [sheet, first, 0, last, 0], "values": [sheet, first, 1, last, 1],
        "name": title, "data_labels": {"value": True},
    }
    if kind == "line":
        series["marker"] = {"type": "circle", "size": 6}
        series["line"] = {"color": CHART_COLOR}
    else:
        series["fill"] = {"color": CHART_COLOR}
    chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    axis = {"name": y_title, "name_font": {"size": 9, "bold": False}, "major_gridlines":
            {"visible": True, "line": {"color": "#DDDDDD"}}}
    if kind == "bar":
        chart.set_x_axis(axis)
        chart.set_y_axis({"reverse": True})
    else:
        chart.set_y_axis(axis)
    chart.set_size({"width": 560, "height": 300 if kind != "bar" else 120 + 22 * (last - first + 1)})
    return chart


def _core_blocks(section: Section, model: ReportModel, lang: Lang
                 ) -> list[tuple[str, str, list[tuple[str, Figure | None]]]]:
    blocks = []
    if section.levels:
        lv = section.levels[0]
        blocks.append(("bar", lang._("Comparison of areas: {level}", level=lang.level(lv.level)),
                       [(model.areas[r.code].name, r.get(section.headline)) for r in lv.rows]))
    for b in section.breakdowns:
        if b.dim == "sex":
            blocks.append(("column", lang.by("sex"),
                           [(lang.breakdown_value("sex", r.code), r.get(section.headline))
                            for r in b.rows]))
    if len(section.trend) > 1:
        blocks.append(("line", lang.gettext("Trend over the census dates"),
                       [(lang.short_date(f.census_date), f) for f in section.trend]))
    return blocks


def charts_sheet(wb: Workbook, model: ReportModel, lang: Lang, fmt: Any) -> None:
    name = lang.gettext("Charts")
    ws = wb.add_worksheet(name)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 14)
    r = 0
    for section in model.core:
        if section.indicator.statistics[section.headline] == "answer":
            continue
        heading = f"{section.id}. {lang.indicator_text(section.indicator, 'name')}"
        ws.write_string(r, 0, heading, fmt.title)
        ws.write_string(r + 1, 0, lang.statistic(section.id, section.headline))
        r += 3
        for kind, title, rows in _core_blocks(section, model, lang):
            first, last = _block(ws, r, title, rows, lang, fmt)
            chart = _chart(wb, kind, name, first, last, f"{section.id}. {title}",
                           lang.statistic(section.id, section.headline))
            ws.insert_chart(r, 3, chart, {"x_offset": 10, "y_offset": 0})
            r = max(last + 2, r + int(chart.height / 20) + 2)
        r += 1


def _table(ws: Worksheet, r: int, title: str, headers: list[str], rows: list[list[Any]],
           fmt: Any) -> int:
    ws.write_string(r, 0, title, fmt.title)
    ws.write_row(r + 1, 0, headers, fmt.header)
    for k, row in enumerate(rows, start=r + 2):
        for c, v in enumerate(row):
            if isinstance(v, str) and len(v) > 60:
                ws.write_string(k, c, v, fmt.wrap)
            else:
                ws.write(k, c, v)
    return r + len(rows) + 3


def settings_rows(model: ReportModel) -> list[tuple[str, str]]:
    """(name, value as JSON) of every setting the figures were computed with."""
    return [(k, json.dumps(v, ensure_ascii=False)) for k, v in model.config.as_dict().items()]


def metadata_sheet(wb: Workbook, model: ReportModel, lang: Lang, fmt: Any,
                   sheets: Sequence[tuple[str, str]] = ()) -> None:
    """`sheets`: (sheet name, full title) of each indicator sheet, listed first."""
    ws = wb.add_worksheet(lang.gettext("Metadata"))
    for c, w in enumerate((6, 34, 8, 22, 48, 48, 48, 90, 30)):
        ws.set_column(c, c, w)
    _ = lang.gettext
    definitions = [[i.id, lang.indicator_text(i, "name"), _("Core") if i.core else "",
                    f"{_(labels.TYPES[i.type])}; {_(labels.TIMINGS[i.timing])}",
                    lang.indicator_text(i, "sentence"), lang.indicator_text(i, "numerator"),
                    lang.indicator_text(i, "denominator"),
                    " ".join(lang.indicator_text(i, "rules").replace("`", "").split()),
                    i.sdmx_code] for i in model.catalogue]
    r = _table(ws, 0, _("Sheets"), [_("Sheet"), _("Full title")], [list(s) for s in sheets],
               fmt) if sheets else 0
    r = _table(ws, r, _("Definitions and counting rules"),
               ["#", _("Indicator"), _("Core"), _("Kind"), _("Definition"), _("Numerator"),
                _("Denominator"), _("Counting rules"), _("SDMX code")], definitions, fmt)
    t = model.threshold
    ws.write_string(r, 0, _("Disclosure control"), fmt.title)
    ws.write_string(r + 1, 0, lang._("Counts from 1 to {t1} are shown as {mark}; figures built on "
                                     "them are withheld; x marks secondary suppression.",
                                     t1=t - 1, mark="<" + str(t)))
    r += 3
    main = model.manifests.get(model.census_date)
    tables = main.tables if main else {}
    sources = [[_(labels.REGISTERS.get(k, k)), k, int(v[0])] for k, v in sorted(tables.items())]
    r = _table(ws, r, _("Sources: registers in the data snapshot"),
               [_("Register"), _("Table"), _("Rows")], sources, fmt)
    r = _table(ws, r, _("Settings"), [_("Setting"), _("Value")],
               [list(row) for row in settings_rows(model)], fmt)
    provenance = []
    for d in model.dates:
        m = model.manifests.get(d)
        provenance.append([d.isoformat(), m.run_id if m else "", m.created_at if m else "",
                           m.snapshot if m else "", m.catalogue_version if m else
                           model.catalogue.version, m.program_version if m else program_version(),
                           (m.area or model.area.id) if m else model.area.id,
                           ", ".join(m.by) if m else ""])
    _table(ws, r, _("Provenance"),
           [_("Census date"), _("Run"), _("Computed at (UTC)"), _("Data snapshot"),
            _("Definitions"), _("Program"), _("Area"), _("Breakdowns")], provenance, fmt)
