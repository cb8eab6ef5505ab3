"""report.html: the whole report in one self-contained file (inline CSS and SVG, no script).

The PDF is the same HTML laid out for print (pdf.py), so this module is also its first half.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from jjis.indicators.catalogue import Indicator
from jjis.indicators.results import Figure
from jjis.publish.provenance import program_version
from jjis.reports import charts, labels, maps
from jjis.reports.formatting import Lang, figure_key, raw_value
from jjis.reports.model import ReportModel, Row, Section
from jjis.reports.notes import section_notes


@dataclass
class SectionView:
    """What a section shows beside its figures: the rendered charts and the notes."""

    breakdowns: dict[str, str] = field(default_factory=dict)
    levels: dict[int, str] = field(default_factory=dict)
    trend: str = ""
    bands: str = ""
    maps: dict[int, str] = field(default_factory=dict)  # level depth -> choropleth
    notes: list[str] = field(default_factory=list)


def _axis_title(section: Section, lang: Lang) -> str:
    return lang.statistic(section.id, section.headline)


def _bars(section: Section, rows: list[Row], label: Callable[[str], str], lang: Lang) -> str:
    bars = [charts.Bar(label(r.code), r.get(section.headline)) for r in rows]
    return charts.bars(bars, _axis_title(section, lang), lang)


def _value_labeller(dim: str, model: ReportModel, lang: Lang) -> Callable[[str], str]:
    def label(value: str) -> str:
        return lang.breakdown_value(dim, value, short=True)

    return label


def section_view(section: Section, model: ReportModel, lang: Lang) -> SectionView:
    view = SectionView(notes=section_notes(section, model, lang))
    if section.indicator.statistics[section.headline] == "answer":
        return view
    for b in section.breakdowns:
        view.breakdowns[b.dim] = _bars(section, b.rows, _value_labeller(b.dim, model, lang), lang)
    for lv in section.levels:
        view.levels[lv.depth] = _bars(section, lv.rows, lambda a: model.areas[a].name, lang)
        drawn = [maps.MapArea(r.code, model.areas[r.code].name, model.boundaries[r.code],
                              maps.status_of(r.get(section.headline)),
                              maps.value_of(r.get(section.headline)),
                              maps.text_of(r.get(section.headline), lang))
                 for r in lv.rows if r.code in model.boundaries]
        if drawn:
            view.maps[lv.depth] = maps.choropleth(
                drawn, lang.level(lv.level), maps.legend_words(lang, _axis_title(section, lang)),
                lang, prefix=f"map-{section.id}-{lv.depth}")
    if len(section.trend) > 1:
        unit = section.indicator.statistics[section.headline]
        view.trend = charts.trend(section.trend, lang.unit(unit), lang)
    if section.bands:
        bars = []
        for band, ended, held in section.bands:
            name = lang.gettext(labels.BAND_LABELS[band])
            bars.append(charts.Bar(name, ended, lang.gettext(labels.BAND_SERIES["band_"])))
            bars.append(charts.Bar(name, held, lang.gettext(labels.BAND_SERIES["on_census_band_"])))
        view.bands = charts.grouped_bars(bars, lang.gettext("Children"), lang)
    return view


def _environment() -> Environment:
    return Environment(loader=PackageLoader("jjis.reports", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=False,
                       lstrip_blocks=False)


def _css() -> Markup:
    return Markup((Path(__file__).parent / "templates" / "report.css").read_text("utf-8"))


def _paragraphs(text: str) -> list[str]:
    """Catalogue text (hard-wrapped lines, blank lines between paragraphs) as paragraphs."""
    return [" ".join(p.split()) for p in text.replace("`", "").split("\n\n") if p.strip()]


def _titled(svg: str, title: str) -> Markup:
    """A chart with its text alternative as the SVG's <title> (read by screen readers and
    written as the chart's alternative text in the tagged PDF)."""
    if not svg.startswith("<svg"):
        return Markup(svg)
    end = svg.index(">") + 1
    return Markup(svg[:end]) + Markup("<title>") + escape(title) + Markup("</title>") \
        + Markup(svg[end:])


def render_html(model: ReportModel, lang: Lang,
                views: dict[int, SectionView] | None = None, today: date | None = None) -> str:
    """The report page; `views` (charts and notes) are made here when not given."""
    if views is None:
        views = {s.id: section_view(s, model, lang) for s in model.sections}
    trend_at: dict[tuple[int, date], Figure] = {
        (s.id, f.census_date): f for s in model.sections for f in s.trend}

    def kind(ind: Indicator) -> str:
        return f"{lang.gettext(labels.TYPES[ind.type])}; {lang.gettext(labels.TIMINGS[ind.timing])}"

    context: dict[str, Any] = {
        "model": model, "L": lang, "views": views, "css": _css(),
        "_": lang._, "key": figure_key, "raw": raw_value,
        "program_version": program_version(), "today": today or date.today(),
        "trend_at": lambda s, d: trend_at.get((s.id, d)),
        "value_labeller": lambda dim: (lambda v: lang.breakdown_value(dim, v)),
        "area_name": lambda a: model.areas[a].name,
        "band_label": lambda b: lang.gettext(labels.BAND_LABELS[b]),
        "paragraphs": _paragraphs, "kind": kind, "titled": _titled,
    }
    return _environment().get_template("report.html").render(**context)


def write_html(model: ReportModel, lang: Lang, path: Path,
               views: dict[int, SectionView] | None = None) -> tuple[Path, str]:
    text = render_html(model, lang, views)
    path.write_text(text, encoding="utf-8")
    return path, text
