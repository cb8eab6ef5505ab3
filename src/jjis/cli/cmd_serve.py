"""`jjis serve`: the web application on the configured database."""

from __future__ import annotations

import typer

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    handle_errors,
    resolve_config,
    resolve_db,
)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @handle_errors
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        db: Db = None,
        config: ConfigFile = None,
    ) -> None:
        """Serve the web application: dashboard, uploads, action lists, JSON API under /api."""
        from jjis.web.serve import serve_app  # the web stack loads only when serving

        serve_app(resolve_db(db), resolve_config(config), host, port, say=console.print)
