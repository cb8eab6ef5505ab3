"""From counts to figures: the cells of counts and the shape of every figure (rates, shares,
answers, notes, populations), one Figure per statistic, area and breakdown value (the results
table of results.py). Which figures an indicator makes is chosen by its type in
figures_by_indicator.py, which builds on this module."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jjis.indicators.aggregates import MEASURES, Contributions
from jjis.indicators.base import CROSS, Areas, Sources, breakdown_of, parts
from jjis.indicators.catalogue import Catalogue, Indicator
from jjis.indicators.durations import BANDS
from jjis.indicators.population import Population
from jjis.indicators.results import Figure
from jjis.notes import Note, join
from jjis.notes import note as make_note
from jjis.settings import band_label

KNOWN_VALUES = {
    "sex": ["f", "m", "u"],
    "legal_status": ["pre_sentence", "sentenced"],
    "offence": [f"{i:02d}" for i in range(1, 12)] + ["unknown"],
}
SCALE = {"per_100000": 100_000.0, "per_1000": 1_000.0, "percent": 100.0}

Key = tuple[str, str, str, str]


class Cells:
    """Counts per (query, area, breakdown, value), record-level plus aggregate returns."""

    def __init__(self) -> None:
        self.data: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.aggregated: set[tuple[str, str]] = set()  # (query, area) with aggregate returns

    def add_rows(self, query: str, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            key = (query, r["area"], r["dim"], r["value"])
            self.seen[(query, r["dim"])].add(r["value"])
            for col, v in r.items():
                if col not in ("area", "dim", "value") and v is not None:
                    self.data[key][col] += float(v)

    def add_contributions(self, c: Contributions, areas: Areas, scope: list[str]) -> None:
        inside = set(scope)
        for (query, column, member, dim, value), n in c.cells.items():
            self.seen[(query, dim)].add(value)
            for area in areas.chain(member):
                if area in inside:
                    self.data[(query, area, dim, value)][column] += n
                    self.aggregated.add((query, area))

    def get(self, query: str, area: str, dim: str, value: str) -> dict[str, float]:
        return self.data.get((query, area, dim, value), {})


def _once(messages: list[Note], message: Note) -> None:
    if message not in messages:
        messages.append(message)


def ratio(num: float, den: float | None, scale: float) -> float | None:
    return num / den * scale if den else None


class FigureBuilder:
    def __init__(self, catalogue: Catalogue, src: Sources, cells: Cells, population: Population,
                 contributions: Contributions, top: str,
                 answers: dict[int, tuple[str | None, int, int]], dims: dict[str, tuple[str, ...]]):
        self.catalogue = catalogue
        self.src = src
        self.cells = cells
        self.population = population
        self.contributions = contributions
        self.top = top
        self.answers = answers
        self.dims = dims
        self.warnings: list[Note] = []  # typed (jjis.notes, kind "warning" / "problem")
        self.problems: list[Note] = []
        self.bands = {band_label(lo, hi): (lo, hi) for lo, hi in src.config["indicators.age_bands"]}
        self._dates = (src.period.census, src.period.start, src.period.end)  # worked out once

    # -- the shape of every figure -------------------------------------------------------------
    def _figure(self, ind: Indicator, stat: str, area: str, dim: str, bval: str,
                **fields: Any) -> Figure:
        census, start, end = self._dates
        for k in ("numerator", "denominator", "value"):
            v = fields.get(k)
            if isinstance(v, float) and v.is_integer() and (k != "value" or ind.unit(stat) == "count"):
                fields[k] = int(v)
        return Figure(indicator=ind.id, statistic=stat, area=area, census_date=census,
                      period_start=start, period_end=end, unit=ind.unit(stat),
                      breakdown=breakdown_of(dim, bval), **fields)

    def _values(self, query: str, dim: str) -> list[str]:
        """The values of a breakdown, the declared ones (in order) first; a cross breakdown's
        are every pair of its dimensions' declared values, then the pairs seen beyond them."""
        labels = self.src.config.age_group_labels
        known = [""]
        for part in parts(dim):
            declared = labels if part == "age_group" else KNOWN_VALUES.get(part, [])
            known = [CROSS.join(filter(None, (k, v))) for k in known for v in declared]
        known = [k for k in known if k]
        seen = sorted(v for v in self.cells.seen.get((query, dim), set()) if v not in known)
        return [*known, *seen]

    def _breakdowns(self, ind: Indicator) -> list[tuple[str, str]]:
        query = ind.query or ""
        out = [("", "")]
        for dim in self.dims.get(query, ()):
            if set(parts(dim)) <= set(ind.breakdowns):
                out += [(dim, v) for v in self._values(query, dim)]
        return out

    def _notes(self, ind: Indicator, area: str, counts: dict[str, float], *extra: str | None
               ) -> str | None:
        """The figure's note as stored: the notes given (`extra`, as stored), then the counting's."""
        notes: list[Note] = []
        if counts.get("estimated"):
            notes.append(make_note("age-estimated", n=int(counts["estimated"])))
        if any((q, area) in self.cells.aggregated for q in ind.reads):
            notes.append(make_note("aggregate-returns"))
        overlaps = [o for o in self.contributions.overlaps if self._overlap_here(o, ind, area)]
        for o in overlaps:
            notes.append(make_note("records-and-return", source=o["source"], measure=o["measure"],
                                   date=o["date"]))
        return join(*extra, *notes)

    def _overlap_here(self, o: dict[str, Any], ind: Indicator, area: str) -> bool:
        queries = {q for q, _ in MEASURES[o["measure"]][1]}
        if not queries & set(ind.reads):
            return False
        return area in self.src.areas.chain(o.get("area") or o["source"]) or area == self.top

    def not_given(self, query: str, column: str, area: str) -> list[str]:
        """The areas, within `area`, of the sources whose returns did not give `column`
        (aggregates.GIVEN_BY). Areas, not facilities: notes are published, and the public pages
        name no facility."""
        return sorted({member for _, member in self.contributions.not_given.get((query, column), [])
                       if area in self.src.areas.chain(member)})

    # -- populations -------------------------------------------------------------------------
    def _population(self, area: str, dim: str, value: str) -> tuple[float | None, str | None]:
        cell = breakdown_of(dim, value)  # one dimension, or both of a cross breakdown
        sex = cell.get("sex")
        if sex is not None and sex not in ("f", "m"):
            return None, join(make_note("no-population-sex", value=sex))
        band = None
        if "age_group" in cell:
            if cell["age_group"] not in self.bands:
                return None, join(make_note("no-population-age-group", value=cell["age_group"]))
            band = self.bands[cell["age_group"]]
        d = self.population.of(area, sex, band)
        if d.missing:
            note = self.population.missing_note(d.missing)
            if not dim:  # once per area, however many rates lack it
                _once(self.warnings, make_note("area-without-population", area=area,
                                               **note.values))
                if area == self.top:
                    _once(self.problems, make_note("no-headline-rate", area=area, **note.values))
            return None, join(note)
        return d.value, join(*d.notes)

    # -- answers and shares ------------------------------------------------------------------
    def _answer(self, ind: Indicator, stat: str) -> Figure:
        answer, yes, answered = self.answers[ind.id]
        note = None if answered else join(make_note("no-checklist-answer"))
        return self._figure(ind, stat, self.top, "", "", numerator=yes, denominator=answered,
                            answer=answer, note=note)

    def _share(self, ind: Indicator, stat: str, area: str, dim: str, bval: str, num: float,
               den: float, counts: dict[str, float], **fields: Any) -> Figure:
        empty = None if den else join(make_note("denominator-zero"))
        return self._figure(ind, stat, area, dim, bval, numerator=num, denominator=den,
                            value=ratio(num, den, SCALE[ind.unit(stat)]),
                            note=self._notes(ind, area, counts, empty), **fields)


__all__ = ["Cells", "FigureBuilder", "BANDS", "SCALE", "ratio"]
