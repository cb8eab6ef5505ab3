"""Choropleth maps: the areas of one level shaded by a figure, drawn to SVG offline.

Vega-Lite draws each area's boundary (a geoshape) and vl-convert renders it, without network
access; the web pages and the report use the same maps. An area with a value is shaded on one
sequential scale, light (low) to dark (high). The others are never shaded as a value: an area
whose figure is withheld (disclosure control) and an area with no source of the kind the
indicator needs are each hatched with a pattern of their own, and an area whose figure could not
be computed is plain grey; the legend names all three. Each area's path carries its name and
value as its accessible label; the page prints the same numbers in a table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import vl_convert as vlc

from jjis.indicators.results import Figure
from jjis.reports.charts import FONT, _d3_locale
from jjis.reports.formatting import Lang

LOW, HIGH = "#e3eef7", "#0b3c5d"  # the value scale, light to dark
NONE_FILL = "#d4d4d4"
STATUSES = ("value", "withheld", "no_source", "not_computed")
# Colours Vega draws for the hatched statuses, replaced by their patterns after rendering.
SENTINEL = {"withheld": "#fe0001", "no_source": "#fe0002"}
WIDTH, HEIGHT = 480, 360


@dataclass
class MapArea:
    area_id: str
    name: str
    geometry: dict[str, Any]
    status: str  # one of STATUSES
    value: float | None = None  # status "value" only
    text: str = ""  # the value as shown


def status_of(figure: Figure | None) -> str:
    """How an area is drawn: its value, or why it has none. An area with no registered source
    of the needed kind has no value to shade, whatever number the computation gave it."""
    if figure is None:
        return "not_computed"
    if figure.coverage_expected == 0:
        return "no_source"
    if figure.suppressed:
        return "withheld"
    if figure.value is None:
        return "not_computed"
    return "value"


def value_of(figure: Figure | None) -> float | None:
    """The value a map shades (None: drawn by its status instead)."""
    return figure.value if figure is not None and status_of(figure) == "value" else None


def text_of(figure: Figure | None, lang: Lang) -> str:
    """The value as a map's label reads it."""
    return "–" if figure is None else lang.value(figure)


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))


def _wound(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """A polygon's rings as d3-geo draws them: the outer ring clockwise, the holes
    anticlockwise (GeoJSON files mostly follow RFC 7946, the opposite; d3 would shade the rest of
    the globe)."""
    out = []
    for i, ring in enumerate(rings):
        clockwise = _signed_area(ring) < 0
        out.append(ring if clockwise == (i == 0) else ring[::-1])
    return out


def drawable(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry with its rings wound for d3-geo."""
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _wound(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [_wound(p) for p in geometry["coordinates"]]}


def _feature(a: MapArea) -> dict[str, Any]:
    return {"type": "Feature", "geometry": drawable(a.geometry),
            "properties": {"area_id": a.area_id, "status": a.status, "value": a.value,
                           "label": f"{a.name}: {a.text}"}}


def _layer(values: list[dict[str, Any]], color: dict[str, Any]) -> dict[str, Any]:
    return {"data": {"values": values},
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8, "aria": True},
            "encoding": {"color": color, "description": {"field": "properties.label",
                                                          "type": "nominal"}}}


def spec(areas: list[MapArea], title: str, legend: dict[str, str]) -> dict[str, Any]:
    """The Vega-Lite specification of the map: a layer of shaded values and a layer of the
    areas without one (withheld, no source, not computed), each with its legend."""
    shaded = [_feature(a) for a in areas if a.status == "value"]
    others = [_feature(a) for a in areas if a.status != "value"]
    layers = []
    if shaded:
        layers.append(_layer(shaded, {
            "field": "properties.value", "type": "quantitative", "title": legend["value"],
            "scale": {"range": [LOW, HIGH], "zero": False},
            "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 240,
                       "titleLimit": 460, "titleFontWeight": "normal"}}))
    if others:
        present = [s for s in STATUSES[1:] if any(a.status == s for a in areas)]
        colours = {**SENTINEL, "not_computed": NONE_FILL}
        layers.append(_layer(others, {
            "field": "properties.status", "type": "nominal", "title": None,
            "scale": {"domain": present, "range": [colours[s] for s in present]},
            "legend": {"orient": "bottom", "direction": "vertical", "symbolType": "square",
                       "symbolSize": 180, "symbolStrokeColor": "#555", "symbolStrokeWidth": 0.8,
                       "labelExpr": " : ".join(f"datum.value === {json.dumps(s)} ? "
                                               f"{json.dumps(legend[s])}" for s in present)
                       + " : datum.value", "labelLimit": 400}}))
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": {"text": title, "anchor": "start", "fontWeight": "normal", "fontSize": 13},
            "width": WIDTH, "height": HEIGHT, "projection": {"type": "mercator"},
            "layer": layers, "resolve": {"scale": {"color": "independent"}},
            "config": {"font": FONT, "view": {"stroke": None}, "aria": False,
                       "legend": {"labelFontSize": 12, "titleFontSize": 12}}}


def _patterns(prefix: str) -> str:
    """Two hatchings readable without colour: diagonal lines (withheld), a cross (no source)."""
    return (f'<defs><pattern id="{prefix}-withheld" patternUnits="userSpaceOnUse" width="6" '
            'height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b6b6b" stroke-width="2.2"/></pattern>'
            f'<pattern id="{prefix}-no_source" patternUnits="userSpaceOnUse" width="8" height="8">'
            '<rect width="8" height="8" fill="#fbf3e4"/><path d="M0,4H8M4,0V8" stroke="#b0741c" '
            'stroke-width="1.2"/></pattern></defs>')


_UNUSED = re.compile(r' (?:class|role|aria-roledescription|aria-hidden|pointer-events)="[^"]*"')


def choropleth(areas: list[MapArea], title: str, legend: dict[str, str], lang: Lang,
               prefix: str = "map") -> str:
    """The map as SVG text (empty when no area has a boundary). `legend` names the value
    (its statistic and unit) and the three statuses; `prefix` keeps the pattern ids of two maps
    on one page apart."""
    if not areas:
        return ""
    svg = str(vlc.vegalite_to_svg(spec(areas, title, legend), format_locale=_d3_locale(lang),
                                  allowed_base_urls=[]))
    svg = _UNUSED.sub("", svg)
    for status, colour in SENTINEL.items():
        svg = svg.replace(f'fill="{colour}"', f'fill="url(#{prefix}-{status})"')
    head = svg.index(">") + 1
    return svg[:head] + _patterns(prefix) + svg[head:]


def legend_words(lang: Lang, value_title: str) -> dict[str, str]:
    """The legend's words in the language of `lang`."""
    return {"value": value_title,
            "withheld": lang._("withheld (disclosure control)"),
            "no_source": lang._("no source registered"),
            "not_computed": lang._("not computable")}
