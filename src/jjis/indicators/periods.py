"""Reference dates and ages (indicators.md, "Reference dates" and "Age").

Dates are computed here in Python and enter the queries as literals; only age arithmetic runs in
the query, as portable Ibis expressions (year, month and day parts).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis


def minus_months(d: date, months: int) -> date:
    """`d` minus whole calendar months; the day is clamped to the month's last day."""
    total = d.year * 12 + (d.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """The census date C and the dates derived from it."""

    census: date

    @property
    def start(self) -> date:
        """C minus one year plus one day."""
        return minus_months(self.census, 12) + timedelta(days=1)

    @property
    def end(self) -> date:
        return self.census

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def contact_window_start(self) -> date:
        """Indicator 8: C minus three calendar months plus one day."""
        return minus_months(self.census, 3) + timedelta(days=1)

    @property
    def year(self) -> int:
        return self.census.year


def _yyyymmdd(d: Any) -> Any:
    return d.year() * 10000 + d.month() * 100 + d.day()


def whole_years(earlier: Any, later: Any) -> Any:
    """Whole years from `earlier` to `later` (Ibis date expressions): the difference of the
    dates written as numbers yyyymmdd, in ten thousands (a birthday on 29 February comes on
    1 March in other years)."""
    return ((_yyyymmdd(later) - _yyyymmdd(earlier)) / 10000).floor().cast("int64")


def age_on(dob: Any, age: Any, row_date: Any, ref: Any) -> tuple[Any, Any]:
    """Age on `ref` of a person, and whether it was estimated.

    From the date of birth when known; else from `age` (whole years on `row_date`) plus the whole
    years elapsed from `row_date` to `ref`; null when neither is known.
    """
    age_now = ibis.coalesce(whole_years(dob, ref), age + whole_years(row_date, ref))
    return age_now, dob.isnull() & age.notnull()


def as_int(cond: Any) -> Any:
    """A boolean as 1/0, null staying null (PostgreSQL cannot cast boolean to bigint)."""
    return ibis.cases((cond, 1), (~cond, 0)).cast("int64")


def lit(d: date) -> Any:
    return ibis.literal(d, type="date")
