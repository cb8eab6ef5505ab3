"""`jjis forms`: the entry workbook, the XLSForms and the paper registers, from the schema."""

from __future__ import annotations

from pathlib import Path

import typer

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    err_console,
    handle_errors,
    resolve_config,
)
from jjis.errors import JjisError
from jjis.store import database_file


def register(app: typer.Typer) -> None:
    @app.command("forms")
    @handle_errors
    def forms(
        out: Path = typer.Option(..., "--out", help="Folder for workbook/, xlsform/ and paper/ "
                                 "(created if missing)."),
        lang: str = typer.Option("en", "--lang", help="Language of the labels and messages: en or fr."),
        facility: list[str] = typer.Option([], "--facility", help="A facility the forms are for "
                                           "(repeat for several); needs --db."),
        db: Db = None,  # when given, its facilities and areas fill the dropdowns
        only: str | None = typer.Option(None, "--only", help="Write only these tools, "
                                        "comma-separated: workbook, xlsform, paper [default: all]"),
        config: ConfigFile = None,
    ) -> None:
        """Write the data-entry workbook, the ODK/Kobo XLSForms and the paper registers."""
        from jjis.forms.labels import check_language
        from jjis.forms.write import TOOLS, write_forms
        from jjis.store import open_store

        check_language(lang)
        tools = tuple(t.strip() for t in (only or ",".join(TOOLS)).split(",") if t.strip())
        unknown = [t for t in tools if t not in TOOLS]
        if unknown or not tools:
            raise JjisError(f"--only takes {', '.join(TOOLS)} (comma-separated), not {only!r}")
        if facility and not db:
            raise JjisError("--facility needs the database that knows the facilities: give it "
                            "with --db")
        cfg = resolve_config(config)
        if db is None:
            paths = write_forms(out, lang=lang, config=cfg, tools=tools)
        else:
            if (local := database_file(db)) is not None and not Path(local).exists():
                raise JjisError(f"the database {db} does not exist; give the database that holds "
                                "the facilities with --db")
            with open_store(db, read_only=True) as store:
                paths = write_forms(out, lang=lang, config=cfg, store=store, facilities=facility,
                                    tools=tools)
        console.print(f"Forms written to {paths.out_dir}/:", highlight=False)
        for p in paths.written:
            console.print(f"  {p}", highlight=False)
        for w in paths.warnings:
            err_console.print(f"warning: {w}", highlight=False)
