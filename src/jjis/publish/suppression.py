"""Cell suppression over additive groups: the arithmetic behind disclosure control.

A *variable* is one count (a numerator, a band count, a number of events ...) with its exact value
and a state. A *group* is an equation total = sum of cells: the breakdown cells of a total, the
child areas of a parent area, the duration bands of a cohort. A hidden residual cell stands for
what the published cells leave out of the total (children of the parent area's own facilities,
say), so the equation is always exact.

What a reader knows of a withheld value (the bounds used to test whether it can be worked out):

| state      | meaning                                          | known bounds   |
|------------|--------------------------------------------------|----------------|
| published  | shown                                            | the value      |
| primary    | a count from 1 to t - 1, shown as `<t`           | [1, t - 1]     |
| dependent  | withheld because its share's denominator is < t  | [0, t - 1]     |
| secondary  | withheld to protect another cell; never 0        | [t, infinity)  |
| hidden     | residual, never shown                            | [0, infinity)  |

The secondary bound assumes the reader knows the rule (secondary cells are chosen among nonzero
published cells, which are all >= t), the strongest reader we can assume. A withheld value is
*disclosed* when one equation leaves it a single possible value; a hidden residual only matters
when it is itself a count from 1 to t - 1. `protect` suppresses, group by group until nothing
changes, the smallest nonzero published cell (the total when no cell is left) of any group that
discloses something.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

PUBLISHED, PRIMARY, DEPENDENT, SECONDARY, HIDDEN = (
    "published", "primary", "dependent", "secondary", "hidden")
WITHHELD = (PRIMARY, DEPENDENT, SECONDARY)
EPS = 1e-9


@dataclass
class Variables:
    """Values and states of the counts, with the threshold t."""

    threshold: int
    values: list[float] = field(default_factory=list)
    states: list[str] = field(default_factory=list)

    def add(self, value: float, state: str | None = None) -> int:
        self.values.append(value)
        self.states.append(state or (PRIMARY if self.sensitive(value) else PUBLISHED))
        return len(self.values) - 1

    def sensitive(self, value: float) -> bool:
        return 0 < value < self.threshold

    def bounds(self, var: int) -> tuple[float, float]:
        state, value, t = self.states[var], self.values[var], self.threshold
        if state == PUBLISHED:
            return value, value
        if state == PRIMARY:
            return 1.0, t - 1.0
        if state == DEPENDENT:
            return 0.0, t - 1.0
        if state == SECONDARY:
            return float(t), math.inf
        return 0.0, math.inf


@dataclass(frozen=True)
class Group:
    """total = sum(cells); `hidden` cells are residuals that are never published."""

    total: int
    cells: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.total, *self.cells)


def make_group(variables: Variables, total: int, cells: list[int]) -> Group | None:
    """The group of `cells` under `total`, with a hidden residual when they fall short of it.
    None when the cells add up to more than the total (the counts are not additive)."""
    residual = variables.values[total] - sum(variables.values[c] for c in cells)
    if residual < -EPS:
        return None
    if residual > EPS:
        cells = [*cells, variables.add(residual, HIDDEN)]
    return Group(total, tuple(cells))


def _ranges(variables: Variables, group: Group) -> list[tuple[int, float, float]]:
    """For each unknown member of the group: the range one equation leaves it."""
    coef = {group.total: -1.0, **{c: 1.0 for c in group.cells}}
    b = 0.0
    unknown: list[tuple[int, float, float, float]] = []  # var, coefficient, min term, max term
    for var, a in coef.items():
        lo, hi = variables.bounds(var)
        if variables.states[var] == PUBLISHED:
            b -= a * lo
        else:
            terms = (a * lo, a * hi)
            unknown.append((var, a, min(terms), max(terms)))
    fin_min = sum(t[2] for t in unknown if t[2] != -math.inf)
    fin_max = sum(t[3] for t in unknown if t[3] != math.inf)
    n_neg = sum(1 for t in unknown if t[2] == -math.inf)
    n_pos = sum(1 for t in unknown if t[3] == math.inf)
    out = []
    for var, a, tmin, tmax in unknown:
        rest_min = -math.inf if n_neg - (tmin == -math.inf) > 0 else fin_min - _fin(tmin)
        rest_max = math.inf if n_pos - (tmax == math.inf) > 0 else fin_max - _fin(tmax)
        # a * x = b - rest, with rest in [rest_min, rest_max]
        low, high = sorted((a * (b - rest_max), a * (b - rest_min)))
        lo, hi = variables.bounds(var)
        out.append((var, max(lo, low), min(hi, high)))
    return out


def _fin(x: float) -> float:
    return 0.0 if math.isinf(x) else x


def disclosed(variables: Variables, group: Group) -> list[int]:
    """The withheld members (and sensitive hidden residuals) the group's equation pins down."""
    out = []
    for var, low, high in _ranges(variables, group):
        state = variables.states[var]
        at_risk = state in WITHHELD or variables.sensitive(variables.values[var])
        if at_risk and high - low < 0.5:
            out.append(var)
    return out


def _next_cell(variables: Variables, group: Group) -> int | None:
    candidates = [c for c in group.cells
                  if variables.states[c] == PUBLISHED and variables.values[c] > EPS]
    if candidates:
        return min(candidates, key=lambda c: (variables.values[c], c))
    total = group.total
    if variables.states[total] == PUBLISHED and variables.values[total] > EPS:
        return total
    return None


def protect_group(variables: Variables, group: Group) -> list[int]:
    """Suppress (state secondary) what this group needs; returns the variables suppressed."""
    added = []
    while disclosed(variables, group):
        var = _next_cell(variables, group)
        if var is None:
            break  # nothing left to withhold: only zeros and withheld cells remain
        variables.states[var] = SECONDARY
        added.append(var)
    return added


def protect(variables: Variables, groups: list[Group]) -> list[Group]:
    """Protect every group until no group discloses anything. Returns the groups that still
    disclose a nonzero value (only possible when nothing nonzero is left to withhold; a zero
    withheld with its share, under a total of 0, is pinned by that published 0 and not counted)."""
    by_var: dict[int, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        for var in group.members:
            by_var[var].append(i)
    pending = list(range(len(groups)))
    queued = set(pending)
    while pending:
        i = pending.pop()
        queued.discard(i)
        for var in protect_group(variables, groups[i]):
            for j in by_var[var]:
                if j not in queued:
                    queued.add(j)
                    pending.append(j)
    return [g for g in groups
            if any(variables.values[v] > EPS for v in disclosed(variables, g))]
