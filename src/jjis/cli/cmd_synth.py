"""`jjis synth`: write the registers of a synthetic country."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from jjis.cli.common import console, handle_errors, parse_date
from jjis.synth import synthesise


def register(app: typer.Typer) -> None:
    @app.command("synth")
    @handle_errors
    def synth(
        out: Path = typer.Option(..., "--out", help="Folder to write the CSV files into."),
        children: int = typer.Option(10_000, "--children", help="Children whose paths to write."),
        seed: int = typer.Option(1, "--seed", help="Random seed: the same seed, the same files."),
        years: int = typer.Option(3, "--years", help="Years the registers cover."),
        dirty: bool = typer.Option(False, "--dirty",
                                   help="Add realistic errors to a few percent of the rows."),
        end_date: str = typer.Option(None, "--end-date",
                                     help="Last day covered, YYYY-MM-DD [default: 31 December "
                                          "of last year]."),
    ) -> None:
        """Write the registers of a synthetic country, one CSV file per table."""
        summary = synthesise(out, children=children, seed=seed, years=years, dirty=dirty,
                             end_date=None if end_date is None else parse_date(end_date, "--end-date"))
        table = Table(title=f"Synthetic country, {summary.start_date} to {summary.end_date}",
                      caption=f"written to {summary.out_dir}")
        table.add_column("file")
        table.add_column("rows", justify="right")
        if dirty:
            table.add_column("damaged", justify="right")
        for name, rows in summary.rows.items():
            extra = [str(summary.damaged.get(name, ""))] if dirty else []
            table.add_row(name, f"{rows:,}", *extra)
        console.print(table)
