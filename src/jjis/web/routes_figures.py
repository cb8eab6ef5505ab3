"""The dashboard, one page per indicator, and the CSV export of figures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from jjis.indicators.catalogue import Indicator, load_catalogue
from jjis.indicators.results import Figure
from jjis.publish.releases import Served, served_index
from jjis.reports.i18n import N_
from jjis.textcells import neutral_row
from jjis.web.access import Denied
from jjis.web.area_map import area_map
from jjis.web.charts import bar_chart, trend_chart
from jjis.web.compare import default_level
from jjis.web.compare import rows as level_rows
from jjis.web.context import Ctx, page_ctx
from jjis.web.figures import BREAKDOWNS, Computing, NoFigures, release_source
from jjis.web.present import (
    CROSSED,
    bar,
    cards,
    checked_by,
    compare_card,
    counts,
    cross_table,
    in_order,
    indicator_name,
    shown,
    value_label,
)

router = APIRouter(include_in_schema=False)
PAGE_CHART = 520  # SVG units across: text stays readable from a phone to a desktop
EXPORT_FIELDS = ("indicator", "statistic", "area", "census_date", "period_start", "period_end",
                 "breakdown", "numerator", "denominator", "value", "unit", "ci_low", "ci_high",
                 "unknown", "over_age", "unknown_age", "events", "coverage_reported",
                 "coverage_expected", "timely_reported", "suppressed", "note", "run_id", "release_id",
                 "revised", "revised_from")


@dataclass
class View:
    """What a page shows. The public (and every user outside their exact remit) reads a
    release: `run_id` is then a release source. Admins and analysts in their remit read the
    current data, a draft, beside the release served for the same date (`release`)."""

    census_date: date
    area: str
    by: str | None
    exact: bool
    run_id: str
    by_area: dict[str, list[Figure]]
    release: Served | None = None
    released: dict[str, list[Figure]] = field(default_factory=dict)  # drafts: the release's

    @property
    def draft(self) -> bool:
        return self.exact

    def query(self, **change: str | None) -> str:
        q = {"census_date": self.census_date.isoformat(), "area": self.area, "by": self.by or ""}
        q.update({k: v or "" for k, v in change.items()})
        return urlencode({k: v for k, v in q.items() if v})


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise Denied(422, N_("the census date {text!r} is not a date written YYYY-MM-DD"),
                     text=text) from None
    if not date(1900, 1, 1) <= d <= date(2100, 12, 31):
        raise Denied(422, N_("the census date {text} is outside 1900-2100"), text=text)
    return d


def view(ctx: Ctx, census_date: str | None, area: str | None, by: str | None) -> View:
    geo = ctx.scope.geo
    mine = ctx.scope.user.areas if ctx.scope.role == "analyst" and ctx.scope.user else ()
    chosen = area or (mine[0] if mine else (geo.top() or [""])[0])
    if chosen not in geo.parents:
        raise Denied(404, N_("there is no area {area!r}") if chosen else
                     N_("no areas have been imported"), area=chosen)
    ctx.scope.check_figures(chosen)
    try:
        by = checked_by(by)  # one breakdown, or two crossed: sex*age_group
    except ValueError as e:
        raise Denied(422, str(e)) from None
    exact = ctx.scope.exact_figures(chosen)
    res, asked = ctx.web.results, parse_date(census_date)
    shown_release = res.release(ctx.store, geo.chain(chosen), asked)
    if not exact:  # the public reads releases only
        if shown_release is None:
            raise NoFigures(N_("no figures have been published (released) for {date}") if asked
                            else N_("no figures have been published (released) yet"),
                            date=asked.isoformat() if asked else "")
        source = release_source(shown_release.release_id, by)
        return View(shown_release.census_date, chosen, by or None, False, source,
                    ctx.scope.visible(res.by_area(ctx.store, source, False)), shown_release)
    d = asked or (shown_release.census_date if shown_release else
                  date(ctx.web.today().year - 1, 12, 31))
    dims, version = ((by,) if by else ()), ctx.web.db.version()
    if ctx.scope.may_compute and shows_progress(ctx):
        started = res.start(ctx.web.db.store, d, dims, version)
        if started is None:
            here = ctx.request.url.path + (f"?{ctx.request.url.query}" if ctx.request.url.query
                                           else "")
            raise Computing(d, dims, lambda: ctx.render("computing.html", status=202,
                                                        census_date=d, by=by or "", here=here))
        run_id = started
    else:
        run_id = res.run_id(ctx.store, d, dims, may_compute=ctx.scope.may_compute,
                            version=version)
    released = ctx.scope.visible(res.by_area(ctx.store, release_source(shown_release.release_id, by),
                                             False)) if shown_release else {}
    return View(d, chosen, by or None, True, run_id,
                ctx.scope.visible(res.by_area(ctx.store, run_id, True)), shown_release, released)


def shows_progress(ctx: Ctx) -> bool:
    """Whether the request is a browser's page navigation, which can show the computing page
    and come back (docs/web.md, "Long computations"); API calls, htmx fragments and other
    clients wait for the figures instead."""
    req = ctx.request
    return (not req.url.path.startswith("/api/") and not req.headers.get("hx-request")
            and "text/html" in req.headers.get("accept", ""))


def area_choices(ctx: Ctx) -> list[tuple[str, str]]:
    geo = ctx.scope.geo
    allowed = ctx.scope.areas() if ctx.scope.role == "analyst" else list(geo.parents)
    order = {a: len(geo.chain(a)) for a in allowed}
    return [(a, "— " * (order[a] - 1) + geo.names.get(a, a))
            for a in sorted(allowed, key=lambda a: (geo.chain(a)[::-1]))]


@router.get("/")
def home(ctx: Ctx = Depends(page_ctx)) -> Response:
    """The landing page: the dashboard of the newest release, or, before any release, a page
    that says so and how to make one."""
    index = served_index(ctx.store)
    if not index:
        return ctx.render("no_release.html")
    top = (ctx.scope.geo.top() or [""])[0]
    area = None if any(s.area == top for s in index) or ctx.scope.may_compute else index[0].area
    return dashboard(None, area, None, ctx)


@router.get("/dashboard")
def dashboard(census_date: str | None = None, area: str | None = None, by: str | None = None,
              ctx: Ctx = Depends(page_ctx)) -> Response:
    if census_date is None and not ctx.scope.may_compute and not served_index(ctx.store):
        return ctx.render("no_release.html")
    v = view(ctx, census_date, area, by)
    geo = ctx.scope.geo
    children = [(c, geo.names.get(c, c)) for c in geo.children(v.area)]
    key = ("cards", v.run_id, v.exact, v.area, v.by, ctx.lang)
    all_cards = ctx.web.results.memo.get(key)
    if all_cards is None:
        all_cards = cards(v.by_area, v.area, children, v.by, ctx.lang,
                          lambda a: f"/dashboard?{v.query(area=a)}", load_catalogue(ctx.web.config))
        ctx.web.results.remember(key, all_cards)
    if v.draft:
        all_cards = [compare_card(c, v.released.get(v.area, []), ctx.lang) for c in all_cards]
    return ctx.render("dashboard.html", v=v, core=[c for c in all_cards if c.indicator.core],
                      other=[c for c in all_cards if not c.indicator.core],
                      areas=area_choices(ctx), breakdowns=BREAKDOWNS + CROSSED,
                      area_name=geo.names.get(v.area, v.area))


@router.get("/indicators/{indicator}")
def indicator_page(indicator: int, census_date: str | None = None, area: str | None = None,
                   by: str | None = None, ctx: Ctx = Depends(page_ctx)) -> Response:
    ind = _indicator(indicator, ctx)
    v = view(ctx, census_date, area, by)
    geo, stat = ctx.scope.geo, ind.headline
    mine = [f for f in v.by_area.get(v.area, []) if f.indicator == ind.id]
    totals = [f for f in mine if not f.breakdown]
    head = next((f for f in totals if f.statistic == stat), None)
    parts = in_order([f for f in mine if f.statistic == stat and v.by and set(f.breakdown) == {v.by}],
                     v.by or "")
    cross = cross_table(mine, stat, v.by) if v.by and "*" in v.by else None
    if cross is not None:  # the chart shows the cells, row by row
        parts = [cross.cells[(r, c)] for r in cross.row_values for c in cross.col_values
                 if (r, c) in cross.cells]
    # the areas below, else the area among its siblings: only those this user may see
    siblings = geo.children(geo.parents.get(v.area) or "") or [v.area]
    compare_to = ([a for a in geo.children(v.area) if a in v.by_area]
                  or [a for a in siblings if a in v.by_area] or [v.area])
    compare = []
    for a in compare_to:
        f = next((g for g in v.by_area.get(a, []) if g.indicator == ind.id
                  and g.statistic == stat and not g.breakdown), None)
        if f is not None:
            compare.append((a, f))
    name = indicator_name(ind, ctx.lang)
    level = default_level(geo, v.area)  # the map: the areas just below (as the compare page)
    the_map = area_map(ctx, v, ind, level, level_rows(geo, v.by_area, v.area, level, ind.id, stat),
                       f"{name}: {ctx.t(level)}")
    return ctx.render(
        "indicator.html", v=v, ind=ind, name=name, head=head, totals=totals, stat=stat,
        the_map=the_map, map_level=level,
        parts=parts, cross=cross, counts=counts, label=_labeller(ctx.lang), compare=compare,
        geo=geo, areas=area_choices(ctx), breakdowns=BREAKDOWNS + CROSSED,
        crossed=tuple(b for b in CROSSED if set(b.split("*")) <= set(ind.breakdowns)),
        breakdown_chart=bar_chart(
            [bar(f, ", ".join(value_label(d, f.breakdown[d], ctx.lang) for d in f.breakdown),
                 lang=ctx.lang) for f in parts],
            ctx._("{name} by {breakdown}", name=name,
                  breakdown=" × ".join(ctx.L.breakdown_name(d) for d in (v.by or "").split("*"))),
            width=PAGE_CHART),
        compare_chart=bar_chart([bar(f, geo.names.get(a, a), f"/indicators/{ind.id}?{v.query(area=a)}",
                                     a == v.area, lang=ctx.lang) for a, f in compare],
                                ctx._("{name}: areas", name=name),
                                width=PAGE_CHART),
        area_name=geo.names.get(v.area, v.area), show_trend=ctx.request.query_params.get("trend"))


@router.get("/indicators/{indicator}/trend")
def trend(indicator: int, census_date: str | None = None, area: str | None = None,
          ctx: Ctx = Depends(page_ctx)) -> Response:
    """The headline statistic on the census date and the same day of the two years before
    (figures of runs for those dates; a signed-in user's request computes missing ones)."""
    ind = _indicator(indicator, ctx)
    v = view(ctx, census_date, area, None)
    points: list[tuple[str, float | None, str]] = []
    for back in (2, 1, 0):
        d = _years_before(v.census_date, back)
        run = _trend_source(ctx, v, d)
        if run is None:
            points.append((d.isoformat(), None, "—"))
            continue
        figs = ctx.scope.visible(ctx.web.results.by_area(ctx.store, run, v.exact)).get(v.area, [])
        f = next((g for g in figs if g.indicator == ind.id and g.statistic == ind.headline
                  and not g.breakdown), None)
        hidden = f is None or f.suppressed or f.value is None
        points.append((d.isoformat(), None if hidden or f is None else f.value,
                       shown(f, with_unit=False, lang=ctx.lang)))
    chart = trend_chart(points, ctx._("{name}: trend", name=indicator_name(ind, ctx.lang)))
    return ctx.render("trend.html", chart=chart, points=points, ind=ind,
                      fragment=bool(ctx.request.headers.get("hx-request")))


@router.get("/export.csv")
def export_csv(census_date: str | None = None, area: str | None = None, by: str | None = None,
               ctx: Ctx = Depends(page_ctx)) -> Response:
    """The figures of the area and every area below it, as on the dashboard (audited)."""
    v = view(ctx, census_date, area, by)
    wanted = set(ctx.scope.geo.below(v.area))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(EXPORT_FIELDS)
    n = 0
    for a in sorted(wanted):
        for f in v.by_area.get(a, []):
            row = f.as_json()
            row["breakdown"] = f.breakdown_json
            w.writerow(neutral_row(["" if row.get(k) is None else row[k] for k in EXPORT_FIELDS]))
            n += 1
    ctx.audit("export", v.area, {"census_date": v.census_date.isoformat(), "by": v.by or "",
                                 "figures": n, "exact": v.exact, "format": "csv"})
    name = f"jjis-{v.area}-{v.census_date.isoformat()}.csv"
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _trend_source(ctx: Ctx, v: View, d: date) -> str | None:
    """The run (drafts) or the release (everyone else) of a census date of the trend."""
    if not v.exact:
        found = ctx.web.results.release(ctx.store, ctx.scope.geo.chain(v.area), d)
        return release_source(found.release_id, None) if found else None
    try:
        return ctx.web.results.run_id(ctx.store, d, (), may_compute=ctx.scope.may_compute,
                                      version=ctx.web.db.version())
    except NoFigures:
        return None


def _labeller(lang: str) -> Any:
    """label(dim) -> the dimension's name, label(dim, value) -> the value's label, in `lang`."""
    from jjis.reports.formatting import Lang

    words = Lang(lang)

    def label(dim: str, value: str | None = None) -> str:
        return words.dimension(dim) if value is None else words.breakdown_value(dim, value)
    return label


def _indicator(indicator: int, ctx: Ctx) -> Indicator:
    cat = load_catalogue(ctx.web.config)
    if indicator not in cat.indicators:
        raise Denied(404, N_("there is no indicator {indicator}; the indicators are {ids}"),
                     indicator=indicator, ids=", ".join(map(str, cat.indicators)))
    return cat.indicators[indicator]


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)
