"""95% confidence intervals of rates and shares (indicators.md, "Uncertainty").

- Shares (unit `percent`): the Wilson score interval of numerator / denominator, in percent.
- Rates (units `per_100000`, `per_1000`): the exact (Garwood) Poisson interval of the count,
  scaled like the rate: [lower, upper] / denominator x 100,000 (or 1,000).
- Counts, durations and policy answers carry no interval.

The Garwood limits are gamma quantiles (chi-square with 2x and 2x + 2 degrees of freedom, halved);
the regularised incomplete gamma function and its inverse are written out here so that the
package needs no SciPy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from statistics import NormalDist

from jjis.indicators.results import Figure

LEVEL = 0.95
RATE_MULTIPLIERS = {"per_100000": 100_000.0, "per_1000": 1_000.0}


def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson(numerator: float, denominator: float, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of the proportion numerator / denominator (as a fraction, 0-1)."""
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"wilson needs 0 <= numerator <= denominator > 0, got "
                         f"{numerator}/{denominator}")
    z = _z(level)
    n, p = denominator, numerator / denominator
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _lower_gamma_series(a: float, x: float) -> float:
    """P(a, x) by its power series (converges fast for x < a + 1)."""
    term = total = 1.0 / a
    k = a
    for _ in range(10_000):
        k += 1
        term *= x / k
        total += term
        if abs(term) < abs(total) * 1e-16:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_gamma_fraction(a: float, x: float) -> float:
    """Q(a, x) by its continued fraction (modified Lentz; for x >= a + 1)."""
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def gamma_cdf(x: float, shape: float) -> float:
    """Regularised lower incomplete gamma P(shape, x): the CDF of Gamma(shape, scale 1)."""
    if x <= 0:
        return 0.0
    if x < shape + 1:
        return _lower_gamma_series(shape, x)
    return 1.0 - _upper_gamma_fraction(shape, x)


def _gamma_pdf(x: float, shape: float) -> float:
    return math.exp((shape - 1) * math.log(x) - x - math.lgamma(shape)) if x > 0 else 0.0


def gamma_quantile(q: float, shape: float) -> float:
    """The x with gamma_cdf(x, shape) = q: Newton's method from the Wilson-Hilferty guess, kept
    inside a bracket that bisection narrows whenever a Newton step would leave it (so it always
    converges, in a few steps rather than the fifty of bisection alone)."""
    if not 0 < q < 1 or shape <= 0:
        raise ValueError(f"gamma_quantile needs 0 < q < 1 and shape > 0, got {q}, {shape}")
    lo, hi = 0.0, max(1.0, shape)
    while gamma_cdf(hi, shape) < q:
        lo, hi = hi, hi * 2
    z = NormalDist().inv_cdf(q)
    guess = shape * (1 - 1 / (9 * shape) + z / (3 * math.sqrt(shape))) ** 3
    x = guess if lo < guess < hi else (lo + hi) / 2
    for _ in range(200):
        diff = gamma_cdf(x, shape) - q
        if diff < 0:
            lo = x
        else:
            hi = x
        pdf = _gamma_pdf(x, shape)
        step = x - diff / pdf if pdf > 0 else None
        x_new = step if step is not None and lo < step < hi else (lo + hi) / 2
        if abs(x_new - x) <= 1e-13 * max(1.0, x) or hi - lo <= 1e-13 * max(1.0, hi):
            return x_new
        x = x_new
    return x


@lru_cache(maxsize=65_536)  # counts repeat across areas and breakdowns
def garwood(count: float, level: float = LEVEL) -> tuple[float, float]:
    """Exact Poisson interval of a count: chi2(a/2, 2x)/2 and chi2(1 - a/2, 2x + 2)/2."""
    if count < 0:
        raise ValueError(f"garwood needs a count >= 0, got {count}")
    alpha = 1 - level
    lower = 0.0 if count == 0 else gamma_quantile(alpha / 2, count)
    upper = gamma_quantile(1 - alpha / 2, count + 1)
    return lower, upper


def interval(figure: Figure, level: float = LEVEL) -> tuple[float, float] | None:
    """The interval of one figure, in its unit; None where none applies or the terms are missing."""
    num, den = figure.numerator, figure.denominator
    if num is None or den is None or den <= 0 or num < 0 or figure.value is None:
        return None
    if figure.unit == "percent":
        if num > den:
            return None
        low, high = wilson(num, den, level)
        return 100 * low, 100 * high
    if figure.unit in RATE_MULTIPLIERS:
        scale = RATE_MULTIPLIERS[figure.unit] / den
        low, high = garwood(num, level)
        return low * scale, high * scale
    return None


def add_intervals(figures: Iterable[Figure], level: float = LEVEL) -> None:
    """Fill ci_low / ci_high of every rate and share that has a numerator and a denominator."""
    for figure in figures:
        ci = interval(figure, level)
        if ci is not None:
            figure.ci_low, figure.ci_high = ci
