"""Upload and quarantine pages, user administration and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import RedirectResponse, Response

from jjis.errors import JjisError
from jjis.ingest.quarantine import list_quarantine
from jjis.reports.i18n import N_
from jjis.web import audit
from jjis.web.access import Denied, need_user
from jjis.web.auth import revoke
from jjis.web.context import Ctx, page_ctx
from jjis.web.uploads import job_of, names, read_files, rows_in_remit, submit_upload
from jjis.web.users import ROLES, add_user, list_users, set_active

router = APIRouter(include_in_schema=False)
PAGE = 200
MAX_PAGE = 10**6  # 200 million entries; larger page numbers are 422, not a database error


@router.get("/upload")
def upload_page(ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.scope.check_upload()
    return ctx.render("upload.html", report=None, job=None)


@router.post("/upload")
def upload(files: list[UploadFile] = File(...), csrf_token: str = Form(""),
           ctx: Ctx = Depends(page_ctx)) -> Response:
    """Accept the files as an import job and go to its page."""
    ctx.require_csrf(csrf_token)
    with ctx.audit_refusal("upload_refused", names(files), {"channel": "page"}):
        job = submit_upload(ctx, read_files(files), "page")
    return RedirectResponse(f"/upload/{job.job_id}", status_code=303)


@router.get("/upload/{job_id}")
def upload_job(job_id: str, ctx: Ctx = Depends(page_ctx)) -> Response:
    """How an upload goes: waiting, being imported, refused, or its validation report."""
    job = job_of(ctx, job_id)
    return ctx.render("upload.html", report=job.report, job=job)


@router.get("/quarantine")
def quarantine(table: str | None = None, page: int = Query(0, ge=0, le=MAX_PAGE),
               ctx: Ctx = Depends(page_ctx)) -> Response:
    """Rejected rows not yet corrected, within the user's remit (record level: audited)."""
    with ctx.audit_refusal("view_denied", "quarantine", {"view": "quarantine"}):
        ctx.scope.check_upload()
    rows = rows_in_remit(ctx.scope, list_quarantine(ctx.store, table or None))
    shown = rows[page * PAGE:(page + 1) * PAGE]
    ctx.audit("view_records", "quarantine", {"rows": len(shown), "table": table or ""})
    return ctx.render("quarantine.html", rows=shown, total=len(rows), page=page, pages=
                      (len(rows) + PAGE - 1) // PAGE, table=table or "",
                      tables=sorted({r["table"] for r in rows}))


@router.get("/admin/users")
def users_page(ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.scope.check_admin()
    return ctx.render("users.html", users=list_users(ctx.store), roles=ROLES, error=None,
                      geo=ctx.scope.geo)


@router.post("/admin/users")
def users_add(username: str = Form(...), role: str = Form(...), password: str = Form(...),
              areas: str = Form(""), facilities: str = Form(""), csrf_token: str = Form(""),
              ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.require_csrf(csrf_token)
    ctx.scope.check_admin()
    area_list = [a.strip() for a in areas.replace(",", " ").split() if a.strip()]
    fac_list = [f.strip() for f in facilities.replace(",", " ").split() if f.strip()]
    try:
        add_user(ctx.store, username.strip(), role, password, areas=area_list, facilities=fac_list)
    except JjisError as exc:
        return ctx.render("users.html", status=422, users=list_users(ctx.store), roles=ROLES,
                          error=str(exc), geo=ctx.scope.geo)
    ctx.audit("user_added", username.strip(), {"role": role, "areas": area_list,
                                               "facilities": fac_list, "channel": "page"})
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/active")
def users_active(username: str, active: str = Form(...), csrf_token: str = Form(""),
                 ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.require_csrf(csrf_token)
    ctx.scope.check_admin()
    user = need_user(ctx.user)
    if username == user.username:
        raise Denied(422, N_("you cannot disable yourself; ask another admin"))
    set_active(ctx.store, username, active == "yes")
    ctx.web.sessions.forget()
    ctx.audit("user_changed", username, {"active": active == "yes"})
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/revoke")
def users_revoke(username: str, csrf_token: str = Form(""), ctx: Ctx = Depends(page_ctx)) -> Response:
    """End every session and API token of the user (they sign in again)."""
    ctx.require_csrf(csrf_token)
    ctx.scope.check_admin()
    n = revoke(ctx.store, username)
    ctx.web.sessions.forget()
    ctx.audit("token_revoked", username, {"revoked": n, "channel": "page"})
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_page(page: int = Query(0, ge=0, le=MAX_PAGE), action: str | None = None,
               ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.scope.check_admin()
    entries = audit.entries(ctx.store, limit=PAGE, offset=page * PAGE, action=action or None)
    check = ctx.web.trail.verify(ctx.store)
    return ctx.render("audit.html", entries=entries, check=check, page=page,
                      action=action or "", actions=audit.ACTIONS, per_page=PAGE)
