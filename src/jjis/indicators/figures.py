"""From counts to figures: rates, shares, durations and answers, one Figure per statistic, area
and breakdown value (the results table of results.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jjis.indicators.aggregates import INDICATORS_OF, Contributions
from jjis.indicators.base import Areas, Sources
from jjis.indicators.catalogue import Catalogue, Indicator
from jjis.indicators.durations import BANDS
from jjis.indicators.population import Population
from jjis.indicators.results import Figure
from jjis.notes import note as make_note
from jjis.settings import band_label

QUERY_OF = {1: "arrests", 2: "snapshot", 3: "snapshot", 4: "pre_sentence_duration",
            5: "sentenced_duration", 6: "deaths", 7: "snapshot", 8: "snapshot", 9: "sentencing",
            10: "diversion", 11: "aftercare", 12: "places", 13: "places"}
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


def _once(messages: list[str], message: str) -> None:
    if message not in messages:
        messages.append(message)


def _ratio(num: float, den: float | None, scale: float) -> float | None:
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
        self.warnings: list[str] = []
        self.problems: list[str] = []
        self.bands = {band_label(lo, hi): (lo, hi) for lo, hi in src.config["indicators.age_bands"]}

    # -- the shape of every figure -------------------------------------------------------------
    def _figure(self, ind: Indicator, stat: str, area: str, dim: str, bval: str,
                **fields: Any) -> Figure:
        p = self.src.period
        for k in ("numerator", "denominator", "value"):
            v = fields.get(k)
            if isinstance(v, float) and v.is_integer() and (k != "value" or ind.unit(stat) == "count"):
                fields[k] = int(v)
        return Figure(indicator=ind.id, statistic=stat, area=area, census_date=p.census,
                      period_start=p.start, period_end=p.end, unit=ind.unit(stat),
                      breakdown={dim: bval} if dim else {}, **fields)

    def _values(self, query: str, dim: str) -> list[str]:
        labels = self.src.config.age_group_labels
        known = labels if dim == "age_group" else KNOWN_VALUES.get(dim, [])
        seen = sorted(v for v in self.cells.seen.get((query, dim), set()) if v not in known)
        return [*known, *seen]

    def _breakdowns(self, ind: Indicator) -> list[tuple[str, str]]:
        query = QUERY_OF.get(ind.id)
        out = [("", "")]
        for dim in self.dims.get(query or "", ()):
            if dim in ind.breakdowns:
                out += [(dim, v) for v in self._values(query or "", dim)]
        return out

    def _notes(self, ind: Indicator, area: str, counts: dict[str, float], *extra: str | None
               ) -> str | None:
        notes = [e for e in extra if e]
        if counts.get("estimated"):
            notes.append(make_note("age-estimated", n=int(counts["estimated"])).text)
        queries = [q for q, ids in INDICATORS_OF.items() if ind.id in ids]
        if any((q, area) in self.cells.aggregated for q in queries):
            notes.append(make_note("aggregate-returns").text)
        overlaps = [o for o in self.contributions.overlaps if self._overlap_here(o, ind, area)]
        for o in overlaps:
            notes.append(make_note("records-and-return", source=o["source"], measure=o["measure"],
                              date=o["date"]).text)
        return "; ".join(notes) or None

    def _overlap_here(self, o: dict[str, Any], ind: Indicator, area: str) -> bool:
        from jjis.indicators.aggregates import MEASURES

        queries = {q for q, _ in MEASURES[o["measure"]][1]}
        if not any(ind.id in INDICATORS_OF.get(q, ()) for q in queries):
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
        if dim == "sex" and value not in ("f", "m"):
            return None, make_note("no-population-sex", value=value).text
        band = None
        if dim == "age_group":
            if value not in self.bands:
                return None, make_note("no-population-age-group", value=value).text
            band = self.bands[value]
        d = self.population.of(area, value if dim == "sex" else None, band)
        if d.missing:
            note = self.population.missing_note(d.missing)
            if not dim:  # once per area, however many rates lack it
                _once(self.warnings, f"{area}: {note}")
                if area == self.top:
                    _once(self.problems, f"indicators 1-3 have no rate for {area}: {note}")
            return None, note
        return d.value, "; ".join(d.notes) or None

    # -- indicators --------------------------------------------------------------------------
    def build(self) -> list[Figure]:
        figures: list[Figure] = []
        for ind in self.catalogue:
            if ind.id in (14, 15):
                figures.append(self._answer(ind, "answer"))
                continue
            for area in self.src.scope:
                for dim, value in self._breakdowns(ind):
                    figures += self._one(ind, area, dim, value)
        return figures

    def _one(self, ind: Indicator, area: str, dim: str, value: str) -> list[Figure]:
        from jjis.indicators.figures_by_indicator import FIGURES

        return FIGURES[ind.id](self, ind, area, dim, value)

    def _answer(self, ind: Indicator, stat: str) -> Figure:
        answer, yes, answered = self.answers[ind.id]
        note = None if answered else make_note("no-checklist-answer").text
        return self._figure(ind, stat, self.top, "", "", numerator=yes, denominator=answered,
                            answer=answer, note=note)

    def _share(self, ind: Indicator, stat: str, area: str, dim: str, bval: str, num: float,
               den: float, counts: dict[str, float], **fields: Any) -> Figure:
        empty = None if den else make_note("denominator-zero").text
        return self._figure(ind, stat, area, dim, bval, numerator=num, denominator=den,
                            value=_ratio(num, den, SCALE[ind.unit(stat)]),
                            note=self._notes(ind, area, counts, empty), **fields)


__all__ = ["Cells", "FigureBuilder", "BANDS"]
