"""`jjis docs` and `jjis template`: documents and templates derived from the declarations."""

from __future__ import annotations

from pathlib import Path

import typer

from jjis.cli.common import console, handle_errors
from jjis.docs import write_docs, write_templates


def register(app: typer.Typer) -> None:
    @app.command("docs")
    @handle_errors
    def docs(root: Path = typer.Option(Path("."), "--root", help="The project folder.")) -> None:
        """Regenerate the reference documents (registers, settings, errors, indicators)."""
        for p in write_docs(root):
            console.print(f"wrote {p}")
        from jjis.cli.main import app as jjis_app  # the whole CLI, once every command is in it
        from jjis.cli.reference import write_readme

        if write_readme(root, jjis_app):
            console.print(f"wrote {root / 'README.md'} (the commands and their options)")

    @app.command("template")
    @handle_errors
    def template(out: Path = typer.Option(Path("templates"), "--out", help="Folder to write to.")) -> None:
        """Write an empty CSV template (header row) for every register."""
        for p in write_templates(out):
            console.print(f"wrote {p}")
