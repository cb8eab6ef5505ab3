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
    if f.numerator is None and f.denominator is None:
        return ""
    if f.denominator is None:
        return _number(f.numerator)
    return f"{_number(f.numerator) or '–'} / {_number(f.denominator)}"


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
    lines: list[Any] = [table]
    for note, n in notes.items():
        lines.append(Text(f"[{n}] {note}"))
    return Group(*lines)
