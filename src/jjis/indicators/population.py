"""Child population: the denominators of indicators 1, 2 and 3.

An area's population is its own rows when the register has any for it, else the sum of its child
areas' populations, each over its own range; an area with neither (or a part of it without any)
has no population: the figure's value is null and the note names the areas and the year.

Its own rows are those whose reference day is nearest the census date (ties: the earlier day),
or, when it has no dated rows, those of the census date's year. They are summed over the area's
age range (setting population.ages, or population.ages_by_area for the area or its nearest
ancestor that has one): a row of one age or a band inside the range counts whole, a band that
straddles the range's edge is apportioned uniformly over its single years. Totals use the
both-sexes rows (sex empty) where the area has them, else the sum of the sexes; one sex needs
rows of that sex. The figure's note says when the denominator was apportioned, taken from
both-sexes rows or dated by a reference day (which one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from jjis.indicators import backend
from jjis.indicators.base import Areas
from jjis.notes import Note, note
from jjis.settings import Config, inherited


class Row(NamedTuple):
    year: int
    reference: date | None
    sex: str | None  # None: both sexes together
    age: int
    age_to: int
    persons: int


@dataclass
class Denominator:
    value: float | None
    missing: list[str] = field(default_factory=list)  # areas without population
    notes: list[Note] = field(default_factory=list)

    def add(self, other: Denominator) -> None:
        self.value = (self.value or 0) + (other.value or 0)
        self.missing += other.missing
        self.notes += [n for n in other.notes if n not in self.notes]


class Population:
    def __init__(self, rows: list[dict[str, Any]], areas: Areas, config: Config, census: date):
        self.areas = areas
        self.config = config
        self.census = census
        self.year = census.year
        self.rows: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            age = int(r["age"])
            self.rows[str(r["area_id"])].append(Row(
                int(r["year"]), r.get("reference_date"), r["sex"] or None, age,
                age if r.get("age_to") is None else int(r["age_to"]), int(r["population"])))
        self._own: dict[str, tuple[list[Row], date | None]] = {}

    @classmethod
    def load(cls, con: Any, areas: Areas, config: Config, census: date) -> Population:
        def build() -> Any:
            p = con.table("population")
            # a reference day nearest C may lie in the year before or after it
            near = (p.year >= census.year - 1) & (p.year <= census.year + 1)
            return p.filter(near).select("area_id", "year", "reference_date", "sex", "age",
                                         "age_to", "population")

        return cls(backend.run_rows(con, "population", build), areas, config, census)

    def age_range(self, area: str) -> tuple[int, int]:
        lo, hi = inherited(self.config, "population.ages_by_area", self.areas.chain(area),
                           "population.ages")
        return int(lo), int(hi)

    def own(self, area: str) -> tuple[list[Row], date | None]:
        """The area's own rows for C, and their reference day (None: the year's rows)."""
        if area not in self._own:
            rows = self.rows.get(area, [])
            days = {r.reference for r in rows if r.reference is not None}
            if days:
                best = min(days, key=lambda d: (abs((d - self.census).days), d))
                self._own[area] = [r for r in rows if r.reference == best], best
            else:
                self._own[area] = [r for r in rows if r.year == self.year], None
        return self._own[area]

    def of(self, area: str, sex: str | None = None,
           band: tuple[int, int] | None = None) -> Denominator:
        """Population of `area` (optionally one sex, one age band), with its notes and the areas
        lacking one."""
        rows, day = self.own(area)
        if rows:
            lo, hi = self.age_range(area)
            if band is not None:
                lo, hi = max(lo, band[0]), min(hi, band[1])
            return self._sum(area, rows, day, sex, lo, hi)
        children = self.areas.children(area)
        if not children:
            return Denominator(None, [area])
        out = Denominator(0)
        for child in children:
            out.add(self.of(child, sex, band))
        return Denominator(None, out.missing, out.notes) if out.missing else out

    def _sum(self, area: str, rows: list[Row], day: date | None, sex: str | None, lo: int,
             hi: int) -> Denominator:
        both = [r for r in rows if r.sex is None]
        notes: list[Note] = [] if day is None else [note("population-as-of",
                                                         day=day.isoformat())]
        if sex is None:
            use = both or [r for r in rows if r.sex is not None]
            if both:
                notes.append(note("population-both-sexes"))
        else:
            use = [r for r in rows if r.sex == sex]
            if not use and both:
                return Denominator(None, [], [note("no-rate-by-sex", area=area)])
        total = 0.0
        for r in use:
            width = r.age_to - r.age + 1
            inside = min(hi, r.age_to) - max(lo, r.age) + 1
            if inside <= 0:
                continue
            if inside < width:
                notes.append(note("population-apportioned", lo=r.age, hi=r.age_to))
            total += r.persons * inside / width
        return Denominator(total, [], [n for i, n in enumerate(notes) if n not in notes[:i]])

    def missing_note(self, missing: list[str]) -> Note:
        shown = ", ".join(sorted(missing)[:5]) + (" …" if len(missing) > 5 else "")
        return note("no-population", areas=shown, year=self.year)
