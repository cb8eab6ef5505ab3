"""Facility pages: the list of a user's facilities, a facility's action list (with handled
marks) and its stays (record level). Opening either is written to the audit log."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from jjis.reports.i18n import N_
from jjis.web.access import Denied, need_user
from jjis.web.actions import RULES, ActionList, action_list, mark_handled, with_marks
from jjis.web.context import Ctx, page_ctx
from jjis.web.stays import record_rows

router = APIRouter(include_in_schema=False)
MAX_NOTE = 500
SHOWN = 300  # items a page lists at once (the API lists them all)


def as_of_date(ctx: Ctx, text: str | None) -> date:
    if not text:
        return ctx.web.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Denied(422, N_("the date {text!r} is not a date written YYYY-MM-DD"),
                     text=text) from None


def _current(ctx: Ctx, facility_id: str, as_of: date) -> tuple[tuple[object, ...], ActionList]:
    """The list and the key of its state: the rules are evaluated once per data version, the
    marks attached once per change of the facility's marks (count and latest time)."""
    with ctx.audit_refusal("view_denied", facility_id, {"view": "action_list"}):
        ctx.scope.check_action_list(facility_id)
    res, version = ctx.web.results, ctx.web.db.version()
    marks = tuple(ctx.store.select("actions_handled", ["count(*)", "max(handled_at)"],
                                   {"facility_id": facility_id})[0])
    key = ("actions", facility_id, as_of, version, marks)
    result: ActionList | None = res.memo.get(key)
    if result is None:
        base_key = ("actions", facility_id, as_of, version)
        base: ActionList | None = res.memo.get(base_key)
        if base is None:
            base = action_list(ctx.store, ctx.web.config, facility_id, as_of, handled=False)
            res.remember(base_key, base)
        result = with_marks(ctx.store, base)
        res.remember(key, result)
    return key, result


def current_list(ctx: Ctx, facility_id: str, as_of: date) -> ActionList:
    """The facility's action list with its marks as they are now (remit checked, kept per data
    version), without auditing a view: the action summary counts it."""
    return _current(ctx, facility_id, as_of)[1]


def _audit_view(ctx: Ctx, result: ActionList, channel: str) -> None:
    ctx.audit("view_action_list", result.facility_id, {
        "as_of": result.as_of.isoformat(), "items": len(result.items), "channel": channel})


def load_action_list(ctx: Ctx, facility_id: str, as_of: date, channel: str) -> ActionList:
    """The facility's action list, its viewing audited."""
    _, result = _current(ctx, facility_id, as_of)
    _audit_view(ctx, result, channel)
    return result


def action_list_json(ctx: Ctx, facility_id: str, as_of: date) -> bytes:
    """The API's answer, serialised once per state of the list; its viewing audited."""
    key, result = _current(ctx, facility_id, as_of)
    body: bytes | None = ctx.web.results.memo.get(("json", *key))
    if body is None:
        body = json.dumps(result.as_json(), separators=(",", ":")).encode("utf-8")
        ctx.web.results.remember(("json", *key), body)
    _audit_view(ctx, result, "api")
    return body


@router.get("/facilities")
def facilities(ctx: Ctx = Depends(page_ctx)) -> Response:
    need_user(ctx.user)
    places = set(ctx.web.config["indicators.detention_kinds"])
    mine = ctx.scope.facilities() if ctx.scope.role != "public" else []
    if ctx.scope.role == "analyst" or ctx.scope.role == "admin":
        mine = [f for f in mine if f.kind in places]
    if len(mine) == 1:
        return RedirectResponse(f"/facilities/{mine[0].facility_id}", status_code=303)
    return ctx.render("facilities.html", facilities=mine, places=places, geo=ctx.scope.geo)


@router.get("/facilities/{facility_id}")
def facility(facility_id: str, as_of: str | None = None, rule: str | None = None,
             ctx: Ctx = Depends(page_ctx)) -> Response:
    """The action list; `rule` narrows it to one rule (a large place can list thousands)."""
    need_user(ctx.user)
    d = as_of_date(ctx, as_of)
    result = load_action_list(ctx, facility_id, d, "page")
    f = ctx.scope.geo.facilities[facility_id]
    counts = {r: 0 for r in RULES}
    for i in result.items:
        if not i.handled:
            counts[i.rule] += 1
    chosen = [i for i in result.items if not rule or i.rule == rule]
    open_items = [i for i in chosen if not i.handled]
    done = [i for i in chosen if i.handled]
    return ctx.render("facility.html", f=f, result=result, open_items=open_items[:SHOWN],
                      more=max(0, len(open_items) - SHOWN), done=done[:SHOWN], rules=RULES,
                      counts=counts, rule=rule or "", as_of=d,
                      can_stays=ctx.scope.role != "inspector",
                      area_name=ctx.scope.geo.names.get(f.area_id, f.area_id))


@router.post("/facilities/{facility_id}/handled")
def handled(facility_id: str, stay_id: str = Form(...), rule: str = Form(...),
            note: str = Form(""), as_of: str = Form(""), csrf_token: str = Form(""),
            ctx: Ctx = Depends(page_ctx)) -> Response:
    """Mark one item of the action list handled, with a note. Only an item on the list can be
    marked (which also keeps the mark inside the user's remit)."""
    ctx.require_csrf(csrf_token)
    user = need_user(ctx.user)
    ctx.scope.check_action_list(facility_id)
    d = as_of_date(ctx, as_of or None)
    items = action_list(ctx.store, ctx.web.config, facility_id, d).items
    item = next((i for i in items if i.stay_id == stay_id and i.rule == rule), None)
    if item is None:
        raise Denied(404, N_("this item is not on the facility's action list"))
    text = note.strip()[:MAX_NOTE]
    at = datetime.now(UTC).isoformat(timespec="seconds")
    mark_handled(ctx.store, facility_id, stay_id, rule, user.username, text, at)
    ctx.audit("action_handled", facility_id, {"stay_id": stay_id, "rule": rule})
    item.handled = {"at": at, "by": user.username, "note": text}
    if ctx.request.headers.get("hx-request"):
        return ctx.render("action_row.html", item=item, f=ctx.scope.geo.facilities[facility_id],
                          as_of=d, rules=RULES)
    return RedirectResponse(f"/facilities/{facility_id}?as_of={d.isoformat()}", status_code=303)


@router.get("/facilities/{facility_id}/stays")
def stays(facility_id: str, as_of: str | None = None, all: bool = False,
          ctx: Ctx = Depends(page_ctx)) -> Response:
    need_user(ctx.user)
    with ctx.audit_refusal("view_denied", facility_id, {"view": "stays", "channel": "page"}):
        ctx.scope.check_stays(facility_id)
    d = as_of_date(ctx, as_of)
    rows = record_rows(ctx.store, facility_id, d, current_only=not all)
    ctx.audit("view_records", facility_id, {"as_of": d.isoformat(), "rows": len(rows),
                                            "channel": "page"})
    return ctx.render("stays.html", f=ctx.scope.geo.facilities[facility_id], rows=rows, as_of=d,
                      all=all)
