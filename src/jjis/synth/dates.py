"""Dates of the synthetic country as whole days since 1970-01-01 (int64 numpy arrays).

A missing date is `MISSING`, the int64 that numpy reads as NaT, so a column converts to
`datetime64[D]` for free. Compare with it explicitly: `x != MISSING`, never `x <= day` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

MISSING = np.iinfo(np.int64).min
EPOCH = date(1970, 1, 1)


def day(d: date) -> int:
    return (d - EPOCH).days


def to_date(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def years_back(d: date, k: int) -> date:
    """The same day `k` years earlier (29 February falls back to the 28th)."""
    try:
        return d.replace(year=d.year - k)
    except ValueError:
        return d.replace(year=d.year - k, day=28)


def months_back(d: date, k: int) -> date:
    """The same day `k` calendar months earlier, clamped to the end of the month."""
    month0 = d.year * 12 + d.month - 1 - k
    year, month = divmod(month0, 12)
    for dd in (d.day, 30, 29, 28):
        try:
            return date(year, month + 1, dd)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Year and month*100+day of each day."""
    dt = days.astype("datetime64[D]")
    years = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dt.astype("datetime64[M]")
    month_no = months.astype(np.int64) % 12 + 1
    day_no = (dt - months.astype("datetime64[D]")).astype(np.int64) + 1
    return years, month_no * 100 + day_no


def whole_years(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Whole years from `born` to `on` (a person born 2008-03-15 is 17 on 2026-03-14)."""
    y0, md0 = _ymd(born)
    y1, md1 = _ymd(on)
    return y1 - y0 - (md1 < md0).astype(np.int64)


def iso(days: np.ndarray) -> np.ndarray:
    """ISO strings, empty where the date is missing."""
    out = np.datetime_as_string(days.astype("datetime64[D]"), unit="D")
    out[days == MISSING] = ""
    return out


@dataclass(frozen=True)
class Span:
    """The years the registers cover: `start` .. `end`, both inclusive.

    Periods are the 12 months ending on each census date; the census dates are `end` and its
    anniversaries, one per year of the span, latest first.
    """

    start: date
    end: date
    years: int

    @classmethod
    def ending(cls, end: date, years: int) -> Span:
        return cls(years_back(end, years) + timedelta(days=1), end, years)

    @property
    def first(self) -> int:
        return day(self.start)

    @property
    def last(self) -> int:
        return day(self.end)

    @property
    def census_dates(self) -> list[date]:
        return [years_back(self.end, k) for k in range(self.years)]

    @property
    def periods(self) -> list[tuple[date, date]]:
        return [(years_back(c, 1) + timedelta(days=1), c) for c in self.census_dates]

    @property
    def calendar_years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))
