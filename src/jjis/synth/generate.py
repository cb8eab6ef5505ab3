"""`synthesise`: write the registers of a synthetic country, chunk by chunk.

Children are generated in chunks of CHUNK with their own random stream (seed, chunk number), so
memory stays bounded and the same seed gives the same bytes. The static tables (areas,
facilities, population, inspections, policy) have streams of their own; so does the damage of
`dirty`, which leaves the clean values of the undamaged rows as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from jjis.errors import JjisError
from jjis.synth.boundaries import write_boundaries
from jjis.synth.chunk import Chunk, make_chunk
from jjis.synth.country import Country, build_country
from jjis.synth.dates import Span
from jjis.synth.dirty import VISITOR_LOG, damage, visitor_log
from jjis.synth.oversight import inspections_columns, policy_columns
from jjis.synth.population import population_columns
from jjis.synth.render import Renderer, areas_columns, facilities_columns
from jjis.synth.returns import ReturnCounts
from jjis.synth.writer import RegisterFiles

CHUNK = 50_000
RECORD_TABLES = {  # table -> its frame in a chunk
    "arrests": "arrests", "detentions": "stays", "decisions": "decisions",
    "family_contacts": "contacts",
}
STREAMS = {"country": 0, "chunk": 1, "dirty": 2, "oversight": 3, "population": 4}


@dataclass
class SynthSummary:
    out_dir: Path
    children: int
    seed: int
    start_date: date
    end_date: date
    dirty: bool
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # file name -> data rows
    damaged: dict[str, int] = field(default_factory=dict)  # file name -> damaged rows (dirty)

    def rows_of(self, table: str) -> int:
        return self.rows[f"{table}.csv"]


def default_end_date(today: date | None = None) -> date:
    """31 December of last year."""
    return date((today or date.today()).year - 1, 12, 31)


def _rng(seed: int, stream: str, *more: int) -> np.random.Generator:
    return np.random.default_rng([seed, STREAMS[stream], *more])


def _check(children: int, seed: int, years: int, end: date) -> None:
    if children < 1:
        raise JjisError(f"the number of children is {children}; give at least 1")
    if seed < 0:
        raise JjisError(f"the seed is {seed}; give a whole number of 0 or more")
    if years < 1:
        raise JjisError(f"the number of years is {years}; give at least 1")
    if end > date.today():
        raise JjisError(f"the end date {end} is after today, and registers cannot hold future "
                        "dates; give an end date up to today")


class _Records:
    """Writes the record-level registers of each chunk, damaged when dirty."""

    def __init__(self, files: RegisterFiles, renderer: Renderer, summary: SynthSummary) -> None:
        self.files = files
        self.renderer = renderer
        self.summary = summary
        for table in RECORD_TABLES:
            files.open(table)

    def write(self, chunk: Chunk, number: int) -> None:
        for t, (table, frame) in enumerate(RECORD_TABLES.items()):
            first = self.files.next_number(table, len(getattr(chunk, frame)))
            columns = getattr(self.renderer, table)(chunk, first)
            if self.summary.dirty:
                if number == 0 and table == "family_contacts":
                    header, log = visitor_log(columns, _rng(self.summary.seed, "dirty", 0, 99))
                    self.files.write(VISITOR_LOG, log, header)
                hurt = damage(table, columns, _rng(self.summary.seed, "dirty", number, t))
                name = f"{table}.csv"
                self.summary.damaged[name] = self.summary.damaged.get(name, 0) + hurt
            self.files.write(table, columns)


def _static(files: RegisterFiles, country: Country, span: Span, children: int, seed: int) -> None:
    files.write("areas", areas_columns(country))
    files.write("facilities", facilities_columns(country))
    files.write("population", population_columns(country, span, children,
                                                 _rng(seed, "population")))


def synthesise(out_dir: Path, *, children: int = 10_000, seed: int = 1, years: int = 3,
               dirty: bool = False, end_date: date | None = None) -> SynthSummary:
    """Write the ten registers of a synthetic country to `out_dir` (created if missing), and
    the boundaries of its areas (`areas.geojson`).

    The paths of `children` children cover `years` years ending on `end_date` (31 December of
    last year by default). With `dirty`, a few percent of the record-level rows carry errors and
    a visitors' log naming the visitors is added.
    """
    end = end_date or default_end_date()
    _check(children, seed, years, end)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    span = Span.ending(end, years)
    country = build_country(_rng(seed, "country"), span)
    summary = SynthSummary(out_dir, children, seed, span.start, span.end, dirty)
    counts = ReturnCounts(country, span)
    with RegisterFiles(out_dir) as files:
        _static(files, country, span, children, seed)
        records = _Records(files, Renderer(country, max(7, len(str(children)))), summary)
        for number, offset in enumerate(range(0, children, CHUNK)):
            chunk = make_chunk(_rng(seed, "chunk", number), country, span, offset,
                               min(CHUNK, children - offset))
            counts.add(chunk)
            records.write(chunk.without(counts.facilities), number)
        files.write("inspections", inspections_columns(_rng(seed, "oversight"), country, span))
        files.write("policy", policy_columns(_rng(seed, "oversight", 1), span))
        files.write("aggregate_returns", counts.columns())
    write_boundaries(out_dir, country.areas)  # areas.geojson, for the maps
    stale = files.path(VISITOR_LOG)
    if not dirty and stale.exists():  # left by an earlier --dirty run into the same folder
        stale.unlink()
    summary.rows = dict(files.rows)
    summary.files = [out_dir / name for name in files.rows]
    return summary
