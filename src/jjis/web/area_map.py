"""The choropleth of one indicator over the areas of one level, as the indicator page and the
compare page show it (drawn by reports/maps.py, kept per run, level, area and language)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from jjis.indicators.catalogue import Indicator
from jjis.ingest.boundaries import boundaries
from jjis.reports.formatting import Lang
from jjis.reports.maps import choropleth, legend_words
from jjis.web.compare import Row, map_areas
from jjis.web.context import Ctx


def shapes(ctx: Ctx) -> dict[str, dict[str, object]]:
    """The stored boundaries, read once per data version (an import of them is an import)."""
    key = ("boundaries", ctx.web.db.version())
    found = ctx.web.results.memo.get(key)
    if found is None:
        found = boundaries(ctx.store)
        ctx.web.results.remember(key, found)
    return dict(found)


def area_map(ctx: Ctx, v: Any, ind: Indicator, level: str, found: list[Row],
             title: str) -> Markup:
    """The map of `found` (the rows of the areas of `level`), or nothing where no boundary of
    them was imported or the indicator is an answer (14, 15: nothing to shade)."""
    drawn = map_areas(found, shapes(ctx))
    if not drawn or ind.headline == "answer":
        return Markup("")
    key = ("map", v.run_id, v.exact, ind.id, level, v.area, ctx.lang, ctx.web.db.version())
    svg = ctx.web.results.memo.get(key)
    if svg is None:
        lang = Lang(ctx.lang)
        stat = ind.headline
        unit = next((r.figure.unit for r in found if r.figure is not None), "")
        name = lang.statistic_name(ind.id, stat)
        legend = f"{name} ({lang.gettext(unit.replace('_', ' '))})" if unit else name
        svg = Markup(choropleth(drawn, title, legend_words(lang, legend), lang))
        ctx.web.results.remember(key, svg)
    return Markup(svg)
