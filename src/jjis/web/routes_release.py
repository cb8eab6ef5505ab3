"""The review page (admins and analysts, within their remit) and its Release button."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from jjis.errors import JjisError
from jjis.publish import snapshot_hash
from jjis.publish.releases import published_value
from jjis.release import make_release
from jjis.release.review import review
from jjis.reports.i18n import N_
from jjis.web.access import Denied, need_user
from jjis.web.context import Ctx, page_ctx
from jjis.web.routes_figures import area_choices, parse_date

router = APIRouter(include_in_schema=False)


def _check(ctx: Ctx, area: str | None) -> str:
    need_user(ctx.user)
    if not ctx.scope.may_compute:
        raise Denied(403, N_("a {role} user cannot review or release figures"), role=ctx.scope.role)
    geo = ctx.scope.geo
    mine = ctx.scope.user.areas if ctx.scope.role == "analyst" and ctx.scope.user else ()
    chosen = area or (mine[0] if mine else (geo.top() or [""])[0])
    if chosen not in geo.parents:
        raise Denied(404, N_("there is no area {area!r}") if chosen else
                     N_("no areas have been imported"), area=chosen)
    if not ctx.scope.area_in(chosen):
        raise Denied(403, N_("the area {area} is outside your remit"), area=chosen)
    return chosen


def _old(v: Any) -> str:
    return "withheld" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


@router.get("/review")
def review_page(census_date: str | None = None, area: str | None = None,
                ctx: Ctx = Depends(page_ctx)) -> Response:
    chosen = _check(ctx, area)
    d = parse_date(census_date) or ctx.web.today().replace(month=12, day=31, year=ctx.web.today().year - 1)
    r = review(ctx.store, ctx.web.config, ctx.scope.geo, d, chosen)
    q = ctx.request.query_params
    message = q.get("message")
    if q.get("released"):
        message = ctx._(N_("released as {release_id}: {figures} figures, {revised} revised"),
                        release_id=q["released"], figures=q.get("figures", ""),
                        revised=q.get("revised", ""))
    return ctx.render("review.html", r=r, areas=area_choices(ctx), old=_old,
                      value=published_value, message=message,
                      area_name=ctx.scope.geo.names.get(chosen, chosen))


@router.post("/review/release")
def release_button(census_date: str = Form(...), area: str = Form(...),
                   snapshot: str = Form(...), note: str = Form(""), csrf_token: str = Form(""),
                   ctx: Ctx = Depends(page_ctx)) -> Response:
    """Release what the review page showed; refused when the data changed since it was drawn."""
    ctx.require_csrf(csrf_token)
    chosen = _check(ctx, area)
    d = parse_date(census_date)
    assert d is not None
    back = f"/review?{urlencode({'census_date': d.isoformat(), 'area': chosen})}"
    if snapshot_hash(ctx.store)[0] != snapshot:
        msg = N_("the data changed since the review page was drawn (an import came in): "
                 "nothing was released; look at the page again and release from it")
        return RedirectResponse(f"{back}&{urlencode({'message': msg})}", status_code=303)
    try:
        made = make_release(ctx.store, ctx.web.config, d, area=chosen, user=ctx.user,
                            note=note[:500], today=ctx.web.today(),
                            audit=lambda who, action, target, detail:
                            ctx.audit(action, target, {**detail, "channel": "web"}))
    except JjisError as exc:
        return RedirectResponse(f"{back}&{urlencode({'message': str(exc)})}", status_code=303)
    done = {"released": made.release_id, "figures": made.figures, "revised": made.revisions}
    return RedirectResponse(f"{back}&{urlencode(done)}", status_code=303)
