"""The JSON API under /api (OpenAPI at /openapi.json). Authentication is by bearer token only
(`POST /api/token`), so no request here rides on a browser's cookies; 401 without a valid
token where one is needed, 403 outside the user's remit, errors as `{"error", "status"}`."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from jjis.web import audit
from jjis.web.access import Denied, need_user
from jjis.web.api_models import (
    ActionListOut,
    ActionSummaryOut,
    AuditOut,
    ErrorOut,
    FacilitiesOut,
    FigureOut,
    ImportJobOut,
    RevokedOut,
    StaysOut,
    TokenOut,
    TokensOut,
)
from jjis.web.auth import list_tokens, revoke
from jjis.web.context import Ctx, api_ctx
from jjis.web.figures import BREAKDOWNS
from jjis.web.routes_actions import action_summary
from jjis.web.routes_auth import client_address, failed_target, second_factor
from jjis.web.routes_facility import action_list_json
from jjis.web.routes_figures import view
from jjis.web.stays import record_rows
from jjis.web.uploads import job_of, read_files, submit_upload
from jjis.web.uploads import names as _names
from jjis.web.users import check_password

router = APIRouter(prefix="/api", tags=["api"])
MAX_OFFSET = 10**9  # beyond any audit log; larger offsets are 422, not a database error


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ErrorOut} for c in codes}


@router.post("/token", response_model=TokenOut, responses=_errors(401, 422, 429))
def token(username: str = Form(...), password: str = Form(...),
          code: str = Form("", description="the 6-digit one-time code, for users who have one"),
          ctx: Ctx = Depends(api_ctx)) -> Any:
    """A bearer token for the other endpoints (`Authorization: Bearer <token>`)."""
    web = ctx.web
    address = client_address(ctx)
    wait = web.limiter.retry_after(username, address)
    if wait:
        return JSONResponse({"error": f"too many failed attempts: wait {wait} seconds",
                             "status": 429}, status_code=429, headers={"Retry-After": str(wait)})
    user = check_password(ctx.store, username, password)
    if user is None:
        web.limiter.failed(username, address)
        ctx.audit("sign_in_failed", *failed_target(ctx, username, "api"))
        raise Denied(401, "the user name or password is not right")
    refused = second_factor(ctx, user, code)
    if refused:
        web.limiter.failed(username, address)
        ctx.audit("sign_in_failed", user.username, {"channel": "api", "known_user": True,
                                                    "factor": "totp"})
        raise Denied(401, refused)
    web.limiter.succeeded(username, address)
    raw = web.sessions.start(ctx.store, user.username, kind="token")
    ctx.user = user
    ctx.audit("token", user.username, {"channel": "api"})
    return {"access_token": raw, "token_type": "bearer", "expires_in": web.sessions.life["token"]}


@router.get("/tokens", response_model=TokensOut, responses=_errors(401))
def tokens(ctx: Ctx = Depends(api_ctx)) -> Any:
    """The caller's API tokens that have not expired (named by `token_id`, never the token)."""
    user = need_user(ctx.user)
    return {"tokens": list_tokens(ctx.store, user.username)}


@router.post("/token/revoke", response_model=RevokedOut, responses=_errors(401, 422))
def token_revoke(token_id: str | None = Form(None, description="one of your tokens (default: "
                                             "the token of this request)"),
                 ctx: Ctx = Depends(api_ctx)) -> Any:
    """Revoke a token of the caller's: the one this request carries, or the one named."""
    user = need_user(ctx.user)
    if token_id is None:
        raw = ctx.request.headers.get("authorization", "").partition(" ")[2].strip()
        token_id = hashlib.sha256(raw.encode("ascii")).hexdigest()[:12]
    n = revoke(ctx.store, user.username, token=token_id)
    ctx.web.sessions.forget()
    ctx.audit("token_revoked", user.username, {"token_id": token_id, "revoked": n,
                                              "channel": "api"})
    return {"revoked": n}


