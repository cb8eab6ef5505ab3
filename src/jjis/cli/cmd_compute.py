"""`jjis compute`: the fifteen indicators for a census date, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import typer
from rich.table import Table

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    err_console,
    handle_errors,
    parse_date,
    resolve_config,
    resolve_db,
)
from jjis.errors import JjisError
from jjis.indicators.results import Figure
from jjis.textcells import neutral

FORMATS = ("table", "json", "csv")


def _by(text: str | None) -> tuple[str, ...]:
    return tuple(b.strip() for b in (text or "").split(",") if b.strip())


def _shown(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    return str(v)


def render_table(figures: list[Figure]) -> Table:
    table = Table(title="Juvenile justice indicators", show_lines=False)
    for col in ("ind.", "statistic", "area", "breakdown", "numerator", "denominator", "value",
                "unit", "note"):
        table.add_column(col, overflow="fold")
    for f in figures:
        breakdown = ", ".join(f"{k}={v}" for k, v in f.breakdown.items())
        value = f.answer if f.unit == "answer" else f.value
        table.add_row(str(f.indicator), f.statistic, f.area, breakdown, _shown(f.numerator),
                      _shown(f.denominator), _shown(value), f.unit, f.note or "")
    return table


def render_csv(figures: list[Figure]) -> str:
    rows = [f.as_json() for f in figures]
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: neutral(json.dumps(v, sort_keys=True) if isinstance(v, dict) else v)
                             for k, v in r.items()})  # text never starts a formula
    return out.getvalue()


def _publish(figures: list[Figure], config: Any, parents: dict[str, str | None]) -> list[Figure]:
    try:
        from jjis.publish import publish
    except ImportError:
        raise JjisError("--publish needs the publication module (jjis.publish), which this "
                        "installation lacks; run without --publish for exact figures") from None
    return list(publish(figures, config, parents=parents).figures)


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def compute(
        census_date: str = typer.Option(..., "--census-date", help="Census date C, YYYY-MM-DD."),
        area: str | None = typer.Option(None, "--area", help="Area (default: the country)."),
        by: str | None = typer.Option(
            None, "--by", help="Breakdowns, comma-separated: sex,age_group,offence,"
            "facility_kind,legal_status (one set of figures per breakdown)."),
        fmt: str = typer.Option("table", "--format", help="table, json or csv."),
        explain: bool = typer.Option(False, "--explain", help="Print the SQL of each indicator "
                                     "instead of computing."),
        publish: bool = typer.Option(False, "--publish", help="Apply disclosure control."),
        db: Db = None,
        config: ConfigFile = None,
    ) -> None:
        """Compute the fifteen indicators for the census date, the area and every area below."""
        from jjis.api import run_indicators
        from jjis.indicators.engine import explain as run_explain
        from jjis.store import open_store

        if fmt not in FORMATS:
            raise JjisError(f"--format is {fmt!r}; allowed: {', '.join(FORMATS)}")
        day, dims, cfg = parse_date(census_date, "--census-date"), _by(by), resolve_config(config)
        path = resolve_db(db)
        with open_store(path, read_only=explain and not path.startswith("postgres")) as store:
            if explain:
                for name, sql in run_explain(store, cfg, day, area, dims).items():
                    console.print(f"-- {name}", highlight=False)
                    print(sql.rstrip() + ";\n")
                return
            run = run_indicators(store, cfg, day, area=area, by=dims)  # recorded with its manifest
        result = run.result
        figures = _publish(run.figures, cfg, run.parents) if publish else run.figures
        if fmt == "json":
            print(json.dumps([f.as_json() for f in figures], ensure_ascii=False, indent=1))
        elif fmt == "csv":
            print(render_csv(figures), end="")
        else:
            console.print(render_table(figures))
        for o in result.overlaps:
            err_console.print(f"note: {o['source']} sent both records and an aggregate return of "
                              f"{o['measure']} for {o['date']}; the records were counted",
                              highlight=False)
        for w in result.warnings:
            err_console.print(f"warning: {w}", highlight=False)
        for p in result.problems:
            err_console.print(f"[red]problem:[/red] {p}", highlight=False)
        err_console.print(f"run {run.run_id} recorded (`jjis runs` lists the runs)", highlight=False)
        if result.problems:
            raise typer.Exit(1)


def render_summary(figures: list[Figure], area: str) -> Table:
    """One line per indicator statistic for one area's totals: name, value, interval, coverage."""
    from jjis.indicators.catalogue import load_catalogue

    catalogue = load_catalogue()
    table = Table(title=f"Indicators for {area}")
    for col in ("", "indicator", "statistic", "value", "95% interval", "coverage"):
        table.add_column(col, overflow="fold")
    for f in figures:
        if f.area != area or f.breakdown or "band_" in f.statistic:  # bands: see --format
            continue
        ind = catalogue.indicators[f.indicator]
        if f.unit == "answer":
            value = f.answer or "not measured"
        elif f.value is None:
            value = "withheld" if f.suppressed else "—"
        else:
            value = f"{_shown(f.value)} {UNIT_LABELS.get(f.unit, f.unit)}".strip()
        interval = "" if f.ci_low is None or f.ci_high is None else \
            f"{_shown(f.ci_low)}–{_shown(f.ci_high)}"
        cover = "" if f.coverage_expected is None else f"{f.coverage_reported}/{f.coverage_expected}"
        table.add_row(f"{f.indicator}{'*' if ind.core else ''}", ind.name_en, f.statistic, value,
                      interval, cover)
    table.caption = "* core indicator"
    return table


UNIT_LABELS = {"per_100000": "per 100,000", "per_1000": "per 1,000", "percent": "%",
               "days": "days", "count": ""}
