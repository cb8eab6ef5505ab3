"""`jjis findings`: the data-quality findings: outliers and what import noticed."""

from __future__ import annotations

import json

import typer

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    handle_errors,
    parse_date,
    resolve_config,
    resolve_db,
)


def register(app: typer.Typer) -> None:
    @app.command("findings")
    @handle_errors
    def findings(
        census_date: str | None = typer.Option(None, "--census-date", help="Only outliers in "
                                               "the months of the year ending on this date."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        db: Db = None,
        config: ConfigFile = None,
    ) -> None:
        """List the data-quality findings: monthly outliers of arrests, admissions and releases
        per facility, and the findings of imports (conflicting sex or birth date, ...). Exits
        1 when there is any."""
        from jjis.indicators.periods import Period
        from jjis.release.outliers import import_findings, outliers
        from jjis.store import open_store

        cfg = resolve_config(config)
        day = parse_date(census_date, "--census-date") if census_date else None
        with open_store(resolve_db(db)) as store:
            found = outliers(store, cfg, start=Period(day).start if day else None, end=day)
            noticed = import_findings(store)
        if as_json:
            typer.echo(json.dumps({"outliers": [o.as_json() for o in found],
                                   "import_findings": noticed}, indent=1))
        else:
            for o in found:
                console.print(f"outlier: {o.message}", highlight=False)
            for f in noticed:
                console.print(f"{f['type']}: {f['table']}: {f['message']}", highlight=False)
            if not found and not noticed:
                console.print("No findings.")
        if found or noticed:
            raise typer.Exit(1)
