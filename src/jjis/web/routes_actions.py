"""The action summary: open action-list items of every facility in the user's remit, per rule
and per facility, each linked to the facility's action list; as a page (with a print layout),
a CSV download and `GET /api/action-summary` (routes_api.py). The remit is the action lists'
(access.Scope.action_list_facilities); viewing is written to the audit log."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from jjis.textcells import neutral_row
from jjis.web.access import Denied
from jjis.web.action_summary import CSV_FIELDS, Summary, csv_rows, summarise
from jjis.web.actions import RULES
from jjis.web.context import Ctx, page_ctx
from jjis.web.routes_facility import as_of_date, current_list

router = APIRouter(include_in_schema=False)


def action_summary(ctx: Ctx, as_of: date, channel: str) -> Summary:
    """The summary over the user's places of detention (each list read from the cache of
    action lists, computed once per data version); its viewing audited."""
    places = set(ctx.web.config["indicators.detention_kinds"])
    with ctx.audit_refusal("view_denied", "", {"view": "action_summary", "channel": channel}):
        mine = ctx.scope.action_list_facilities(places)
    geo = ctx.scope.geo
    summary = summarise((current_list(ctx, f.facility_id, as_of) for f in mine),
                        geo.facilities, geo.names, as_of)
    ctx.audit("view_action_summary", "", {
        "as_of": as_of.isoformat(), "facilities": len(mine),
        "open_items": sum(line.total for line in summary.facilities), "channel": channel})
    return summary


@router.get("/actions")
def actions_page(as_of: str | None = None, rule: str | None = None,
                 ctx: Ctx = Depends(page_ctx)) -> Response:
    """Open items per rule across the user's facilities; `rule` lists the facilities where
    that rule has open items."""
    d = as_of_date(ctx, as_of)
    if rule and rule not in RULES:
        raise Denied(422, f"there is no rule {rule!r}; the rules are {', '.join(RULES)}")
    summary = action_summary(ctx, d, "page")
    return ctx.render("action_summary.html", summary=summary, rules=RULES, rule=rule or "",
                      as_of=d, chosen=summary.with_rule(rule) if rule else [])


@router.get("/actions.csv")
def actions_csv(as_of: str | None = None, ctx: Ctx = Depends(page_ctx)) -> Response:
    """One row per facility and rule with open items (cells neutralised)."""
    d = as_of_date(ctx, as_of)
    summary = action_summary(ctx, d, "csv")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for row in csv_rows(summary):
        w.writerow(neutral_row(row))
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="jjis-actions-{d.isoformat()}.csv"'})
