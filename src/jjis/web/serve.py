"""Running the web application under uvicorn: what `jjis serve` and `jjis demo` share.

The command line prints through `say` (its console); nothing here imports the command line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from jjis.settings import Config
from jjis.store.base import masked


def server_config(app: object, host: str, port: int) -> Any:
    """The uvicorn configuration `jjis serve` runs. Uvicorn's own proxy-header handling is off:
    the application believes forwarded headers from `web.trusted_proxies` only."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, proxy_headers=False,  # type: ignore[arg-type]
                          log_level="info", server_header=False)


def serve_app(db: str, cfg: Config, host: str, port: int, *,
              today: Callable[[], date] | None = None, warm: date | None = None,
              say: Callable[[str], None] = print) -> None:
    """Run the application until interrupted. `warm` computes the figures of that census date
    first, so that the public finds them published."""
    import uvicorn

    from jjis.web.app import create_app
    from jjis.web.security import quiet_access_log

    app = create_app(db, cfg, today=today)
    if warm is not None:
        say(f"Computing the figures of {warm.isoformat()} for the public pages…")
        web = app.state.web
        web.results.run_id(web.db.store(), warm, (), may_compute=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        say("[yellow]note:[/yellow] serving beyond this machine: put it behind a reverse "
            "proxy that speaks HTTPS (cookies are marked Secure when the proxy says "
            "https through X-Forwarded-Proto)")
    say(f"Serving {masked(db)} on http://{host}:{port}/ (Ctrl+C stops)")
    server = uvicorn.Server(server_config(app, host, port))
    quiet_access_log()
    server.run()
