"""`write_report` and `export_sdmx`: the report's Python API.

Both compute the indicators of each census date with `run_indicators` (recorded as runs, by sex,
age group and offence), apply disclosure control with `published_figures`, and draw every
output from those published figures and the catalogue.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from jjis.errors import JjisError
from jjis.indicators.catalogue import load_catalogue
from jjis.indicators.results import Figure
from jjis.ingest.boundaries import boundaries
from jjis.notes import Note
from jjis.publish import Manifest, area_parents, load_manifest, snapshot_hash
from jjis.publish.runs import published_figures, run_indicators
from jjis.reports import html, pdf, sdmx, xlsx
from jjis.reports.formatting import Lang
from jjis.reports.labels import REPORT_BREAKDOWNS
from jjis.reports.model import ReportModel, build_model
from jjis.reports.sdmx import SdmxPaths
from jjis.settings import Config
from jjis.store import Store, registers

Progress = Callable[[str, int, int], None]
FORMATS = ("html", "pdf", "xlsx", "sdmx")


def _quiet(step: str, done: int, total: int) -> None:
    return None


@dataclass
class ReportPaths:
    out_dir: Path
    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    sdmx: SdmxPaths | None = None
    runs: dict[date, str | None] = field(default_factory=dict)  # census date -> run id
    missing: list[str] = field(default_factory=list)  # outputs not written, and why
    warnings: list[Note] = field(default_factory=list)  # typed (jjis.notes)
    problems: list[Note] = field(default_factory=list)  # from the computation
    model: ReportModel | None = field(default=None, repr=False)  # what the outputs show

    def files(self) -> list[Path]:
        out = [p for p in (self.html, self.pdf, self.xlsx) if p is not None]
        return out + (self.sdmx.files() if self.sdmx else [])


@dataclass
class PublishedRuns:
    figures: dict[date, list[Figure]]
    manifests: dict[date, Manifest | None]
    parents: dict[str, str | None]
    runs: dict[date, str | None]
    warnings: list[Note]
    problems: list[Note]
    releases: dict[date, str | None] = field(default_factory=dict)  # None: a draft


def census_dates(census_date: date, compare: Iterable[date]) -> list[date]:
    return sorted({census_date, *compare})


def _chain(parents: dict[str, str | None], area: str) -> list[str]:
    out: list[str] = []
    current: str | None = area
    while current is not None and current not in out:
        out.append(current)
        current = parents.get(current)
    return out


def _below(parents: dict[str, str | None], area: str) -> set[str]:
    return {a for a in parents if area in _chain(parents, a)}


def released_figures(store: Store, day: date, area: str | None, pinned: str | None,
                     by: Sequence[str]) -> tuple[str, list[Figure], Manifest | None] | None:
    """The release a report shows for a census date: `pinned` (`--release ID`), else the newest
    release served for the date covering the area; None when there is none (a draft)."""
    from jjis.publish import releases as rel

    parents = area_parents(store)
    top = _top(parents, area)
    if pinned is not None:
        found = rel.get_release(store, pinned)
        if found is None:
            raise JjisError(f"there is no release {pinned!r}; `jjis releases` lists them")
        if found.census_date != day or top not in _below(parents, found.area):
            raise JjisError(f"release {pinned} is of {found.census_date.isoformat()} for "
                            f"{found.area}; give that --census-date (and an area within it)")
        rid = found.release_id
    else:
        served = rel.covering(rel.served_index(store), _chain(parents, top), day)
        if served is None:
            return None
        rid = served.release_id
    release = rel.get_release(store, rid)
    assert release is not None
    wanted = _below(parents, top)
    figures = [f for f in rel.release_figures(store, rid) if f.area in wanted
               and (not f.breakdown or (len(f.breakdown) == 1 and set(f.breakdown) <= set(by)))]
    return rid, figures, Manifest(**release.manifest) if release.manifest else None


def published_runs(store: Store, config: Config, dates: Sequence[date], area: str | None,
                   progress: Progress, total: int, detailed: date | None = None,
                   release: str | None = None) -> PublishedRuns:
    """The published figures of each census date, with the report's breakdowns for `detailed`
    (every date when None), totals only for the others (their trend): those of the newest
    release of the date (of `release` for `detailed`), else computed, recorded and published
    from the current data, a draft (`releases[day]` is then None)."""
    out = PublishedRuns({}, {}, {}, {}, [], [])
    snapshot: tuple[str, dict[str, list[int | str]]] | None = None
    for i, day in enumerate(dates):
        progress(f"compute {day.isoformat()}", i, total)
        by = REPORT_BREAKDOWNS if detailed in (None, day) else ()
        found = released_figures(store, day, area, release if day == detailed else None, by)
        if found is not None:
            rid, out.figures[day], manifest = found
            out.manifests[day], out.runs[day] = manifest, manifest.run_id if manifest else None
            out.releases[day] = rid
            out.parents.update(area_parents(store))
            continue
        out.releases[day] = None
        snapshot = snapshot or snapshot_hash(store)  # the same data for every date: hashed once
        run = run_indicators(store, config, day, area=area, by=by, snapshot=snapshot)
        out.figures[day] = published_figures(run.figures, config, run.parents)
        out.manifests[day] = load_manifest(store, run.run_id) if run.run_id else None
        out.runs[day] = run.run_id
        out.parents.update(run.parents)
        out.warnings += [w for w in run.result.warnings if w not in out.warnings]
        out.problems += [p for p in run.result.problems if p not in out.problems]
    return out


def _top(parents: dict[str, str | None], area: str | None) -> str:
    if area is not None:
        return area
    roots = [a for a, p in parents.items() if p is None]
    if len(roots) != 1:
        raise JjisError("the areas register must have exactly one top area; choose one with --area")
    return roots[0]


def report_model(store: Store, config: Config, census_date: date, runs: PublishedRuns,
                 area: str | None) -> ReportModel:
    rows = registers.areas(store)
    area_rows = [(str(r[0]), str(r[1] or r[0]), str(r[2] or ""), r[3]) for r in rows]
    model = build_model(load_catalogue(config), config, census_date, runs.figures, runs.parents,
                        area_rows, _top(runs.parents, area), runs.manifests)
    model.releases = dict(runs.releases)
    model.boundaries = boundaries(store)  # the maps of the levels, where imported
    return model


def _formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    chosen = tuple(formats or FORMATS)
    bad = [f for f in chosen if f not in FORMATS]
    if bad:
        raise JjisError(f"there is no report format {bad[0]!r}; the formats are {', '.join(FORMATS)}")
    return chosen


def write_report(store: Store, config: Config, census_date: date, out_dir: str | Path, *,
                 area: str | None = None, lang: str = "en", compare: Iterable[date] = (),
                 formats: Iterable[str] | None = None, progress: Progress = _quiet,
                 release: str | None = None) -> ReportPaths:
    """Write report.html, report.pdf, indicators.xlsx and sdmx/ for the census date.

    `compare` adds census dates for the trend (and to the workbook and SDMX data). Where
    WeasyPrint cannot run (no Pango), everything else is written and `missing` says which
    package to install. The figures are those of the newest release of each date (`release`
    pins the census date's), else the current data, marked draft on the cover."""
    Lang(lang)  # an unknown language fails before any work
    chosen = _formats(formats)
    dates = census_dates(census_date, compare)
    total = len(dates) + len(chosen) + 1
    runs = published_runs(store, config, dates, area, progress, total, detailed=census_date,
                          release=release)
    progress("arrange", len(dates), total)
    model = report_model(store, config, census_date, runs, area)
    paths = write_outputs(model, lang, out_dir, formats=chosen, progress=progress,
                          step=len(dates) + 1, total=total)
    paths.runs, paths.warnings, paths.problems = runs.runs, runs.warnings, runs.problems
    return paths


PARALLEL_FROM = 20_000  # figures; below this a second process costs more than it saves


class _SdmxJob:
    """Writes sdmx/ in a second process while this one draws the charts and lays out the
    report (for large reports, where a second core is there), else here when asked."""

    def __init__(self, model: ReportModel, out: Path, workers: int | None) -> None:
        self.model, self.out = model, out
        self.pool: ProcessPoolExecutor | None = None
        self.future: Future[SdmxPaths] | None = None
        if workers is None:
            big = sum(len(f) for f in model.figures.values()) >= PARALLEL_FROM
            workers = 2 if big and (os.cpu_count() or 1) > 1 else 1
        if workers > 1:
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
            self.future = self.pool.submit(sdmx.write_sdmx, model, out)

    def result(self) -> SdmxPaths:
        return sdmx.write_sdmx(self.model, self.out) if self.future is None \
            else self.future.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _without_missing_pdf(chosen: tuple[str, ...], paths: ReportPaths) -> tuple[str, ...]:
    if "pdf" not in chosen:
        return chosen
    try:
        pdf.check()
    except pdf.PdfUnavailable as exc:  # say so, and write everything else
        paths.missing.append(str(exc))
        return tuple(f for f in chosen if f != "pdf")
    return chosen


def write_outputs(model: ReportModel, lang: str, out_dir: str | Path, *,
                  formats: Iterable[str] | None = None, progress: Progress = _quiet,
                  step: int = 0, total: int = 0, workers: int | None = None) -> ReportPaths:
    """Write the chosen outputs of a report model (the published figures of its dates).

    `workers`: 2 writes the SDMX files in a second process meanwhile, 1 does all here; by
    default 2 for large reports on a machine with more than one core."""
    language = Lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = ReportPaths(out, model=model)
    chosen = _without_missing_pdf(_formats(formats), paths)
    total = total or len(chosen)
    job = _SdmxJob(model, out / "sdmx", workers) if "sdmx" in chosen else None
    try:
        text = ""
        if "html" in chosen or "pdf" in chosen:
            progress("charts", step, total)
            paths.html, text = html.write_html(model, language, out / "report.html")
            step += 1
        if "pdf" in chosen:
            progress("pdf", step, total)
            paths.pdf = pdf.write_pdf(text, out / "report.pdf", base_url=out)
            step += 1
        if "xlsx" in chosen:
            progress("xlsx", step, total)
            paths.xlsx = xlsx.write_xlsx(model, language, out / "indicators.xlsx")
            step += 1
        if job is not None:
            progress("sdmx", step, total)
            paths.sdmx = job.result()
    finally:
        if job is not None:
            job.close()
    if "html" not in chosen and paths.html is not None:
        paths.html.unlink()
        paths.html = None
    progress("done", total, total)
    return paths


def export_sdmx(store: Store, config: Config, census_date: date, out_dir: str | Path, *,
                area: str | None = None, compare: Iterable[date] = (),
                progress: Progress = _quiet, release: str | None = None) -> SdmxPaths:
    """Only the SDMX files (structure, data, SDMX-CSV) of the census dates, in out_dir (the
    figures chosen as for `write_report`)."""
    dates = census_dates(census_date, compare)
    runs = published_runs(store, config, dates, area, progress, len(dates) + 1,
                          release=release, detailed=census_date if release else None)
    model = report_model(store, config, census_date, runs, area)
    progress("sdmx", len(dates), len(dates) + 1)
    return sdmx.write_sdmx(model, Path(out_dir))
