"""Aggregate returns of the facilities that keep no record-level register.

Their records are generated like everyone's, counted here chunk by chunk, and left out of the
record-level files. Counts are of distinct children (chunks hold different children, so the
counts of chunks add up): per 12-month period for period measures, on each census date for
snapshot measures, in total (sex empty) and by sex. Children are counted when under 18 on the
census date or the date of death (age estimated from `age` where the birth date is unknown).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from jjis.schema import codes
from jjis.synth.chunk import Chunk
from jjis.synth.country import Country
from jjis.synth.custody import NO, REASON, STATUS, YES
from jjis.synth.dates import MISSING, Span, day, iso, months_back, whole_years
from jjis.synth.frames import Frame
from jjis.synth.render import Columns, numbered

ALL = -1  # sex empty: all children
MEASURES_OF_KIND = {
    "police_station": ("arrested", "diverted"),
    "remand_centre": ("in_detention", "in_pre_sentence_detention", "not_wholly_separated",
                      "with_family_contact", "deaths", "released", "released_with_aftercare"),
}
DIVERSION = codes.DECISION_KINDS.index("diversion")


class ReturnCounts:
    def __init__(self, country: Country, span: Span) -> None:
        self.country = country
        self.census = [day(c) for c in span.census_dates]
        self.windows = [day(months_back(c, 3)) + 1 for c in span.census_dates]
        self.periods = [(day(a), day(b)) for a, b in span.periods]
        self.facilities = np.array([i for i, f in enumerate(country.facilities) if f.aggregate],
                                   dtype=np.int64)
        self.counts: Counter[tuple[int, str, int, int]] = Counter()

    def add(self, chunk: Chunk) -> None:
        arrests = chunk.arrests.take(np.isin(chunk.arrests["facility"], self.facilities))
        decisions = chunk.decisions.take(np.isin(chunk.decisions["facility"], self.facilities)
                                         & (chunk.decisions["kind"] == DIVERSION))
        self._per_period(chunk, "arrested", arrests, arrests["date"], True)
        self._per_period(chunk, "diverted", decisions, decisions["date"], True)
        here = np.isin(chunk.stays["facility"], self.facilities)
        stays = chunk.stays.take(here)
        contacted = np.zeros(len(chunk.stays), dtype=bool)
        for slot, census in enumerate(self.census):
            window = chunk.contacts["date"] >= self.windows[slot]
            window &= chunk.contacts["date"] <= census
            contacted[:] = False
            contacted[chunk.contacts["stay"][window]] = True
            self._on_census(chunk, slot, stays, contacted[here])
        self._releases(chunk, stays)

    def _releases(self, chunk: Chunk, stays: Frame) -> None:
        release, reason = stays["release"], stays["reason"]
        released = (release != MISSING) & ~np.isin(reason, [REASON["transfer"], REASON["death"]])
        self._per_period(chunk, "released", stays.take(released), release[released], True)
        with_aftercare = released & (stays["aftercare"] == YES)
        self._per_period(chunk, "released_with_aftercare", stays.take(with_aftercare),
                         release[with_aftercare], True)
        died = reason == REASON["death"]
        under_18 = _under_18(chunk, stays.take(died), release[died])
        self._per_period(chunk, "deaths", stays.take(died), release[died], under_18)

    def _on_census(self, chunk: Chunk, slot: int, stays: Frame, contacted: np.ndarray) -> None:
        census = self.census[slot]
        held = (stays["admission"] <= census)
        held &= (stays["release"] == MISSING) | (stays["release"] > census)
        held &= _under_18(chunk, stays, np.full(len(stays), census))
        sentenced = (stays["status"] == STATUS["sentenced"]) | (
            (stays["sentence_date"] != MISSING) & (stays["sentence_date"] <= census))
        for measure, rows in (
            ("in_detention", held),
            ("in_pre_sentence_detention", held & ~sentenced),
            ("not_wholly_separated", held & (stays["separated"] == NO)),
            ("with_family_contact", held & contacted),
        ):
            self._count(chunk, measure, stays["facility"][rows], np.full(rows.sum(), slot),
                        stays["child"][rows])

    def _per_period(self, chunk: Chunk, measure: str, rows: Frame, on: np.ndarray,
                    keep: np.ndarray | bool) -> None:
        for slot, (first, last) in enumerate(self.periods):
            inside = (on >= first) & (on <= last) & keep
            self._count(chunk, measure, rows["facility"][inside], np.full(inside.sum(), slot),
                        rows["child"][inside])

    def _count(self, chunk: Chunk, measure: str, facility: np.ndarray, slot: np.ndarray,
               child: np.ndarray) -> None:
        """Add the distinct children of each facility and slot, in total and by sex."""
        if not len(child):
            return
        distinct = np.unique(np.stack([facility, slot, child], axis=1), axis=0)
        sex = chunk.children.sex[distinct[:, 2]]
        for (f, s, x), n in Counter(zip(distinct[:, 0].tolist(), distinct[:, 1].tolist(),
                                        sex.tolist(), strict=True)).items():
            self.counts[(f, measure, s, x)] += n
            self.counts[(f, measure, s, ALL)] += n

    def columns(self) -> Columns:
        """One row per facility, measure, date and sex (zeros included), in a fixed order."""
        rows = []
        for f in self.facilities.tolist():
            for measure in MEASURES_OF_KIND[self.country.facilities[f].kind]:
                for slot in range(len(self.census)):
                    for sex in (ALL, *range(len(codes.SEX))):
                        rows.append((f, measure, slot, sex, self.counts[(f, measure, slot, sex)]))
        return self._render(rows)

    def _render(self, rows: list[tuple[int, str, int, int, int]]) -> Columns:
        fac, measure, slot, sex, value = (np.array(c) for c in zip(*rows, strict=True))
        snapshot = np.isin(measure, codes.SNAPSHOT_MEASURES)
        census = np.array(self.census)[slot]
        first = np.array([p[0] for p in self.periods])[slot]
        return {
            "return_id": numbered("R", 1, len(rows)),
            "facility_id": np.array([f.facility_id for f in self.country.facilities])[fac],
            "area_id": np.full(len(rows), ""),
            "measure": measure,
            "census_date": iso(np.where(snapshot, census, MISSING)),
            "period_start": iso(np.where(snapshot, MISSING, first)),
            "period_end": iso(np.where(snapshot, MISSING, census)),
            "sex": np.where(sex == ALL, "", np.array(codes.SEX)[sex]),
            "age_group": np.full(len(rows), ""),
            "value": value.astype(str),
        }


def _under_18(chunk: Chunk, stays: Frame, on: np.ndarray) -> np.ndarray:
    """Under 18 on `on`: from the birth date, or from the age at admission plus years since."""
    kids = chunk.children
    child = stays["child"]
    born = kids.born[child]
    age_at_admission = whole_years(born, stays["admission"])
    estimated = age_at_admission + whole_years(stays["admission"], on)
    exact = whole_years(born, on)
    return np.where(kids.dob_known[child], exact, estimated) < 18
