"""`jjis import` and `jjis quarantine`: registers in, rejected rows out to be fixed."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from jjis.api import import_registers
from jjis.cli.common import (
    ConfigFile,
    Db,
    VerboseOption,
    console,
    handle_errors,
    n_,
    resolve_config,
    resolve_db,
)
from jjis.ingest.quarantine import export_quarantine, list_quarantine
from jjis.ingest.report import ImportReport
from jjis.store import open_store

SHOWN_ERRORS = 20
LARGE_FILE = 5_000_000  # bytes: a progress bar from this size on


def print_report(report: ImportReport) -> None:
    for note in report.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}", highlight=False)
    summary = Table(title="Import summary")
    for col in ("table", "accepted", "of which updated", "rejected"):
        summary.add_column(col, justify="left" if col == "table" else "right")
    for name, t in report.tables.items():
        summary.add_row(name, f"{t.accepted:,}", f"{t.updated:,}",
                        f"[red]{t.rejected:,}[/red]" if t.rejected else "0")
    console.print(summary)
    blank = sum(t.blank for t in report.tables.values())
    if blank:
        console.print(f"{blank:,} blank lines or empty rows passed over (counted, not imported)")
    for name, t in report.tables.items():
        if not t.errors:
            continue
        console.print(f"[bold]{name}[/bold]: " + n_("{n} error", "{n} errors", len(t.errors)))
        for file, e in t.errors[:SHOWN_ERRORS]:
            where = "" if name == "boundaries" else f" row {e.row}"  # the message names the feature
            console.print(f"  {file}{where}: {e.message} [dim]({e.type})[/dim]", highlight=False)
        if len(t.errors) > SHOWN_ERRORS:
            console.print(f"  … and {len(t.errors) - SHOWN_ERRORS:,} more: `jjis quarantine "
                          "list` shows them, `jjis quarantine export` writes them out to fix.")
    if report.findings:
        console.print("[yellow]" + n_("{n} data-quality finding", "{n} data-quality findings",
                                      len(report.findings)) + "[/yellow] "
                      "(children recorded with a different sex or date of birth), e.g.:")
        for f in report.findings[:5]:
            console.print(f"  {f.message}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("import")
    @handle_errors
    def import_(
        paths: list[Path] = typer.Argument(..., help="CSV files, folders of them, .xlsx workbooks"),
        as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
        db: Db = None,
        config: ConfigFile = None,
        verbose: bool = VerboseOption,
    ) -> None:
        """Validate and load registers; rejected rows go to the quarantine."""
        cfg = resolve_config(config)
        big = not as_json and console.is_terminal and sum(
            p.stat().st_size for p in paths if p.is_file()) + sum(
            f.stat().st_size for p in paths if p.is_dir() for f in p.iterdir()) > LARGE_FILE
        with open_store(resolve_db(db)) as store, Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=console, disable=not big, transient=True,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = bar.add_task(label, total=total)
                bar.update(tasks[label], completed=done)

            report = import_registers(store, [str(p) for p in paths], cfg, progress=progress)
        if as_json:
            typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            print_report(report)
        raise typer.Exit(report.exit_code)

    quarantine = typer.Typer(help="Rows that import rejected, kept to be fixed and imported again.",
                             no_args_is_help=True)
    app.add_typer(quarantine, name="quarantine")

    @quarantine.command("list")
    @handle_errors
    def q_list(
        table: str = typer.Option(None, "--table", help="Only this table."),
        resolved: bool = typer.Option(False, "--all", help="Also rows fixed by a later import."),
        as_json: bool = typer.Option(False, "--json"),
        db: Db = None,
        config: ConfigFile = None,
    ) -> None:
        """List the rejected rows with their errors."""
        resolve_config(config)
        with open_store(resolve_db(db), read_only=True) as store:
            rows = list_quarantine(store, table, resolved)
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, default=str))
            return
        out = Table(title=n_("Quarantine: {n} row", "Quarantine: {n} rows", len(rows)))
        for col in ("import", "table", "file", "row", "errors"):
            out.add_column(col)
        for r in rows:
            out.add_row(str(r["import_id"]), r["table"], r["file"], str(r["row"]), r["messages"])
        console.print(out)

    @quarantine.command("export")
    @handle_errors
    def q_export(
        out: Path = typer.Option(Path("quarantine"), "--out", help="Folder to write to."),
        table: str = typer.Option(None, "--table", help="Only this table."),
        db: Db = None,
        config: ConfigFile = None,
    ) -> None:
        """Write the rejected rows as CSV files to correct and import again."""
        resolve_config(config)
        with open_store(resolve_db(db), read_only=True) as store:
            written = export_quarantine(store, out, table)
        for p in written:
            console.print(f"wrote {p}")
        if not written:
            console.print("The quarantine is empty.")
