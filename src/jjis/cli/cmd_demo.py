"""`jjis demo`: a synthetic country from registers to figures, in one command."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from jjis.api import import_registers, init_database
from jjis.cli.cmd_import import print_report
from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    handle_errors,
    n_,
    resolve_config,
)
from jjis.errors import JjisError
from jjis.settings import Config
from jjis.store import Store, open_store
from jjis.synth import SynthSummary

MARKER = ".jjis-demo"


def _fresh(out: Path) -> None:
    """Start from an empty demo folder; never delete a folder the demo did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise JjisError(f"{out} exists and was not made by `jjis demo`; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by jjis demo; deleted and rebuilt by the next demo\n")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @handle_errors
    def demo(
        no_serve: bool = typer.Option(False, "--no-serve", help="Stop after the figures; do not serve."),
        children: int = typer.Option(20_000, "--children", help="Children in the synthetic country."),
        seed: int = typer.Option(1, "--seed"),
        out: Path = typer.Option(Path("demo"), "--out", help="Folder for the registers and database."),
        port: int = typer.Option(8000, "--port", help="Port to serve the demo on."),
        db: Db = None,  # a new database for the demo [default: <out>/jjis.duckdb]
        config: ConfigFile = None,
    ) -> None:
        """Synthesise a country, import its registers and compute its figures."""
        from jjis.synth import synthesise

        cfg = resolve_config(config)
        _fresh(out)
        registers = out / "registers"
        summary = synthesise(registers, children=children, seed=seed)
        console.print(n_("Synthesised the registers of {n} child in {folder}/",
                         "Synthesised the registers of {n} children in {folder}/", children,
                         folder=registers))
        if db is None:
            db = str(out / "jjis.duckdb")
        init_database(db)
        with open_store(db) as store:
            report = import_registers(store, [registers], cfg)
            print_report(report)
            if report.exit_code:
                raise typer.Exit(report.exit_code)
            _figures(store, cfg, summary)
        console.print(f"Database: {db} (try `jjis compute --db {db} --census-date "
                      f"{summary.end_date.isoformat()}`)")
        _report(db, cfg, summary, out / "report")
        if not no_serve:
            from jjis.web.demo import serve_demo

            serve_demo(db, cfg, summary.end_date, port=port,
                       say=lambda text: console.print(text, highlight=False))


def _figures(store: Store, cfg: Config, summary: SynthSummary) -> None:
    """Release the indicators of the synthetic country's last day (computed and recorded as a
    run, disclosure control applied), so that the public pages show them at once, and print
    the country's totals as released."""
    from jjis.cli.cmd_compute import render_summary
    from jjis.cli.cmd_release import cli_audit
    from jjis.publish.releases import release_figures
    from jjis.release import make_release

    made = make_release(store, cfg, summary.end_date, note="jjis demo: a synthetic country",
                        audit=cli_audit(store))
    shown = release_figures(store, made.release_id)
    console.print(render_summary(shown, made.area))
    console.print(n_("Release {release}: {n} figure for every area (run {run}), released as the "
                     "public figures.", "Release {release}: {n} figures for every area (run {run}), "
                     "released as the public figures.", made.figures, release=made.release_id,
                     run=made.run_id))


def _report(db: str, cfg: Config, summary: SynthSummary, folder: Path) -> None:
    """Write the report of the synthetic country (HTML, PDF, XLSX, SDMX) and say where it is."""
    from jjis.cli.cmd_report import print_paths, run_report

    day = summary.end_date
    try:  # a year earlier too, for the trend
        compare = [day.replace(year=day.year - 1)] if day.year - 1 >= summary.start_date.year else []
    except ValueError:  # 29 February
        compare = []
    paths = run_report(db, cfg, day, folder, area=None, lang="en", compare=compare)
    print_paths(paths)
    if paths.html is not None:
        console.print(f"Open the report: {paths.html.resolve().as_uri()}", highlight=False)
