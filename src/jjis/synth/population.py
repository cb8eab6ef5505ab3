"""The denominators: child population by district, calendar year, sex and single year of age.

The population of one year is about twenty times the number of children arrested over the whole
span, so that some 5% of the child population meets the police over the years (about 1,700
arrested children per 100,000 a year over three years).
"""

from __future__ import annotations

import numpy as np

from jjis.schema import codes
from jjis.synth.country import Country
from jjis.synth.dates import Span

CHILDREN_PER_ARRESTED = 20
AGES = np.arange(0, 18)
GROWTH = 1.012  # a year
MALE_SHARE = 0.512


def population_columns(country: Country, span: Span, children: int,
                       rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every district x year x sex x age of the span (and the year of its end)."""
    years = np.array(span.calendar_years)
    total = children * CHILDREN_PER_ARRESTED
    age_profile = 1.0 - 0.008 * AGES  # a young population: slightly fewer at each older age
    age_profile = age_profile / age_profile.sum()
    sexes = np.array(codes.POPULATION_SEX)
    sex_share = np.where(sexes == "m", MALE_SHARE, 1 - MALE_SHARE)
    districts = np.array(country.district_ids)
    # expected persons per district, year, sex, age (growth centred on the last year)
    growth = GROWTH ** (years - years[-1]).astype(float)
    expected = (
        total
        * country.district_weights[:, None, None, None]
        * growth[None, :, None, None]
        * sex_share[None, None, :, None]
        * age_profile[None, None, None, :]
    )
    noise = rng.normal(1.0, 0.02, size=expected.shape).clip(0.9, 1.1)
    persons = np.rint(expected * noise).astype(np.int64)
    grid = np.meshgrid(np.arange(len(districts)), years, np.arange(len(sexes)), AGES,
                       indexing="ij")
    d, y, s, a = (g.ravel() for g in grid)
    return {
        "area_id": districts[d],
        "year": y.astype(str),
        "sex": sexes[s],
        "age": a.astype(str),
        "population": persons.ravel().astype(str),
    }
