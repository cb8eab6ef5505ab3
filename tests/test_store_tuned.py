"""The SQL a plan keeps for PostgreSQL (PostgresStore.tuned): a date's year, month and day, and
the seconds between two days, read by `date_part` rather than `EXTRACT` (which returns numeric,
2.5 times slower), with the same values, on dates, timestamps and nulls; every other part of a
statement as the compiler wrote it. DuckDB keeps the compiler's SQL as it is."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jjis.store import Store, open_store

AGE = ("FLOOR(CAST(((EXTRACT(year FROM d) * 10000 + EXTRACT(month FROM d) * 100 + "
       "EXTRACT(day FROM d)) - (EXTRACT(year FROM b) * 10000 + EXTRACT(month FROM b) * 100 + "
       "EXTRACT(day FROM b))) AS DOUBLE PRECISION) / 10000)")
DAYS = ("CAST(EXTRACT(EPOCH FROM CAST(d AS TIMESTAMP) - CAST(b AS TIMESTAMP)) / 86400 "
        "AS BIGINT)")
SQL = (f"SELECT {AGE} AS age, {DAYS} AS days, EXTRACT(day FROM t) AS day_of_t, "
       "EXTRACT(epoch FROM t) AS epoch, "
       "EXTRACT(month FROM d) * 1 + 0.5 AS half FROM (SELECT CAST(? AS DATE) AS d, "
       "CAST(? AS DATE) AS b, CAST(? AS TIMESTAMP) AS t) rows_")
CASES = [(date(2025, 12, 31), date(2007, 12, 31), datetime(2026, 2, 28, 23, 59, 59)),
         (date(2025, 12, 30), date(2007, 12, 31), datetime(1970, 1, 1)),
         (date(2024, 2, 29), date(2006, 3, 1), datetime(2000, 2, 29, 12)),
         (None, date(2007, 1, 1), None)]


@pytest.mark.postgres
def test_date_parts_are_read_by_date_part_with_the_same_values(postgres_store: Store) -> None:
    tuned = postgres_store.tuned(SQL)
    assert "EXTRACT(year" not in tuned.replace("YEAR", "year") and "DATE_PART('year'" in tuned
    assert "DATE_PART('epoch', CAST(d AS TIMESTAMP) - CAST(b AS TIMESTAMP))" in tuned
    assert "EXTRACT(EPOCH FROM t)" in tuned  # a timestamp's seconds: left as they are
    for case in CASES:
        want = postgres_store.fetchall(SQL, list(case))
        got = postgres_store.fetchall(tuned, list(case))
        assert [tuple(None if v is None else float(v) for v in r) for r in got] == \
            [tuple(None if v is None else float(v) for v in r) for r in want], case
    assert postgres_store.fetchall(tuned, list(CASES[0]))[0][:2] == (18, 6575)  # the birthday
    # (18 years from 2007-12-31 to 2025-12-31: 18 * 365 days and the leap days of 2008, 2012,
    # 2016, 2020 and 2024)
    assert postgres_store.fetchall(tuned, list(CASES[1]))[0][0] == 17  # 17 the day before


def test_duckdb_keeps_the_compilers_sql() -> None:
    with open_store(":memory:", create=True) as store:
        assert store.tuned(SQL) == SQL
