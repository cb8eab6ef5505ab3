"""The areas of one level side by side for one indicator: table, bar chart and map."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from jjis.web.access import Denied
from jjis.web.area_map import area_map
from jjis.web.area_map import shapes as area_shapes
from jjis.web.charts import Bar, bar_chart
from jjis.web.compare import ORDERS, SORTS, default_level, levels, rows, sort_rows
from jjis.web.context import Ctx, page_ctx
from jjis.web.present import indicator_name
from jjis.web.routes_figures import PAGE_CHART, _indicator, view

router = APIRouter(include_in_schema=False)


@router.get("/indicators/{indicator}/areas")
def compare_areas(indicator: int, census_date: str | None = None, area: str | None = None,
                  level: str | None = None, sort: str = "value", order: str = "desc",
                  ctx: Ctx = Depends(page_ctx)) -> Response:
    """Every area of a level (within the area chosen) with the indicator's headline figure,
    its interval, count and coverage, sorted by `sort` (name, value, count, coverage) in
    `order` (asc, desc), with a bar chart and, where boundaries were imported, a map."""
    ind = _indicator(indicator, ctx)
    v = view(ctx, census_date, area, None)
    geo, stat = ctx.scope.geo, ind.headline
    all_levels = levels(geo)
    chosen = level or default_level(geo, v.area)
    if chosen not in all_levels:
        raise Denied(422, f"level must be one of {', '.join(all_levels)}")
    if sort not in SORTS or order not in ORDERS:
        raise Denied(422, f"sort must be one of {', '.join(SORTS)} and order asc or desc")
    found = sort_rows(rows(geo, v.by_area, v.area, chosen, ind.id, stat), sort, order)
    name = indicator_name(ind, ctx.lang)
    words = {"no_source": ctx.t("no source registered"), "withheld": ctx.t("withheld"),
             "not_computed": ctx.t("not computable")}
    # a withheld bar reads <5 or x, as everywhere; no source in words; not computable a dash
    chart = bar_chart([Bar(r.name, r.value, words["no_source"] if r.status == "no_source"
                           else r.shown, r.low, r.high,
                           f"/indicators/{ind.id}?{v.query(area=r.area)}")
                       for r in found], f"{name}: {ctx.t(chosen)}", width=PAGE_CHART)
    the_map = area_map(ctx, v, ind, chosen, found, f"{name}: {ctx.t(chosen)}")

    def link(**change: str) -> str:
        q = {"level": chosen, "sort": sort, "order": order, **change}
        return f"/indicators/{ind.id}/areas?{v.query()}&" + "&".join(f"{k}={x}" for k, x in q.items())

    return ctx.render("compare.html", v=v, ind=ind, name=name, stat=stat, rows=found,
                      levels=all_levels, level=chosen, sort=sort, order=order, link=link,
                      chart=chart, the_map=the_map, no_shapes=not area_shapes(ctx),
                      area_name=geo.names.get(v.area, v.area), words=words)
