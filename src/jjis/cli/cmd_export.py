"""`jjis export parquet` and `jjis collate`: Parquet warehouses for Spark, and a region's."""

from __future__ import annotations

from pathlib import Path

import typer

from jjis.cli.common import (
    ConfigFile,
    Db,
    VerboseOption,
    console,
    handle_errors,
    resolve_config,
    resolve_db,
)
from jjis.errors import JjisError


def register(app: typer.Typer) -> None:
    export_app = typer.Typer(help="Write the database in another layout.", no_args_is_help=True)
    app.add_typer(export_app, name="export")

    @export_app.command("parquet")
    @handle_errors
    def parquet(
        out: Path = typer.Option(..., "--out", help="New folder for the warehouse."),
        db: Db = None,
        config: ConfigFile = None,
        verbose: bool = VerboseOption,
    ) -> None:
        """Write the registers and system tables as a Parquet warehouse, one folder per register
        (open it with --db 'spark://local?warehouse=OUT', or collate it into a region's)."""
        from jjis.api import export_parquet

        resolve_config(config)
        counts = export_parquet(resolve_db(db), out)
        console.print(f"{sum(counts.values()):,} register rows written to {out}")

    @app.command("collate")
    @handle_errors
    def collate(
        countries: list[str] = typer.Argument(..., help="CODE=WAREHOUSE, one per country."),
        out: Path = typer.Option(..., "--out", help="New folder for the region's warehouse."),
        region: str = typer.Option("REGION", "--region", help="area_id of the region's top area."),
        name: str = typer.Option("Region", "--name", help="Name of the region's top area."),
        verbose: bool = VerboseOption,
    ) -> None:
        """Collate countries' warehouses (from `jjis export parquet`) into one regional
        warehouse: identifiers prefixed by the country code, the countries under one region."""
        from jjis.api import collate_countries

        given: dict[str, Path] = {}
        for item in countries:
            code, sep, folder = item.partition("=")
            if not sep or not code or not folder:
                raise JjisError(f"{item!r} is not CODE=WAREHOUSE_FOLDER (e.g. XA=exports/xa)")
            if code in given:
                raise JjisError(f"the country code {code!r} is given twice")
            given[code] = Path(folder)
        counts = collate_countries(out, given, region, name)
        console.print(f"{len(given)} countries, {sum(counts.values()):,} register rows collated "
                      f"into {out}")
