"""Sign-in and sign-out pages."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from jjis.reports.i18n import N_
from jjis.web import totp
from jjis.web.auth import PRE_COOKIE, SESSION_COOKIE
from jjis.web.context import Ctx, page_ctx
from jjis.web.users import USERNAME, User, check_password, get_user

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never `//host` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target


def failed_target(ctx: Ctx, username: str, channel: str) -> tuple[str, dict[str, object]]:
    """What a failed sign-in records: the user name only when such a user exists (a password
    typed into the name field must not land in the audit log)."""
    known = get_user(ctx.store, username) is not None if USERNAME.match(username) else False
    return (username if known else "", {"channel": channel, "known_user": known})


def second_factor(ctx: Ctx, user: User, code: str) -> str | None:
    """None when the one-time code is not needed or is right; else why the sign-in fails."""
    store = ctx.store
    if not totp.needed(store, user.username, user.role, bool(ctx.web.config["web.require_totp"])):
        return None
    if not totp.enrolled(store, user.username):
        return N_("admins and analysts sign in with a one-time code, and this user has none yet: "
                  "ask an admin to run `jjis user totp NAME`")
    if not code.strip():
        return N_("give the 6-digit one-time code of your authenticator app")
    if not totp.check(store, ctx.web.keys.totp, user.username, code):
        return N_("the one-time code is not right, or was used already: wait for the next one")
    return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def client_address(ctx: Ctx) -> str:
    return ctx.request.client.host if ctx.request.client else "unknown"


@router.get("/sign-in")
def sign_in_page(next: str | None = None, ctx: Ctx = Depends(page_ctx)) -> Response:
    if ctx.user:
        return RedirectResponse(_safe_next(next), status_code=303)
    return ctx.render("sign_in.html", next=_safe_next(next), error=None)


@router.post("/sign-in")
def sign_in(username: str = Form(""), password: str = Form(""), next: str = Form("/dashboard"),
            code: str = Form(""), csrf_token: str = Form(""), ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.require_csrf(csrf_token)
    web, address = ctx.web, client_address(ctx)
    wait = web.limiter.retry_after(username, address)
    if wait:
        limited = ctx.render("sign_in.html", status=429, next=_safe_next(next),
                              error=ctx._("Too many failed attempts: wait {n} minutes.", n=wait // 60 + 1))
        limited.headers["Retry-After"] = str(wait)
        return limited
    user = check_password(ctx.store, username, password)
    if user is None:
        web.limiter.failed(username, address)
        ctx.audit("sign_in_failed", *failed_target(ctx, username, "page"))
        return ctx.render("sign_in.html", status=401, next=_safe_next(next),
                          error=ctx._("The user name or password is not right."))
    refused = second_factor(ctx, user, code)
    if refused:
        web.limiter.failed(username, address)
        ctx.audit("sign_in_failed", user.username, {"channel": "page", "known_user": True,
                                                    "factor": "totp"})
        return ctx.render("sign_in.html", status=401, next=_safe_next(next),
                          error=_sentence(ctx._(refused)))
    web.limiter.succeeded(username, address)
    cookie = web.sessions.start(ctx.store, user.username)
    ctx.user = user
    ctx.audit("sign_in", user.username, {"channel": "page"})
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=ctx.request.url.scheme == "https",
                        max_age=web.sessions.life["session"])
    response.delete_cookie(PRE_COOKIE)
    return response


@router.post("/sign-out")
def sign_out(csrf_token: str = Form(""), ctx: Ctx = Depends(page_ctx)) -> Response:
    ctx.require_csrf(csrf_token)
    if ctx.user:
        ctx.web.sessions.end(ctx.store, ctx.binding, ctx.user.username)
        ctx.audit("sign_out", ctx.user.username)
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
