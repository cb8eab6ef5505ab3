"""One error renderer for both surfaces: JSON under /api, an HTML page elsewhere.

API errors are `{"error": "<one plain sentence>", "status": <code>}` (validation errors add
`detail`); 401 carries `WWW-Authenticate: Bearer`. A page that needs a user sends an anonymous
visitor to the sign-in page. Unexpected errors say nothing about the data.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from jjis.errors import JjisError
from jjis.reports.i18n import N_
from jjis.web.access import Denied
from jjis.web.figures import Computing, NoFigures

log = logging.getLogger("jjis.web")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _page_ctx(request: Request) -> Any:
    """The request's user and language for an error page; None when even that cannot be had
    (the database is what failed): the page is then the public's, in English."""
    from jjis.web.context import page_ctx

    try:
        return page_ctx(request)
    except Exception:  # noqa: BLE001 - an error page must always be answered
        return None


def _filled(message: str, fields: dict[str, Any] | None) -> str:
    try:
        return message.format(**fields) if fields else message
    except (KeyError, IndexError, ValueError):
        return message


def render_error(request: Request, status: int, message: str, detail: Any = None,
                 fields: dict[str, Any] | None = None) -> Response:
    """`message` is a message id of the catalogue when `fields` are given (its placeholders
    filled from them) or when it is one as it stands; a page says it in the user's language."""
    if _is_api(request):
        body: dict[str, Any] = {"error": message, "status": status}
        if detail is not None:
            body["detail"] = detail
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
    web = getattr(request.app.state, "web", None)
    if web is None:
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)
    english = _filled(message, fields)
    ctx = _page_ctx(request)
    if ctx is None:
        html = web.env.get_template("error.html").render(
            ctx=None, _=str, t=str, n_=None, L=None, user=None, scope=None, lang="en",
            shown=None, interval=None, colon=": ", breakdown_label=None, value_label=None,
            action_detail=None, role_name=str, note=None,
            status=status, message=english)
        return HTMLResponse(html, status_code=status)
    try:
        said = ctx._(message, **fields) if fields else ctx._(message)
    except (KeyError, IndexError, ValueError):  # a translation that does not fit its fields
        said = english
    html = web.env.get_template("error.html").render(
        **{"ctx": ctx, "user": ctx.user, "scope": ctx.scope, **ctx.words(), "status": status,
           "message": said})
    response = HTMLResponse(html, status_code=status)
    ctx.finish(response)
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(Denied)
    async def denied(request: Request, exc: Denied) -> Response:
        if _is_api(request):
            return render_error(request, exc.status, exc.message)
        return render_error(request, exc.status, exc.template, fields=exc.fields)

    @app.exception_handler(NoFigures)
    async def no_figures(request: Request, exc: NoFigures) -> Response:
        return render_error(request, 404, exc.template, fields=exc.fields)

    @app.exception_handler(Computing)
    async def computing(request: Request, exc: Computing) -> Response:
        if exc.page is None:
            return render_error(request, 503, f"{exc}; ask again in a few seconds")
        response: Response = exc.page()
        response.headers["Retry-After"] = "2"
        return response

    @app.exception_handler(JjisError)
    async def jjis_error(request: Request, exc: JjisError) -> Response:
        return render_error(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        first = detail[0] if detail else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"][1:]) or "request"
        return render_error(request, 422, f"{where}: {first['msg']}", detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = str(exc.detail) if exc.detail else "error"
        return render_error(request, exc.status_code, message)



class ContainErrors:
    """Innermost guard for unexpected errors (pure ASGI middleware). Starlette's last-resort
    handler would answer and then re-raise, and the server would log the whole traceback, whose
    messages may quote data; here the error is answered and logged with its kind and where it
    happened only."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)[-4:]
            log.error("unexpected %s on %s %s at %s", type(exc).__name__, scope.get("method"),
                      scope.get("path"), " > ".join(f"{f.filename}:{f.lineno}" for f in frames))
            if not started:
                response = render_error(Request(scope), 500, N_(
                    "something went wrong on the server; the error is in the server's log"))
                await response(scope, receive, send)
