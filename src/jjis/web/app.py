"""The web application: `create_app(store_url, config)` builds it; `jjis serve` runs it.

Pages are rendered on the server (Jinja2) with htmx served from the package; the JSON API lives
under /api with its OpenAPI schema at /openapi.json. See docs/web.md.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import jinja2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from jjis.ingest import keycheck
from jjis.publish import area_parents
from jjis.settings import Config
from jjis.web import audit, present
from jjis.web.anchor import Anchor, anchor_path
from jjis.web.auth import Keys, Limiter, Sessions
from jjis.web.context import Web
from jjis.web.db import Database
from jjis.web.errors import ContainErrors
from jjis.web.errors import install as install_errors
from jjis.web.figures import Results
from jjis.web.imports import SHUTDOWN_SECONDS, ImportQueue, import_job
from jjis.web.security import SecurityHeaders, TrustedProxies
from jjis.web.uploads import remit_refusals

HERE = Path(__file__).parent
# Worker threads for requests. Requests are short and DuckDB runs its queries on threads of its
# own: a small pool keeps Python threads from contending for the interpreter (measured with
# benchmarks/web.py: 40 threads gave twice the tail latency of 4 to 8).
THREADS = 8


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(["html"], default=True),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.globals.update(shown=present.shown, interval=present.interval, coverage=present.coverage,
                       indicator_name=present.indicator_name,
                       breakdown_label=present.breakdown_label, prose=present.prose,
                       in_order=present.in_order, statistics_in_order=present.statistics_in_order)
    return env


def shut_down(web: Web, seconds: float = SHUTDOWN_SECONDS) -> None:
    """The application's shutdown, in order: the import queue takes no new job and the running
    import ends (up to `seconds`), the figures computing in the background end (up to
    `seconds` more), and only then is the database closed, so that no thread has its connection
    closed under it. What still runs after that is logged, and fails."""
    log = logging.getLogger("jjis.web")
    if not web.imports.close(seconds):
        log.warning("an import was still running at shutdown after %s s: the database is "
                    "closed under it and that import fails", seconds)
    if not web.results.join(seconds):
        log.warning("figures were still being computed at shutdown after %s s: the "
                    "database is closed under them", seconds)
    web.db.close()


def _anchor(store_url: str, config: Config, key: bytes) -> Anchor | None:
    path = anchor_path(store_url, config)
    return Anchor(path, key) if path is not None else None


def create_app(store_url: str, config: Config, *, secret: bytes | None = None,
               today: Callable[[], date] | None = None) -> FastAPI:
    """The application on the database at `store_url` (a DuckDB path or a postgresql:// URL).

    `secret` defaults to the database's own pseudonymisation key (checked against the key
    check value it records), from which the cookie, CSRF and
    audit keys are derived; `today` gives the default as-of date of action lists."""
    from jjis import __version__
    from jjis.web import (
        routes_actions,
        routes_admin,
        routes_api,
        routes_auth,
        routes_compare,
        routes_downloads,
        routes_entry,
        routes_facility,
        routes_figures,
        routes_forms,
        routes_release,
    )

    db = Database(store_url)
    if secret is None:
        try:
            found = keycheck.database_key(db.main, config)
        except BaseException:
            db.close()  # a wrong or missing key: the application does not start
            raise
        if found.note:
            logging.getLogger("jjis.web").warning("%s", found.note)
        secret = found.key
    keys = Keys.derive(secret)
    trail = audit.Trail(keys.audit, anchor=_anchor(store_url, config, keys.audit))
    run = import_job(db.store, config, db.changed, remit_refusals,
                     lambda actor, action, target, detail: trail.append(
                         db.store(), actor, action, target, detail))
    web = Web(db=db, config=config, keys=keys, sessions=Sessions(keys, config), limiter=Limiter(),
              results=Results(config, area_parents), env=templates(), today=today or date.today,
              trail=trail, imports=ImportQueue(run))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        web.imports.open()
        yield
        await anyio.to_thread.run_sync(shut_down, web)

    app = FastAPI(title="jjis", version=str(__version__), lifespan=lifespan,
                  description="Juvenile justice indicators: the JSON API of the web application.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.web = web
    install_errors(app)
    for module in (routes_auth, routes_figures, routes_facility, routes_admin, routes_forms,
                   routes_entry, routes_api, routes_release, routes_compare, routes_actions,
                   routes_downloads):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(ContainErrors)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedProxies, trusted=list(config["web.trusted_proxies"]))
    return app
