"""Child population: the denominators of indicators 1, 2 and 3.

An area's population for the year of C is its own population rows when the register has any for
it, summed over the area's age range (setting population.ages, or population.ages_by_area for
the area or its nearest ancestor that has one); otherwise the sum of its child areas'
populations, each over its own range. An area with neither (or a part of it without any) has no
population: the figure's value is null and the note names the areas and the year.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jjis.indicators import backend
from jjis.indicators.base import Areas
from jjis.settings import Config, inherited


class Population:
    def __init__(self, rows: list[dict[str, Any]], areas: Areas, config: Config, year: int):
        self.areas = areas
        self.config = config
        self.year = year
        self.rows: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for r in rows:
            self.rows[str(r["area_id"])].append((str(r["sex"]), int(r["age"]), int(r["population"])))

    @classmethod
    def load(cls, con: Any, areas: Areas, config: Config, year: int) -> Population:
        p = con.table("population")
        expr = p.filter(p.year == year).select("area_id", "sex", "age", "population")
        return cls(backend.rows(con, expr), areas, config, year)

    def age_range(self, area: str) -> tuple[int, int]:
        lo, hi = inherited(self.config, "population.ages_by_area", self.areas.chain(area),
                           "population.ages")
        return int(lo), int(hi)

    def of(self, area: str, sex: str | None = None,
           band: tuple[int, int] | None = None) -> tuple[int | None, list[str]]:
        """Population of `area` (optionally one sex, one age band) and the areas lacking one."""
        if area in self.rows:
            lo, hi = self.age_range(area)
            if band is not None:
                lo, hi = max(lo, band[0]), min(hi, band[1])
            total = sum(n for s, a, n in self.rows[area]
                        if lo <= a <= hi and (sex is None or s == sex))
            return total, []
        children = self.areas.children(area)
        if not children:
            return None, [area]
        total, missing = 0, []
        for child in children:
            n, lacking = self.of(child, sex, band)
            missing += lacking
            total += n or 0
        return (None, missing) if missing else (total, [])

    def missing_note(self, missing: list[str]) -> str:
        shown = ", ".join(sorted(missing)[:5]) + (" …" if len(missing) > 5 else "")
        return (f"no population for {shown} in {self.year}: import the population register for "
                f"{self.year}")
