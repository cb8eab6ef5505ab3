"""`jjis compute`: the fifteen indicators for a census date, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

import typer
from rich.table import Table

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
from jjis.cli.compute_table import render_table
from jjis.errors import JjisError
from jjis.indicators.results import Figure
from jjis.store import registers
from jjis.textcells import neutral

FORMATS = ("table", "json", "csv")


PROGRESS_FROM_AREAS = 10  # a bar on stderr while computing this many areas or more


def parse_indicators(text: str | None, config: Any = None) -> tuple[int, ...]:
    """`--indicator 2,3`: the catalogue's numbers, or one sentence saying which are not."""
    from jjis.indicators.catalogue import load_catalogue

    if text is None:
        return ()
    known = sorted(ind.id for ind in load_catalogue(config))
    parts = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in parts if not p.isdigit() or int(p) not in known]
    if bad or not parts:
        raise JjisError(f"--indicator has {text!r}: {', '.join(repr(b) for b in bad) or 'nothing'}"
                        f" is not an indicator's number; the indicators are {known[0]} to "
                        f"{known[-1]}, comma-separated: --indicator 2,3")
    return tuple(sorted({int(p) for p in parts}))


def _area_count(store: Any, area: str | None) -> int:
    rows = registers.area_parents(store)
    if area is None:
        return len(rows)
    children: dict[Any, list[Any]] = {}
    for a, p in rows:
        children.setdefault(p, []).append(a)
    seen: set[Any] = set()
    todo = [area]
    while todo and len(seen) <= len(rows):  # a cycle in the register cannot loop forever
        a = todo.pop()
        if a not in seen:
            seen.add(a)
            todo.extend(children.get(a, []))
    return len(seen)


def _by(text: str | None) -> tuple[str, ...]:
    return tuple(b.strip() for b in (text or "").split(",") if b.strip())


def _shown(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    return str(v)


_JSON = json.JSONEncoder(ensure_ascii=False)


def render_json(figures: list[Figure]) -> str:
    """The figures as a JSON list, one figure a line (written by the json module's C encoder,
    which an indented dump does not use: many times faster for tens of thousands of figures)."""
    if not figures:
        return "[]\n"
    encode = _JSON.encode  # one encoder: json.dumps with an option makes one a call
    return "[\n" + ",\n".join(encode(f.as_json()) for f in figures) + "\n]\n"


def render_csv(figures: list[Figure]) -> str:
    rows = [f.as_json() for f in figures]
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: neutral(json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v)
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
            "facility_kind,legal_status (one set of figures per breakdown), or two crossed, "
            "sex*age_group (the cross table, with its margins)."),
        indicator: str | None = typer.Option(
            None, "--indicator", help="Show only these indicators, comma-separated: 2,3 (all "
            "fifteen are computed and recorded)."),
        fmt: str = typer.Option("table", "--format", help="table, json or csv."),
        explain: bool = typer.Option(False, "--explain", help="Print the SQL the run sends to "
                                     "the engine, statement by statement, instead of the "
                                     "figures (the kept plan; where none is kept, computed "
                                     "once to compile it)."),
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
        only = parse_indicators(indicator, cfg)
        path = resolve_db(db)
        with open_store(path, read_only=explain) as store:  # where the engine allows it
            if explain:
                for name, sql in run_explain(store, cfg, day, area, dims).items():
                    console.print(f"-- {name}", highlight=False)
                    print(sql.rstrip() + ";\n")
                return
            areas = _area_count(store, area)
            piped = fmt != "table" and not sys.stdout.isatty()
            with progress_bar("compute", show=areas >= PROGRESS_FROM_AREAS and not piped) as step:
                step(f"computing {areas:,} areas", 0, 0)  # shown from 10 areas: a plural
                run = run_indicators(store, cfg, day, area=area, by=dims)  # recorded
        result = run.result
        figures = _publish(run.figures, cfg, run.parents) if publish else run.figures
        if only:
            figures = [f for f in figures if f.indicator in only]
        if fmt == "json":
            sys.stdout.write(render_json(figures))
        elif fmt == "csv":
            print(render_csv(figures), end="")
        else:
            console.print(render_table(figures))
        for o in result.overlaps:
            said = notes.render(notes.note("records-and-return", source=o["source"],
                                           measure=o["measure"], date=o["date"]))
            err_console.print(f"note: {said}", highlight=False)
        for w in result.warnings:  # typed (jjis.notes), rendered from the catalogue
            err_console.print(f"warning: {notes.render(w)}", highlight=False)
        for p in result.problems:
            err_console.print(f"[red]problem:[/red] {notes.render(p)}", highlight=False)
        err_console.print(f"run {run.run_id} recorded (`jjis runs` lists the runs)", highlight=False)
        if result.problems:
            raise typer.Exit(1)


def render_summary(figures: list[Figure], area: str) -> Table:
    """One line per indicator statistic for one area's totals: name, value, interval, coverage."""
    from jjis.indicators.catalogue import load_catalogue

    catalogue = load_catalogue(resolve_config(None))
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
