"""Web data entry pages: record one arrest, admission, decision, family contact or inspection of
a facility, or open one of its stays to add the sentence date or the release. Who may do so is
access.py's stays check (facility staff for their facilities, analysts within their remit); the
rules are the import's (web/entry.py); each save is audited."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jjis.errors import RowError, make_error
from jjis.reports.i18n import N_
from jjis.schema import TABLES, Table
from jjis.store import stays
from jjis.web import entry
from jjis.web.access import Denied, need_user
from jjis.web.context import Ctx, page_ctx

router = APIRouter(include_in_schema=False)
OPEN_STAYS = 100  # stays still held, listed to open for their release


def _allowed(ctx: Ctx, facility_id: str, table: str | None = None) -> None:
    need_user(ctx.user)
    ctx.scope.check_upload()
    ctx.scope.check_stays(facility_id)
    if table is not None and table not in entry.ENTRY_TABLES:
        raise Denied(404, N_("there is no entry form for {table}"), table=table)


@router.get("/entry/{facility_id}")
def entry_home(facility_id: str, ctx: Ctx = Depends(page_ctx)) -> Response:
    _allowed(ctx, facility_id)
    held = stays.held(ctx.store, facility_id, OPEN_STAYS)
    ctx.audit("view_records", facility_id, {"channel": "entry", "rows": len(held)})
    lb = entry.labels_for(ctx.lang)
    return ctx.render("entry_home.html", f=ctx.scope.geo.facilities[facility_id], held=held,
                      tables=[(t, lb.table(TABLES[t])) for t in entry.ENTRY_TABLES])


def _form(ctx: Ctx, facility_id: str, table: str, values: dict[str, str],
          errors: list[RowError], editing: str, status: int = 200,
          saved: dict[str, int] | None = None) -> Response:
    t = TABLES[table]
    lb = entry.labels_for(ctx.lang)
    return ctx.render("entry.html", status=status, f=ctx.scope.geo.facilities[facility_id],
                      table=t, title=lb.table(t), help=lb.table_help(t), editing=editing,
                      fields=entry.fields(t, values, errors, ctx.lang, ctx.web.config),
                      general=entry.general_errors(t, errors, ctx.lang), saved=saved)


@router.get("/entry/{facility_id}/{table}")
def entry_form(facility_id: str, table: str, stay_id: str | None = None,
               ctx: Ctx = Depends(page_ctx)) -> Response:
    _allowed(ctx, facility_id, table)
    values: dict[str, str] = {}
    if stay_id and table == "detentions":
        found = entry.existing_stay(ctx.store, facility_id, stay_id)
        if found is None:
            raise Denied(404, N_("the facility {facility_id} has no stay {stay_id}"),
                         facility_id=facility_id, stay_id=stay_id)
        values = found
        ctx.audit("view_records", facility_id, {"channel": "entry", "stay_id": stay_id})
    return _form(ctx, facility_id, table, values, [], editing=stay_id or "")


@router.post("/entry/{facility_id}/{table}")
async def entry_save(facility_id: str, table: str, request: Request,
                     ctx: Ctx = Depends(page_ctx)) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    ctx.require_csrf(form.get("csrf_token"))
    _allowed(ctx, facility_id, table)
    t = TABLES[table]
    editing = form.get("editing", "") if table == "detentions" else ""
    row = entry.one_row(t, facility_id, form)
    today = ctx.web.today()
    errors = entry.check(ctx.store, t, row, ctx.web.config, today)
    errors += _key_taken(ctx, t, row, editing)
    if not errors:
        errors, saved = entry.save(ctx.store, t, row, ctx.web.config, today)
        if not errors:
            ctx.web.db.changed()
            key = {k: row[k] for k in t.key}
            ctx.audit("record_entry", facility_id, {"table": table, "key": key, **saved})
            return _form(ctx, facility_id, table, {}, [], editing="", saved=saved)
    return _form(ctx, facility_id, table, row, errors, editing=editing, status=422)


def _key_taken(ctx: Ctx, t: Table, row: dict[str, str], editing: str) -> list[RowError]:
    """A new record whose key is already recorded would replace it: refused (a stay of the
    facility is opened to be edited instead, and keeps its stay_id)."""
    key_col = t.key[-1]
    if editing and editing == row.get("stay_id"):
        return []
    if not row.get(key_col):
        return []
    if not ctx.store.exists(t.name, {k: row[k] for k in t.key}):
        return []
    return [make_error("already-recorded", 2, key_col, row[key_col])]
