"""Outliers: a facility's monthly count of arrests, admissions or releases far from its own
previous months (modified z-score, Iglewicz and Hoaglin 1993), as data-quality findings.

For each facility, measure and month M with at least 12 earlier months in the facility's series
(its months from the first with any event of the measure to the last month of data, months
without events counting 0), the counts are put on the Anscombe scale a(x) = 2 sqrt(x + 3/8),
where a Poisson count has a spread of about 1 whatever its mean, and
z = (a(x) - median) / max(MAD / 0.6745, 1) over the earlier months. Without the transformation
and the floor of 1, the small counts of a small police station (0, 1, 2 a month) give a MAD of 0
or 1 and every month of 4 looks extreme; with them, a month ten times the usual stands out and
Poisson noise does not. |z| above `[findings] outlier_z` (3.5) is a finding, with the usual
range: the counts whose |z| is at most the threshold.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from jjis.settings import Config
from jjis.store import Store, findings, registers

MIN_HISTORY = 12
MEASURES = {  # measure -> (table, date column)
    "arrests": ("arrests", "arrest_date"),
    "admissions": ("detentions", "admission_date"),
    "releases": ("detentions", "release_date"),
}


@dataclass
class Outlier:
    facility_id: str
    measure: str
    month: str  # YYYY-MM
    value: int
    median: float
    usual_low: float
    usual_high: float
    z: float

    def as_json(self) -> dict[str, Any]:
        return {"type": "outlier", "facility_id": self.facility_id, "measure": self.measure,
                "month": self.month, "value": self.value, "median": self.median,
                "usual_range": [self.usual_low, self.usual_high], "z": round(self.z, 2)}

    @property
    def message(self) -> str:
        return (f"{self.facility_id}: {self.value} {self.measure} in {self.month}, usually "
                f"{self.usual_low:g} to {self.usual_high:g} (median {self.median:g} of the "
                f"months before; z-score {self.z:.1f})")


def _monthly(store: Store, table: str, column: str) -> dict[str, dict[int, int]]:
    rows = registers.monthly_counts(store, table, column)
    out: dict[str, dict[int, int]] = {}
    for facility, month, n in rows:
        out.setdefault(str(facility), {})[int(month)] = int(n)
    return out


def anscombe(x: float) -> float:
    return 2 * math.sqrt(x + 3 / 8)


def inverse(a: float) -> float:
    return max(0.0, (a / 2) ** 2 - 3 / 8)


def score(x: float, history: list[int]) -> tuple[float, float, float]:
    """(z, scale, median) of x against history, on the Anscombe scale."""
    scaled = [anscombe(h) for h in history]
    med = statistics.median(scaled)
    mad = statistics.median(abs(h - med) for h in scaled)
    unit = max(mad / 0.6745, 1.0)
    return (anscombe(x) - med) / unit, unit, med


def _label(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def outliers(store: Store, config: Config, *, start: date | None = None,
             end: date | None = None) -> list[Outlier]:
    """The outliers of every facility, measure and month (within start..end when given)."""
    threshold = float(config["findings.outlier_z"])
    lo = start.year * 12 + start.month - 1 if start else None
    hi = end.year * 12 + end.month - 1 if end else None
    found: list[Outlier] = []
    for measure, (table, column) in MEASURES.items():
        series = _monthly(store, table, column)
        last = max((m for s in series.values() for m in s), default=None)
        for facility, counts in sorted(series.items()):
            first = min(counts)
            values = [counts.get(m, 0) for m in range(first, (last or first) + 1)]
            for i in range(MIN_HISTORY, len(values)):
                month = first + i
                if (lo is not None and month < lo) or (hi is not None and month > hi):
                    continue
                z, unit, med = score(values[i], values[:i])
                if abs(z) <= threshold:
                    continue
                found.append(Outlier(facility, measure, _label(month), values[i],
                                     float(statistics.median(values[:i])),
                                     round(inverse(med - threshold * unit), 1),
                                     round(inverse(med + threshold * unit), 1), z))
    return found


def import_findings(store: Store) -> list[dict[str, Any]]:
    """The findings recorded at import (conflicting sex or birth date of one child, ...),
    without the pseudonymised child identifier."""
    rows = findings.recorded(store)
    return [{"type": str(t), "import_id": int(i), "table": str(tb), "message": str(m)}
            for i, t, tb, m in rows]
