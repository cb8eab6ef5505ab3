"""The results table: one tidy row per figure. Every output reads it; none recomputes.

The JSON shape of `jjis compute --format json` (architecture.md) is `Figure.as_json()`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Any

from jjis.notes import Note, english
from jjis.notes import load as load_notes
from jjis.store.ddl import RESULTS_COLUMNS as RESULTS_COLUMNS  # declared with the tables

UNITS = ("per_100000", "per_1000", "percent", "days", "count", "answer")

# as json.dumps(breakdown, sort_keys=True, separators=(",", ":")), the stored text, with one
# encoder for every figure (json.dumps makes one a call when given an option)
_BREAKDOWN = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


@dataclass
class Figure:
    indicator: int
    statistic: str
    area: str
    census_date: date
    period_start: date
    period_end: date
    unit: str
    breakdown: dict[str, str] = field(default_factory=dict)
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    answer: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    unknown: int | None = None
    over_age: int | None = None
    unknown_age: int | None = None
    events: int | None = None
    coverage_reported: int | None = None
    coverage_expected: int | None = None
    timely_reported: int | None = None
    suppressed: bool = False
    note: str | None = None
    run_id: str | None = None
    # Set on the figures of a release (jjis.publish.releases): which release, and whether the
    # published value differs from the release it replaced (revised_from: the earlier value,
    # None when it was withheld).
    release_id: str | None = None
    revised: bool = False
    revised_from: float | str | None = None

    @property
    def notes(self) -> list[Note]:
        """The figure's note as typed notes (code and values), as stored (jjis.notes.dump)."""
        return load_notes(self.note)

    @property
    def breakdown_json(self) -> str:
        return _BREAKDOWN.encode(self.breakdown)

    def _dict(self) -> dict[str, Any]:
        """The fields by name (as dataclasses.asdict, whose deep copy of every value is the
        slow part of writing many figures; the only nested value is the breakdown)."""
        d = self.__dict__.copy()  # a dataclass's fields, in their order, are its attributes
        if len(d) != len(_FIELDS):  # an attribute set beside the fields: by name, then
            d = {name: d[name] for name in _FIELDS}
        d["breakdown"] = dict(self.breakdown)
        return d

    def as_json(self) -> dict[str, Any]:
        d = self._dict()
        for k in ("census_date", "period_start", "period_end"):
            d[k] = _iso(d[k])
        if self.unit == "answer":
            d["value"] = self.answer
        d.pop("answer")
        d["note"], notes = _rendered(self.note)  # from the catalogue; the data in "notes"
        d["notes"] = [{**n, "values": {k: list(v) if isinstance(v, list) else v
                                       for k, v in n["values"].items()}} for n in notes]
        if self.release_id is None:  # the compute shape: no release fields
            for k in ("release_id", "revised", "revised_from"):
                d.pop(k)
        elif not self.revised:
            d.pop("revised_from")
        return d

    def as_row(self) -> dict[str, Any]:
        d = self._dict()
        d["breakdown"] = self.breakdown_json
        return d


_FIELDS = tuple(f.name for f in fields(Figure))


def result_columns(figures: Sequence[Figure]) -> dict[str, list[Any]]:
    """The figures as the results table's columns (RESULTS_COLUMNS), a list each: `as_row`
    column by column, the fields read from each figure's attributes without a getattr each."""
    values = [f.__dict__ for f in figures]
    columns = {c: [v[c] for v in values] for c, _ in RESULTS_COLUMNS if c != "breakdown"}
    columns["breakdown"] = [f.breakdown_json for f in figures]
    return columns


@lru_cache(maxsize=64)
def _iso(day: date) -> str:
    return day.isoformat()  # the figures of a run share their three dates


@lru_cache(maxsize=4096)
def _rendered(stored: str | None) -> tuple[str | None, tuple[dict[str, Any], ...]]:
    """A stored note in English and as codes and values: many figures share one note (the
    same withheld or coverage note), so each is read and rendered once."""
    return english(stored), tuple(n.as_json() for n in load_notes(stored))
