"""The results table: one tidy row per figure. Every output reads it; none recomputes.

The JSON shape of `jjis compute --format json` (architecture.md) is `Figure.as_json()`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from jjis.notes import Note
from jjis.notes import parse as parse_notes

UNITS = ("per_100000", "per_1000", "percent", "days", "count", "answer")

# Column declarations of the stored results table (same DDL on DuckDB and PostgreSQL).
RESULTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "VARCHAR"),
    ("indicator", "INTEGER"),
    ("statistic", "VARCHAR"),
    ("area", "VARCHAR"),
    ("census_date", "DATE"),
    ("period_start", "DATE"),
    ("period_end", "DATE"),
    ("breakdown", "VARCHAR"),  # canonical JSON object, '{}' for the total
    ("numerator", "DOUBLE PRECISION"),
    ("denominator", "DOUBLE PRECISION"),
    ("value", "DOUBLE PRECISION"),
    ("answer", "VARCHAR"),  # yes / partial / no for policy answers
    ("unit", "VARCHAR"),
    ("ci_low", "DOUBLE PRECISION"),
    ("ci_high", "DOUBLE PRECISION"),
    ("unknown", "BIGINT"),  # left out of both terms because unknown (7, 11)
    ("over_age", "BIGINT"),  # left out because 18 or older on the reference date
    ("unknown_age", "BIGINT"),  # children counted whose age was unknown (presumed children)
    ("events", "BIGINT"),  # number of events beside the number of children, where reported
    ("coverage_reported", "INTEGER"),
    ("coverage_expected", "INTEGER"),
    ("timely_reported", "INTEGER"),  # of coverage_reported, those whose data came in time
    ("suppressed", "BOOLEAN"),
    ("note", "VARCHAR"),
)


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
        """The figure's note as typed notes (code and values), read from the stored text: the
        same for figures just computed, stored results and releases written before."""
        return parse_notes(self.note)

    @property
    def breakdown_json(self) -> str:
        return json.dumps(self.breakdown, sort_keys=True, separators=(",", ":"))

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("census_date", "period_start", "period_end"):
            d[k] = d[k].isoformat()
        if self.unit == "answer":
            d["value"] = self.answer
        d.pop("answer")
        if self.release_id is None:  # the compute shape: no release fields
            for k in ("release_id", "revised", "revised_from"):
                d.pop(k)
        elif not self.revised:
            d.pop("revised_from")
        return d

    def as_row(self) -> dict[str, Any]:
        d = asdict(self)
        d["breakdown"] = self.breakdown_json
        return d
