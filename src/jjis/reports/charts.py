"""Charts of the report: Altair builds Vega-Lite, vl-convert renders it to SVG, offline.

Every chart is drawn from published figures: withheld values have no bar and are labelled `<5`
or `x`; values that could not be computed are labelled with a dash. Bars carry their value as a
label (in the report's language) and, for rates and shares, the 95% interval as a line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert as vlc
from babel.numbers import get_decimal_symbol, get_group_symbol

from jjis.indicators.results import Figure
from jjis.reports.formatting import Lang

WIDTH = 520
STEP = 22
COLOR = "#1d5b86"
CI_COLOR = "#0b2a40"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
CONFIG: dict[str, Any] = {
    "aria": False,  # each chart sits beside the table of its values
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
             "labelColor": "#222", "titleColor": "#222", "gridColor": "#e3e7ea"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "text": {"fontSize": 12},
}


@dataclass
class Bar:
    label: str
    figure: Figure | None
    series: str = ""


def _d3_locale(lang: Lang) -> dict[str, Any]:
    """The d3 number format of the language, from Babel: no list of locales to keep."""
    return {"decimal": get_decimal_symbol(lang.locale), "thousands": get_group_symbol(lang.locale),
            "grouping": [3], "currency": ["", ""]}


# Charts are built with Altair once per shape, with placeholders for the title and the scale's
# top; each chart then fills in its data, title and top (Altair's own checks take longer than
# rendering, and the shapes never change).
TITLE = "__TITLE__"
TOP = 987654321.0
DATA = "rows"


def _template(chart: alt.TopLevelMixin) -> str:
    return json.dumps(chart.configure(**CONFIG).to_dict(validate=False))


def render(template: str, values: list[dict[str, Any]], title: str, top: float,
           lang: Lang) -> str:
    """Fill a template and render it to SVG text, without network access."""
    spec = json.loads(template.replace(json.dumps(TITLE), json.dumps(title))
                      .replace(repr(TOP), repr(float(top))))
    spec["datasets"] = {DATA: values}
    svg = vlc.vegalite_to_svg(spec, format_locale=_d3_locale(lang), allowed_base_urls=[])
    return _UNUSED.sub("", str(svg))


# Attributes of Vega's scene graph that drawing does not need (the page inlines many charts).
_UNUSED = re.compile(r' (?:class|role|aria-roledescription|aria-hidden|pointer-events)="[^"]*"')


def _point(bar: Bar, order: int, lang: Lang) -> dict[str, Any]:
    f = bar.figure
    value = None if f is None or f.suppressed else f.value
    low = high = None
    if f is not None and not f.suppressed and f.ci_low is not None and f.ci_high is not None:
        low, high = f.ci_low, f.ci_high
    text = lang.value(f) if f is not None else "–"
    return {"label": bar.label, "series": bar.series, "order": order, "value": value,
            "low": low, "high": high, "text": text,
            "at": max(v for v in (value, high, 0.0) if v is not None)}


def _title(statistic: str, unit: str) -> str:
    return f"{statistic} ({unit})" if unit else statistic


@lru_cache(maxsize=4)
def _bars_template(label_width: int) -> str:
    data = alt.NamedData(DATA)
    y = alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None,
              axis=alt.Axis(labelLimit=label_width, ticks=False, domain=False))
    base = alt.Chart(data).encode(y=y)
    layers = [
        base.mark_bar(color=COLOR, height=14).encode(
            x=alt.X("value:Q", title=TITLE, scale=alt.Scale(domain=[0, TOP], nice=False),
                    axis=alt.Axis(tickCount=5))),
        base.mark_rule(color=CI_COLOR, strokeWidth=1.5).encode(x="low:Q", x2="high:Q"),
        base.mark_text(align="left", dx=5, color="#111").encode(x="at:Q", text="text:N"),
    ]
    return _template(alt.layer(*layers).properties(width=WIDTH - label_width,
                                                    height=alt.Step(STEP)))


def bars(rows: list[Bar], x_title: str, lang: Lang, *, label_width: int = 230) -> str:
    """Horizontal bars, one per row in the order given, with value labels and intervals."""
    values = [_point(b, i, lang) for i, b in enumerate(rows)]
    top = max([v["at"] for v in values] + [0.0]) or 1.0
    return render(_bars_template(label_width), values, x_title, top * 1.2, lang)


@lru_cache(maxsize=1)
def _grouped_template() -> str:
    base = alt.Chart(alt.NamedData(DATA)).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(ticks=False, domain=False, labelLimit=200)),
        yOffset=alt.YOffset("series:N", sort=alt.EncodingSortField("order")),
    )
    color = alt.Color("series:N", sort=alt.EncodingSortField("order"), title=None,
                      scale=alt.Scale(range=[COLOR, "#e08a2c"]))
    return _template(alt.layer(
        base.mark_bar(height=11).encode(
            x=alt.X("value:Q", title=TITLE, scale=alt.Scale(domain=[0, TOP], nice=False)),
            color=color),
        base.mark_text(align="left", dx=4, fontSize=11).encode(x="at:Q", text="text:N"),
    ).properties(width=WIDTH - 200, height=alt.Step(13)))


def grouped_bars(rows: list[Bar], x_title: str, lang: Lang) -> str:
    """Bars grouped by label, one colour per series (the duration bands)."""
    values = [_point(b, i, lang) for i, b in enumerate(rows)]
    top = max([v["at"] for v in values] + [0.0]) or 1.0
    return render(_grouped_template(), values, x_title, top * 1.2, lang)


@lru_cache(maxsize=1)
def _trend_template() -> str:
    base = alt.Chart(alt.NamedData(DATA)).encode(
        x=alt.X("label:O", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(labelAngle=0)))
    y = alt.Y("value:Q", title=TITLE, scale=alt.Scale(domain=[0, TOP], nice=False),
              axis=alt.Axis(tickCount=5))
    return _template(alt.layer(
        base.mark_area(color=COLOR, opacity=0.15).encode(y="low:Q", y2="high:Q"),
        base.mark_line(color=COLOR, point=alt.OverlayMarkDef(color=COLOR, size=60)).encode(y=y),
        base.mark_text(dy=-12, color="#111").encode(y=alt.Y("at:Q"), text="text:N"),
    ).properties(width=WIDTH - 60, height=200))


def trend(points: list[Figure], y_title: str, lang: Lang) -> str:
    """The headline figure over the census dates: a line with its interval band."""
    values = [_point(Bar(lang.short_date(f.census_date), f), i, lang)
              for i, f in enumerate(points)]
    top = max([v["at"] for v in values] + [0.0]) or 1.0
    return render(_trend_template(), values, y_title, top * 1.25, lang)
