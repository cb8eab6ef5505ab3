"""The JSON API under /api (OpenAPI at /openapi.json). Authentication is by bearer token only
(`POST /api/token`), so no request here rides on a browser's cookies; 401 without a valid
token where one is needed, 403 outside the user's remit, errors as `{"error", "status"}`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from jjis.web import audit
from jjis.web.access import Denied, need_user
from jjis.web.api_models import (
    ActionListOut,
    AuditOut,
    ErrorOut,
    FigureOut,
    ImportReportOut,
    StaysOut,
    TokenOut,
)
from jjis.web.auth import TOKEN_SECONDS
from jjis.web.context import Ctx, api_ctx
from jjis.web.figures import BREAKDOWNS
from jjis.web.routes_auth import failed_target
from jjis.web.routes_facility import action_list_json
from jjis.web.routes_figures import view
from jjis.web.stays import record_rows
from jjis.web.uploads import import_upload, read_files
from jjis.web.users import check_password

router = APIRouter(prefix="/api", tags=["api"])


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ErrorOut} for c in codes}


@router.post("/token", response_model=TokenOut, responses=_errors(401, 422, 429))
def token(username: str = Form(...), password: str = Form(...), ctx: Ctx = Depends(api_ctx)) -> Any:
    """A bearer token for the other endpoints (`Authorization: Bearer <token>`)."""
    web = ctx.web
    address = ctx.request.client.host if ctx.request.client else "unknown"
    wait = web.limiter.retry_after(username, address)
    if wait:
        return JSONResponse({"error": f"too many failed attempts: wait {wait} seconds",
                             "status": 429}, status_code=429, headers={"Retry-After": str(wait)})
    user = check_password(ctx.store, username, password)
    if user is None:
        web.limiter.failed(username, address)
        ctx.audit("sign_in_failed", *failed_target(ctx, username, "api"))
        raise Denied(401, "the user name or password is not right")
    web.limiter.succeeded(username, address)
    raw = web.sessions.start(ctx.store, user.username, kind="token")
    ctx.user = user
    ctx.audit("token", user.username, {"channel": "api"})
    return {"access_token": raw, "token_type": "bearer", "expires_in": TOKEN_SECONDS}


@router.get("/indicators", response_model=list[FigureOut], responses=_errors(401, 403, 404, 422))
def indicators(census_date: date | None = Query(None, description="the census date, YYYY-MM-DD "
                                               "(default: the newest released census date)"),
               area: str | None = Query(None, description="an area_id (default: the top of the "
                                        "hierarchy, or an analyst's first area)"),
               by: str | None = Query(None, description=f"one breakdown: {', '.join(BREAKDOWNS)}"),
               ctx: Ctx = Depends(api_ctx)) -> Response:
    """The figures of the area and every area below it, in the compute JSON shape. Admins, and
    analysts within their areas, get exact figures (a draft); everyone else the figures of the
    newest release for the census date (docs/release.md)."""
    v = view(ctx, census_date.isoformat() if census_date else None, area, by)
    areas = sorted(ctx.scope.geo.below(v.area))
    body = ctx.web.results.json_bytes(ctx.store, v.run_id, v.exact, areas)
    if v.exact:
        ctx.audit("export", v.area, {"census_date": v.census_date.isoformat(), "by": v.by or "",
                                     "exact": True, "format": "json", "channel": "api"})
    return Response(body, media_type="application/json")


@router.get("/facilities/{facility_id}/action-list", response_model=ActionListOut,
            responses=_errors(401, 403, 404, 422))
def facility_action_list(facility_id: str, as_of: date | None = Query(None, description="default: today"),
                         ctx: Ctx = Depends(api_ctx)) -> Any:
    """The children in the facility who need action, each with the rule that fired."""
    need_user(ctx.user)
    return Response(action_list_json(ctx, facility_id, as_of or ctx.web.today()),
                    media_type="application/json")


@router.get("/facilities/{facility_id}/stays", response_model=StaysOut,
            responses=_errors(401, 403, 404, 422))
def facility_stays(facility_id: str, as_of: date | None = Query(None, description="default: today"),
                   current: bool = Query(True, description="only stays open on the as-of date"),
                   ctx: Ctx = Depends(api_ctx)) -> Any:
    """Record-level stays (no child identifier, no date of birth); audited."""
    need_user(ctx.user)
    ctx.scope.check_stays(facility_id)
    d = as_of or ctx.web.today()
    rows = record_rows(ctx.store, facility_id, d, current_only=current)
    ctx.audit("view_records", facility_id, {"as_of": d.isoformat(), "rows": len(rows),
                                            "channel": "api"})
    return {"facility_id": facility_id, "as_of": d.isoformat(), "stays": rows}


@router.post("/imports", response_model=ImportReportOut, responses=_errors(401, 403, 413, 422))
def imports(files: list[UploadFile] = File(..., description="CSV files named after their register, "
                                           "or .xlsx workbooks"),
            ctx: Ctx = Depends(api_ctx)) -> Any:
    """Validate and import registers; the answer is the import JSON report."""
    need_user(ctx.user)
    ctx.scope.check_upload()
    return import_upload(ctx, read_files(files), "api")


@router.get("/audit", response_model=AuditOut, responses=_errors(401, 403, 422))
def audit_log(limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
              action: str | None = Query(None), ctx: Ctx = Depends(api_ctx)) -> Any:
    """Audit entries, newest first, and whether the chain is intact (admin)."""
    ctx.scope.check_admin()
    check = audit.verify(ctx.store, ctx.web.keys.audit)
    return {"intact": check.ok, "message": check.message,
            "entries": audit.entries(ctx.store, limit=limit, offset=offset, action=action)}
