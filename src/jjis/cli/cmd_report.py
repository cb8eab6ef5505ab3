"""`jjis report`: the report (HTML, PDF), the workbook (XLSX) and the SDMX files for a census date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from jjis import notes
from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    err_console,
    handle_errors,
    parse_date,
    progress_bar,
    resolve_config,
    resolve_db,
)
from jjis.errors import JjisError
from jjis.store.url import parse


def parse_compare(text: str | None) -> list[date]:
    return [parse_date(t, "--compare") for t in (text or "").split(",") if t.strip()]


def run_report(db: str, config: Any, census_date: date, out: Path, *, area: str | None,
               lang: str, compare: list[date], quiet: bool = False,
               release: str | None = None) -> Any:
    """Write the report with a progress bar; returns the ReportPaths."""
    from jjis.reports import write_report
    from jjis.store import open_store

    with progress_bar("report", show=not quiet) as progress, open_store(db) as store:
        return write_report(store, config, census_date, out, area=area, lang=lang,
                            compare=compare, progress=progress, release=release)


def print_paths(paths: Any) -> None:
    console.print(f"Report written to {paths.out_dir}/:", highlight=False)
    for p in paths.files():
        console.print(f"  {p}", highlight=False)
    releases = paths.model.releases if paths.model is not None else {}
    for day, run_id in sorted(paths.runs.items()):
        shown = f"release {releases[day]}" if releases.get(day) else "draft, not released"
        console.print(f"Figures of {day.isoformat()}: run {run_id} ({shown})", highlight=False)
    for m in paths.missing:
        err_console.print(f"[yellow]warning:[/yellow] {m}", highlight=False)
    for w in paths.warnings:  # typed (jjis.notes), rendered from the catalogue
        err_console.print(f"warning: {notes.render(w)}", highlight=False)
    for p in paths.problems:
        err_console.print(f"[red]problem:[/red] {notes.render(p)}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def report(
        census_date: str = typer.Option(..., "--census-date", help="Census date C, YYYY-MM-DD."),
        out: Path = typer.Option(..., "--out", help="Folder for report.html, report.pdf, "
                                 "indicators.xlsx and sdmx/ (created if missing)."),
        area: str | None = typer.Option(None, "--area", help="Area (default: the country)."),
        lang: str = typer.Option("en", "--lang", help="Language of the report: en or fr (any "
                                 "language with a catalogue)."),
        compare: str | None = typer.Option(None, "--compare", help="More census dates for the "
                                           "trend, comma-separated: 2024-12-31,2023-12-31."),
        release: str | None = typer.Option(None, "--release", help="The release to report "
                                           "(default: the newest release of the census date; "
                                           "without one, the current data, marked draft)."),
        db: Db = None,
        config: ConfigFile = None,
    ) -> None:
        """Write the report (HTML and PDF), the XLSX workbook and the SDMX files."""
        from jjis.reports.i18n import check_language

        day = parse_date(census_date, "--census-date")
        dates = parse_compare(compare)
        check_language(lang)
        cfg = resolve_config(config)
        path = resolve_db(db)
        if parse(path).exists is False:
            raise JjisError(f"the database {path} does not exist; run `jjis init` and `jjis "
                            "import`, or give the database with --db")
        paths = run_report(path, cfg, day, out, area=area, lang=lang, compare=dates,
                           release=release)
        print_paths(paths)
        if paths.missing or paths.problems:
            raise typer.Exit(1)
