"""The synthetic country every report test reads, and its reports, written once per session.

The other test_report_* modules import the fixtures from here. The English report is written by
the command line (`jjis report ... --compare`), the French one through the Python API from one
census date. The expected figures are not taken from the reports: they are the recorded runs'
figures (load_results) with disclosure control applied again (published_figures).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jjis.api import import_registers, init_database, published_figures
from jjis.indicators.results import Figure
from jjis.publish import area_parents, load_results
from jjis.reports import ReportPaths, write_report
from jjis.reports.formatting import figure_key
from jjis.settings import Config
from jjis.store import Store, open_store
from jjis.synth import synthesise

CENSUS = date(2025, 12, 31)
COMPARE = date(2024, 12, 31)
CHILDREN = 1_500


@dataclass
class Country:
    db: str
    folder: Path
    config: Config


@dataclass
class Report:
    paths: ReportPaths
    published: dict[str, Figure]  # figure_key -> the published figure of the recorded run
    lang: str


def published(store: Store, config: Config, runs: dict[date, str | None]) -> dict[str, Figure]:
    """The recorded runs' figures, published again by the publication layer."""
    parents = area_parents(store)
    out: dict[str, Figure] = {}
    for run_id in runs.values():
        assert run_id, "the report's runs are recorded"
        for f in published_figures(load_results(store, run_id), config, parents):
            out[figure_key(f)] = f
    return out


# The fixtures are imported by each test_report_* module, and pytest makes one fixture per
# module that holds it; this cache makes the country and its reports once per session all the same.
_MADE: dict[str, Any] = {}


def _once(name: str, make: Callable[[], Any]) -> Any:
    if name not in _MADE:
        _MADE[name] = make()
    return _MADE[name]


@pytest.fixture(scope="session")
def country(tmp_path_factory: pytest.TempPathFactory) -> Country:
    def make() -> Country:
        folder = tmp_path_factory.mktemp("report-country")
        synthesise(folder / "registers", children=CHILDREN, seed=11, end_date=CENSUS)
        db = str(folder / "jjis.duckdb")
        init_database(db)
        config = Config()
        with open_store(db) as store:
            assert import_registers(store, [folder / "registers"], config).exit_code == 0
        return Country(db, folder, config)

    return _once("country", make)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def report_en(country: Country) -> Report:
    """The English report, all outputs, with a compared census date: written by `jjis report`."""

    def make() -> Report:
        from jjis.cli.main import app

        out = country.folder / "report-en"
        result = CliRunner().invoke(app, [
            "report", "--db", country.db, "--census-date", CENSUS.isoformat(), "--out", str(out),
            "--compare", COMPARE.isoformat()])
        assert result.exit_code == 0, result.output
        runs = {date.fromisoformat(m[0]): m[1]
                for m in re.findall(r"Figures of (\S+): run (\w+)", result.output)}
        paths = write_report_paths(out)
        paths.runs = runs
        with open_store(country.db) as store:
            return Report(paths, published(store, country.config, runs), "en")

    return _once("report_en", make)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def report_fr(country: Country) -> Report:
    """The French report (HTML and workbook), one census date, through the Python API."""

    def make() -> Report:
        with open_store(country.db) as store:
            paths = write_report(store, country.config, CENSUS, country.folder / "report-fr",
                                 lang="fr", formats=("html", "xlsx"))
            return Report(paths, published(store, country.config, paths.runs), "fr")

    return _once("report_fr", make)  # type: ignore[no-any-return]


def write_report_paths(out: Path) -> ReportPaths:
    from jjis.reports.sdmx import SdmxPaths

    return ReportPaths(out, html=out / "report.html", pdf=out / "report.pdf",
                       xlsx=out / "indicators.xlsx",
                       sdmx=SdmxPaths(out / "sdmx" / "structure.xml", out / "sdmx" / "data.xml",
                                      out / "sdmx" / "data.csv"))


def test_the_report_writes_every_file(report_en: Report) -> None:
    for path in report_en.paths.files():
        assert path.exists() and path.stat().st_size > 1000, path


def test_the_runs_of_the_report_are_recorded(report_en: Report) -> None:
    assert set(report_en.paths.runs) == {COMPARE, CENSUS}
    days = {f.census_date for f in report_en.published.values()}
    assert days == {COMPARE, CENSUS}
