"""The children of one chunk: who they are and what their paths may hold.

A child keeps one sex and one date of birth in every row. About 3% have no recorded date of
birth: their rows carry `age` on the row's own date instead, computed from the true birth date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jjis.schema import codes
from jjis.synth.country import Country
from jjis.synth.dates import Span, whole_years
from jjis.synth.frames import labels, pick

SEX_WEIGHTS = {"f": 0.15, "m": 0.84, "u": 0.01}
AGE_AT_FIRST_ARREST = {10: 1, 11: 2, 12: 4, 13: 7, 14: 11, 15: 15, 16: 18, 17: 18}
ARRESTS_PER_CHILD = {1: 0.72, 2: 0.20, 3: 0.08}
NO_BIRTH_DATE = 0.03
NEVER_VISITED = 0.25


@dataclass
class Children:
    offset: int  # number of children generated before this chunk
    sex: np.ndarray  # index into codes.SEX
    born: np.ndarray  # true date of birth (days), also where it is not recorded
    dob_known: np.ndarray  # the registers record the date of birth
    district: np.ndarray  # home district (index)
    arrests: np.ndarray  # how many arrests the path may hold
    first_arrest: np.ndarray  # day of the first arrest
    visit_rate: np.ndarray  # family contacts per 30 days held

    def __len__(self) -> int:
        return len(self.sex)

    def ids(self, child: np.ndarray, width: int) -> np.ndarray:
        return labels("C", child + self.offset + 1, width)

    def age_on(self, child: np.ndarray, on: np.ndarray) -> np.ndarray:
        return whole_years(self.born[child], on)


def _birth_dates(rng: np.random.Generator, first_arrest: np.ndarray) -> np.ndarray:
    """Dates of birth that make each child 10 to 17 on the day of the first arrest."""
    n = len(first_arrest)
    age = pick(rng, n, {k: float(v) for k, v in AGE_AT_FIRST_ARREST.items()})
    born = first_arrest - (age * 365.25 + rng.uniform(1, 364, n)).astype(np.int64)
    for _ in range(3):  # a leap day may leave a child one year off: shift a year back in range
        reached = whole_years(born, first_arrest)
        born = born - 365 * (reached < 10) + 365 * (reached > 17)
    return born


def make_children(rng: np.random.Generator, country: Country, span: Span, offset: int,
                  n: int) -> Children:
    sex_index = {c: i for i, c in enumerate(codes.SEX)}
    sex = pick(rng, n, {sex_index[k]: v for k, v in SEX_WEIGHTS.items()})
    first_arrest = rng.integers(span.first, span.last + 1, n)
    districts = len(country.district_weights)
    district = rng.choice(districts, size=n, p=country.district_weights)
    visited = rng.random(n) >= NEVER_VISITED
    return Children(
        offset=offset,
        sex=sex,
        born=_birth_dates(rng, first_arrest),
        dob_known=rng.random(n) >= NO_BIRTH_DATE,
        district=district.astype(np.int64),
        arrests=pick(rng, n, ARRESTS_PER_CHILD),
        first_arrest=first_arrest,
        visit_rate=np.where(visited, rng.gamma(2.0, 0.6, n), 0.0),
    )
