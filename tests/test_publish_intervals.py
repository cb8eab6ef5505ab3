"""Confidence intervals against published tables and a second, differently written method."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jjis.publish.intervals import add_intervals, gamma_cdf, garwood, wilson
from publish_fixtures import count_fig, fig

Z = 1.959963984540054


# Garwood (1936) limits as tabled (e.g. Ulm 1990; Sahai & Khurshid 1993).
@pytest.mark.parametrize("x, low, high", [
    (0, 0.0, 3.689),
    (1, 0.0253, 5.572),
    (2, 0.2422, 7.225),
    (5, 1.6235, 11.668),
    (10, 4.7954, 18.390),
    (100, 81.364, 121.627),
])
def test_garwood_matches_the_tables(x: int, low: float, high: float) -> None:
    got = garwood(x)
    assert got[0] == pytest.approx(low, abs=6e-4)
    assert got[1] == pytest.approx(high, abs=6e-4)


# Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score, no correction).
@pytest.mark.parametrize("x, n, low, high", [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombe(x: int, n: int, low: float, high: float) -> None:
    got = wilson(x, n)
    assert got[0] == pytest.approx(low, abs=6e-5)
    assert got[1] == pytest.approx(high, abs=6e-5)


def _bisect(f, lo: float, hi: float) -> float:  # type: ignore[no-untyped-def]
    """Root of f between lo and hi, f(lo) and f(hi) of opposite signs."""
    for _ in range(200):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == (f(lo) > 0):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _poisson_cdf(k: int, mu: float) -> float:
    term = total = math.exp(-mu)
    for i in range(1, k + 1):
        term *= mu / i
        total += term
    return total


def wilson_by_score_equation(x: int, n: int) -> tuple[float, float]:
    """The p where the score test statistic |x/n - p| / sqrt(p(1-p)/n) equals z."""
    phat = x / n

    def score(p: float) -> float:
        return (phat - p) ** 2 - Z * Z * p * (1 - p) / n

    low = 0.0 if x == 0 else _bisect(score, 1e-15, phat)
    high = 1.0 if x == n else _bisect(score, phat, 1 - 1e-15)
    return low, high


def garwood_by_poisson_sums(x: int) -> tuple[float, float]:
    """mu_L: P(X >= x | mu) = 0.025; mu_U: P(X <= x | mu) = 0.025, by summing the Poisson law."""
    low = 0.0 if x == 0 else _bisect(lambda m: (1 - _poisson_cdf(x - 1, m)) - 0.025, 1e-12, x)
    high = _bisect(lambda m: _poisson_cdf(x, m) - 0.025, x, 4 * x + 50)
    return low, high


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_closed_formula_solves_the_score_equation(xn: tuple[int, int]) -> None:
    x, n = xn
    assert wilson(x, n) == pytest.approx(wilson_by_score_equation(x, n), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 300))
def test_garwood_by_gamma_equals_poisson_sums(x: int) -> None:
    assert garwood(x) == pytest.approx(garwood_by_poisson_sums(x), rel=1e-7, abs=1e-9)


def test_gamma_cdf_of_shape_one_is_the_exponential() -> None:
    for x in (0.1, 1.0, 2.5, 30.0):
        assert gamma_cdf(x, 1.0) == pytest.approx(1 - math.exp(-x), rel=1e-12)


def test_add_intervals_per_unit() -> None:
    rate = fig(2, "rate", num=5, den=50_000)            # 10 per 100,000
    per_1000 = fig(6, "rate", unit="per_1000", num=1, den=400)
    share = fig(7, "percent", unit="percent", num=15, den=148)
    days = fig(4, "median_days", unit="days", num=None, den=None, value=42.0)
    count = count_fig(12)
    answer = fig(14, "answer", unit="answer", num=None, den=None, answer="yes")
    no_denominator = fig(2, "rate", num=5, den=None, value=None)
    figures = [rate, per_1000, share, days, count, answer, no_denominator]
    add_intervals(figures)
    # 5 arrests: [1.6235, 11.668] children; per 100,000 of 50,000 children: x 2
    assert (rate.ci_low, rate.ci_high) == pytest.approx((3.2470, 23.337), abs=1e-3)
    # 1 death among 400: [0.0253, 5.572] / 400 x 1,000
    assert (per_1000.ci_low, per_1000.ci_high) == pytest.approx((0.0633, 13.93), abs=1e-3)
    assert (share.ci_low, share.ci_high) == pytest.approx((6.24, 16.05), abs=5e-3)
    for f in (days, count, answer, no_denominator):
        assert f.ci_low is None and f.ci_high is None


def test_wilson_refuses_impossible_terms() -> None:
    with pytest.raises(ValueError):
        wilson(3, 2)
    with pytest.raises(ValueError):
        wilson(0, 0)
