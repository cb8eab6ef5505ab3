"""`jjis indicators`: the indicator catalogue; `jjis indicators show N`: one definition."""

from __future__ import annotations

import typer
from rich.table import Table

from jjis.cli.common import console, handle_errors, resolve_config


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The indicators of the catalogue: list them, or show one definition.",
                        invoke_without_command=True, no_args_is_help=False)
    app.add_typer(group, name="indicators")

    @group.callback()
    @handle_errors
    def listing(ctx: typer.Context) -> None:
        """List the indicators of the catalogue."""
        if ctx.invoked_subcommand is not None:
            return
        from jjis.indicators.catalogue import load_catalogue

        cat = load_catalogue(resolve_config(None))  # ./jjis.toml's extra indicators too
        table = Table(title=f"Indicator catalogue (version {cat.version})")
        for col in ("#", "name", "core", "type", "statistics", "SDMX code"):
            table.add_column(col, overflow="fold")
        for ind in cat:
            table.add_row(str(ind.id), ind.name_en, "core" if ind.core else "", ind.type,
                          ", ".join(ind.statistics), ind.sdmx_code)
        console.print(table)

    @group.command()
    @handle_errors
    def show(number: int = typer.Argument(..., help="Indicator number, 1-15.")) -> None:
        """Print one indicator's full definition with its counting rules."""
        from jjis.indicators.catalogue import load_catalogue
        from jjis.indicators.docs import render_indicator

        print(render_indicator(load_catalogue(resolve_config(None))[number]))
