"""Counting rules of dates and ages (indicators.md, "Reference dates" and "Age"), each in its
Python form and its Ibis form side by side, from the same declared constants.

The indicators run the Ibis forms inside their queries; the action lists, the record-level pages
and coverage run the Python forms on rows they have read. Nothing else computes a census period,
a month window, an age or a number of days: tests/test_counting_rules.py checks that the two
forms agree on random small countries.

| rule | Python form | Ibis form |
|---|---|---|
| months before/after a date | `add_months`, `minus_months` | (dates enter queries as literals) |
| the census period, the contact window | `Period` | `lit(Period(...).start)` |
| days from one date to another | `days_between` | `days_between_expr` |
| whole years (age) | `whole_years` | `whole_years_expr` |
| age on a date | `age_on_date` | `age_on` |
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jjis.lazy import lazy

ibis = lazy("ibis")  # imported at the first expression built (jjis/lazy.py)


PERIOD_MONTHS = 12  # the period: the 12 calendar months ending on the census date C
CONTACT_WINDOW_MONTHS = 3  # indicator 8 (and the action lists): the 3 months ending on C
ADULT_AGE = 18  # a person is a child below it (unknown age: presumed a child)


def add_months(d: date, months: int) -> date:
    """`d` plus (minus, when negative) whole calendar months; the day is clamped to the month's
    last day (31 March minus one month is 28 or 29 February)."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def minus_months(d: date, months: int) -> date:
    """`d` minus whole calendar months; the day is clamped to the month's last day."""
    return add_months(d, -months)


def window_start(end: date, months: int) -> date:
    """The first day of the `months` calendar months ending on `end` (end minus the months,
    plus one day)."""
    return minus_months(end, months) + timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The census date C and the dates derived from it."""

    census: date

    @property
    def start(self) -> date:
        """C minus one year plus one day."""
        return window_start(self.census, PERIOD_MONTHS)

    @property
    def end(self) -> date:
        return self.census

    @property
    def days(self) -> int:
        return days_between(self.start, self.end) + 1

    @property
    def contact_window_start(self) -> date:
        """Indicator 8: C minus three calendar months plus one day."""
        return window_start(self.census, CONTACT_WINDOW_MONTHS)

    @property
    def year(self) -> int:
        return self.census.year


# --- days -----------------------------------------------------------------------------------

def days_between(earlier: date, later: date) -> int:
    """Days from `earlier` to `later` (0 on the same day; negative when `later` is earlier)."""
    return (later - earlier).days


def days_between_expr(earlier: Any, later: Any) -> Any:
    """Ibis form of `days_between` (date expressions)."""
    return later.delta(earlier, unit="day")


# --- ages -----------------------------------------------------------------------------------

def _yyyymmdd(d: Any) -> Any:
    return d.year() * 10000 + d.month() * 100 + d.day()


def whole_years(earlier: date, later: date) -> int:
    """Whole years from `earlier` to `later`: a year is complete on the same month and day (a
    birthday on 29 February comes on 1 March in other years)."""
    years = later.year - earlier.year
    return years - 1 if (later.month, later.day) < (earlier.month, earlier.day) else years


def whole_years_expr(earlier: Any, later: Any) -> Any:
    """Ibis form of `whole_years`: the difference of the dates written as numbers yyyymmdd, in
    ten thousands, floored (the same month-and-day comparison, done in arithmetic)."""
    return ((_yyyymmdd(later) - _yyyymmdd(earlier)) / 10000).floor().cast("int64")


def age_on_date(dob: date | None, age: int | None, row_date: date, ref: date) -> int | None:
    """Age on `ref` of a person: from the date of birth when known; else from `age` (whole
    years on `row_date`) plus the whole years elapsed from `row_date` to `ref`; None when
    neither is known."""
    if dob is not None:
        return whole_years(dob, ref)
    if age is not None:
        return age + whole_years(row_date, ref)
    return None


def age_on(dob: Any, age: Any, row_date: Any, ref: Any) -> tuple[Any, Any]:
    """Ibis form of `age_on_date`: the age on `ref`, and whether it was estimated (taken from
    the age column). When `row_date` is `ref` itself, no year elapsed: the age column as it is
    (the second branch costs nothing)."""
    elapsed = age if row_date.equals(ref) else age + whole_years_expr(row_date, ref)
    age_now = ibis.coalesce(whole_years_expr(dob, ref), elapsed)
    return age_now, dob.isnull() & age.notnull()


def is_child(age: int | None) -> bool:
    """A person of unknown age is a child (the presumption of childhood)."""
    return age is None or age < ADULT_AGE


def is_child_expr(age: Any) -> Any:
    return ibis.coalesce(age < ADULT_AGE, ibis.literal(True))


# --- helpers of the Ibis forms --------------------------------------------------------------

def as_int(cond: Any) -> Any:
    """A boolean as 1/0, null staying null (PostgreSQL cannot cast boolean to bigint)."""
    return ibis.cases((cond, 1), (~cond, 0)).cast("int64")


def lit(d: date) -> Any:
    return ibis.literal(d, type="date")
