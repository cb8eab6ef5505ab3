"""What every request shares: the application's state (`Web`) and the request's view of it
(`Ctx`: the user, their scope, the language, the CSRF token, rendering and auditing)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from jjis.remit import Geography
from jjis.reports.i18n import N_
from jjis.settings import Config
from jjis.store import Store
from jjis.web import audit, present
from jjis.web.access import Denied, Scope
from jjis.web.auth import PRE_COOKIE, SESSION_COOKIE, Keys, Limiter, Sessions
from jjis.web.db import Database
from jjis.web.figures import Results
from jjis.web.i18n import role_name, words
from jjis.web.imports import ImportQueue
from jjis.web.users import User

LANG_COOKIE = "jjis_lang"


@dataclass
class Web:
    db: Database
    config: Config
    keys: Keys
    sessions: Sessions
    limiter: Limiter
    results: Results
    env: jinja2.Environment
    today: Callable[[], date]
    trail: audit.Trail
    imports: ImportQueue
    _geo: tuple[int, Geography] | None = None
    _geo_lock: threading.Lock = field(default_factory=threading.Lock)

    def geo(self, store: Store) -> Geography:
        version = self.db.version()
        cached = self._geo
        if cached is None or cached[0] != version:
            cached = (version, Geography.load(store))
            with self._geo_lock:
                self._geo = cached
        return cached[1]

    @property
    def languages(self) -> list[str]:
        return list(self.config["publication.languages"]) or ["en"]


class Ctx:
    """One request. `store` is looked up on each use: FastAPI may run a dependency and the
    endpoint on different worker threads, and each thread has its own store."""

    def __init__(self, web: Web, request: Request, user: User | None, binding: str | None) -> None:
        self.web, self.request, self.user = web, request, user
        self.binding = binding  # the session id, or the pre-session nonce, the CSRF token binds
        self.new_pre: str | None = None
        self.scope = Scope(user, web.geo(self.store))
        lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
        self.lang = lang if lang in web.languages else "en"
        self.L = words(self.lang)  # the request's words and labels (the one catalogue)
        self._ = self.t = self.L._
        self.n_ = self.L.n_

    @property
    def store(self) -> Store:
        return self.web.db.store()

    @property
    def actor(self) -> str:
        return self.user.username if self.user else "public"

    def csrf(self) -> str:
        if self.binding is None:  # a form before sign-in: bind it to a new pre-session cookie
            self.new_pre = self.binding = secrets.token_urlsafe(24)
        return self.web.sessions.csrf_token(self.binding)

    def require_csrf(self, token: str | None) -> None:
        if not self.web.sessions.csrf_ok(self.binding, token):
            raise Denied(403, N_("the form's security token is missing or stale: reload the page "
                         "and send the form again"))

    def audit(self, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
        self.web.trail.append(self.store, self.actor, action, target, detail)

    @contextmanager
    def audit_refusal(self, action: str, target: str, detail: dict[str, Any] | None = None,
                      ) -> Iterator[None]:
        """Write a refusal of a signed-in user (403, or 413/422 for uploads) to the audit log
        as `action`, with the status and the reason, and let it go on to be answered."""
        try:
            yield
        except Denied as exc:
            if self.user is not None and exc.status != 401:
                self.audit(action, target, {**(detail or {}), "status": exc.status,
                                            "reason": exc.message[:300]})
            raise

    def words(self) -> dict[str, Any]:
        """What a template gets to say things in the request's language: `_()` (and its older
        spelling `t()`), `n_()`, the labels `L` and the values shown in the language."""
        lang = self.lang

        def shown(f: Any, with_unit: bool = True) -> str:
            return present.shown(f, with_unit=with_unit, lang=lang)

        return {"_": self._, "t": self._, "n_": self.n_, "L": self.L, "lang": lang,
                "shown": shown, "interval": lambda f: present.interval(f, lang),
                "colon": self.L.labelled("", ""),  # ": ", or " : " in French
                # a figure's note; exact figures (drafts) keep their counts as they are
                "note": lambda f, exact=False: present.note(
                    f, lang, 0 if exact else int(self.web.config["publication.disclosure_threshold"])),
                "breakdown_label": lambda b: present.breakdown_label(b, lang),
                "value_label": lambda dim, v: present.value_label(dim, v, lang),
                "action_detail": lambda item: present.action_detail(item, lang),
                "role_name": lambda role: role_name(role, lang)}

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.web.env.get_template(template).render(
            **{"ctx": self, "user": self.user, "scope": self.scope, **self.words(), **values})
        response = HTMLResponse(html, status_code=status)
        self.finish(response)
        return response

    def finish(self, response: Any) -> None:
        """Cookies this request must leave: the pre-session nonce, the chosen language."""
        secure = self.request.url.scheme == "https"
        if self.new_pre:
            response.set_cookie(PRE_COOKIE, self.new_pre, httponly=True, samesite="strict",
                                secure=secure, max_age=3600)
        if self.request.query_params.get("lang") == self.lang:
            response.set_cookie(LANG_COOKIE, self.lang, httponly=True, samesite="lax",
                                secure=secure, max_age=365 * 86400)


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def page_ctx(request: Request) -> Ctx:
    """A page request: the user comes from the session cookie."""
    web = web_of(request)
    raw = web.sessions.session_id(request.cookies.get(SESSION_COOKIE))
    user = web.sessions.user(web.db.store(), raw, "session") if raw else None
    binding = raw if user else request.cookies.get(PRE_COOKIE)
    return Ctx(web, request, user, binding)


def api_ctx(request: Request) -> Ctx:
    """An API request: the user comes from the bearer token; a token that is not valid is 401."""
    web = web_of(request)
    header = request.headers.get("authorization", "")
    user = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Denied(401, "the Authorization header must be `Bearer <token>`")
        user = web.sessions.user(web.db.store(), token.strip(), "token")
        if user is None:
            raise Denied(401, "the bearer token is not valid or has expired: ask for a new one "
                         "at POST /api/token")
    return Ctx(web, request, user, None)
