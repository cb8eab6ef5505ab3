"""The terminal table of `jjis compute`: one line per figure, in words, that fits the terminal.

Codes become the report's English labels (the statistic's column heading, which names its
unit, and the breakdown value), which have spaces, so Rich wraps them at whole words; the codes
are in `--format json` and `csv`. Notes, long and often the same for many figures, are numbered
under the table instead of filling a column. At 80 columns the longest word of each column
still fits, so no word is ever split.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from jjis.indicators.results import Figure

COLUMNS = ("ind.", "measure", "area", "breakdown", "value", "num. / den.", "note")
# the cross tables' own words (their title and margins)
CROSS_WORDS = ("value, then num. / den.", "All", "×")


def _number(v: float | None) -> str:
    if v is None:
        return ""
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _labels() -> Any:
    from jjis.reports.formatting import Lang

    return Lang("en")


def _breakdown(f: Figure, lang: Any) -> str:
    """The value's label ("Girls", "14–15 years"), or `dimension: code` where it has none."""
    parts = []
    for dim, value in f.breakdown.items():
        label = lang.breakdown_value(dim, value)
        parts.append(label if label != value else
                     f"{dim.replace('_', ' ')}: {value.replace('_', ' ')}")
    return "; ".join(parts)


def _measure(f: Figure, lang: Any) -> str:
    """The statistic's short heading in the report ("Per 100,000", "Median (days)")."""
    try:
        return str(lang.column(f.indicator, f.statistic))
    except KeyError:
        return f.statistic.replace("_", " ")


def _value(f: Figure, lang: Any) -> str:
    if f.unit == "answer":
        return str(lang.answer(f.answer)) if f.answer else "not measured"
    if f.value is None:
        return "withheld" if f.suppressed else "–"
    return _number(f.value) + (" %" if f.unit == "percent" else "")


def _counts(f: Figure) -> str:
    """`numerator / denominator`; a count withheld by disclosure control (`--publish`) shows the
    figure's mark (`<5`, `x`) for the numerator and `withheld` for a denominator."""
    from jjis.publish import shown_value

    mark = shown_value(f) if f.suppressed else None
    num = _number(f.numerator) or (mark or "")
    den = _number(f.denominator) or ("withheld" if mark and f.unit in ("percent", "per_1000")
                                     and f.statistic != "rate_average_daily_population" else "")
    if not num and not den:
        return ""
    if not den:
        return num
    return f"{num or '–'} / {den}"


def render_table(figures: list[Figure]) -> Group:
    """The figures as a table in words, then the notes it refers to, numbered."""
    lang = _labels()
    table = Table(title="Juvenile justice indicators", box=box.SIMPLE_HEAD, padding=(0, 1),
                  pad_edge=False, expand=False)
    for col in COLUMNS:
        table.add_column(col, overflow="fold", justify="right" if col in ("value",
                                                                          "num. / den.")
                         else "left")
    from jjis.reports.notes import note_text

    notes: dict[str, int] = {}
    for f in figures:
        mark = ""
        if f.note:  # rendered from the notes' codes and values (figures before publication)
            text = " ".join(note_text(f.note, lang, 1, everything=True))
            mark = f"[{notes.setdefault(text, len(notes) + 1)}]"
        cells = (str(f.indicator), _measure(f, lang), f.area, _breakdown(f, lang),
                 _value(f, lang), _counts(f), mark)
        table.add_row(*(Text(c) for c in cells))  # plain text: no markup in data
    lines: list[Any] = [table, *cross_tables(figures, lang)]
    for note, n in notes.items():
        lines.append(Text(f"[{n}] {note}"))
    return Group(*lines)


def _top_area(figures: list[Figure]) -> str | None:
    """The area computed (the first one: the engine lists the chosen area first)."""
    return figures[0].area if figures else None


def cross_tables(figures: list[Figure], lang: Any) -> list[Table]:
    """For the chosen area: one grid per statistic broken down by two dimensions (rows: the first
    dimension, columns: the second, in their declared order, with the single breakdowns as the
    margins `All` and the total in the corner). Each cell: the value, then the counts below."""
    from jjis.indicators.base import DIMENSIONS

    area = _top_area(figures)
    mine = [f for f in figures if f.area == area]
    pairs = {(f.indicator, f.statistic, tuple(sorted(f.breakdown, key=DIMENSIONS.index)))
             for f in mine if len(f.breakdown) == 2}
    out = []
    for ind, stat, (r, c) in sorted(pairs):
        of = [f for f in mine if f.indicator == ind and f.statistic == stat]
        cells = {(f.breakdown[r], f.breakdown[c]): f for f in of if len(f.breakdown) == 2}
        rows = list(dict.fromkeys(k[0] for k in cells))  # the engine's order: declared
        cols = list(dict.fromkeys(k[1] for k in cells))
        row_m = {f.breakdown[r]: f for f in of if set(f.breakdown) == {r}}
        col_m = {f.breakdown[c]: f for f in of if set(f.breakdown) == {c}}
        total = next((f for f in of if not f.breakdown), None)
        t = Table(title=f"{ind}. {_measure(of[0], lang)}: {lang.dimension(r)} × "
                        f"{lang.dimension(c)}, {area} (value, then num. / den.)",
                  box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
        t.add_column("", overflow="fold")
        for col in cols:
            t.add_column(lang.breakdown_value(c, col), justify="right", overflow="fold")
        t.add_column("All", justify="right", overflow="fold")

        def cell(f: Figure | None) -> Text:
            return Text("" if f is None else f"{_value(f, lang)}\n{_counts(f)}".rstrip())

        for row in rows:
            t.add_row(Text(lang.breakdown_value(r, row)),
                      *(cell(cells.get((row, col))) for col in cols), cell(row_m.get(row)))
        t.add_row(Text("All"), *(cell(col_m.get(col)) for col in cols), cell(total))
        out.append(t)
    return out