@router.get("/indicators", response_model=list[FigureOut], responses=_errors(401, 403, 404, 422))
def indicators(census_date: date | None = Query(None, description="the census date, YYYY-MM-DD "
                                               "(default: the newest released census date)"),
               area: str | None = Query(None, description="an area_id (default: the top of the "
                                        "hierarchy, or an analyst's first area)"),
               by: str | None = Query(None, description=f"one breakdown: {', '.join(BREAKDOWNS)}; "
                                      "or two crossed, sex*age_group (the cross table's cells, "
                                      "its margins and the total)"),
               ctx: Ctx = Depends(api_ctx)) -> Response:
    """The figures of the area and every area below it, in the compute JSON shape. Admins, and
    analysts within their areas, get exact figures (a draft); everyone else the figures of the
    newest release for the census date (docs/release.md)."""
    v = view(ctx, census_date.isoformat() if census_date else None, area, by)
    areas = sorted(a for a in ctx.scope.geo.below(v.area) if ctx.scope.sees_area(a))
    body = ctx.web.results.json_bytes(ctx.store, v.run_id, v.exact, areas)
    if v.exact:
        ctx.audit("export", v.area, {"census_date": v.census_date.isoformat(), "by": v.by or "",
                                     "exact": True, "format": "json", "channel": "api"})
    return Response(body, media_type="application/json")


@router.get("/facilities", response_model=FacilitiesOut, responses=_errors(401))
def facilities(ctx: Ctx = Depends(api_ctx)) -> Any:
    """The facilities in the caller's remit (every facility for admins and national analysts),
    by area and name."""
    need_user(ctx.user)
    places = set(ctx.web.config["indicators.detention_kinds"])
    return {"facilities": [{"facility_id": f.facility_id, "name": f.name, "area_id": f.area_id,
                            "kind": f.kind, "holds_adults": f.holds_adults,
                            "place_of_detention": f.kind in places}
                           for f in ctx.scope.facilities()]}


@router.get("/action-summary", response_model=ActionSummaryOut, responses=_errors(401, 403, 422))
def action_summary_api(as_of: date | None = Query(None, description="default: today"),
                       ctx: Ctx = Depends(api_ctx)) -> Any:
    """Open action-list items of every place of detention in the caller's remit, per rule
    (how many facilities, how many children) and per facility; audited."""
    return action_summary(ctx, as_of or ctx.web.today(), "api").as_json()


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
    with ctx.audit_refusal("view_denied", facility_id, {"view": "stays", "channel": "api"}):
        ctx.scope.check_stays(facility_id)
    d = as_of or ctx.web.today()
    rows = record_rows(ctx.store, facility_id, d, current_only=current)
    ctx.audit("view_records", facility_id, {"as_of": d.isoformat(), "rows": len(rows),
                                            "channel": "api"})
    return {"facility_id": facility_id, "as_of": d.isoformat(), "stays": rows}


@router.post("/imports", response_model=ImportJobOut, status_code=202,
             responses=_errors(401, 403, 413, 422, 503))
def imports(files: list[UploadFile] = File(..., description="CSV files named after their register, "
                                           "or .xlsx workbooks"),
            ctx: Ctx = Depends(api_ctx)) -> Any:
    """Accept registers for import (202): the remit check and the import run in the
    background, one upload at a time; poll `GET /api/imports/{job_id}` for the report."""
    need_user(ctx.user)
    with ctx.audit_refusal("upload_refused", _names(files), {"channel": "api"}):
        job = submit_upload(ctx, read_files(files), "api")
    return JSONResponse(job.as_json(), status_code=202,
                        headers={"Location": f"/api/imports/{job.job_id}"})


@router.get("/imports/{job_id}", response_model=ImportJobOut, responses=_errors(401, 404))
def import_status(job_id: str, ctx: Ctx = Depends(api_ctx)) -> Any:
    """An upload's job: `queued`, `running`, then `done` (with the import JSON report, as
    `jjis import --json` gives it, plus `exit_code`), `refused` (outside the remit: `error`,
    `status_code` 403) or `failed`. Only the uploader and admins see a job."""
    return job_of(ctx, job_id).as_json()


@router.get("/audit", response_model=AuditOut, responses=_errors(401, 403, 422))
def audit_log(limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
              action: str | None = Query(None), ctx: Ctx = Depends(api_ctx)) -> Any:
    """Audit entries, newest first, and whether the chain is intact (admin)."""
    ctx.scope.check_admin()
    check = ctx.web.trail.verify(ctx.store)
    return {"intact": check.ok, "message": check.message,
            "entries": audit.entries(ctx.store, limit=limit, offset=offset, action=action)}
