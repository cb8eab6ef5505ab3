"""The outputs on a Spark warehouse, end to end from the command line: `jjis compute`, `jjis
release` and `jjis report` (HTML, PDF, XLSX, SDMX) on Spark give the figures they give on DuckDB
for the same synthetic country; `jjis backup` and `jjis restore`, which cannot work on a
warehouse, are refused with one sentence.

One small country, imported once into a DuckDB file and a warehouse (module fixture): on each,
one computation with every released breakdown, which the release reuses and the report reads.
The independent implementation the Spark figures are held against is DuckDB's (the hand-worked
value tests hold both against the specification)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import spark_url
from jjis.cli.main import app
from jjis.release.make import RELEASED_BY
from jjis.reports import write_report
from jjis.settings import Config
from jjis.store import open_store
from jjis.store.url import parse
from jjis.synth import synthesise

CENSUS = date(2025, 12, 31)
RUN_ID = re.compile(r"\b[0-9a-f]{32}\b")  # a run's id: random, one per engine
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d| UTC)?")


def _jjis(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _outputs(db: str, registers: Path, out: Path) -> dict[str, Any]:
    """What compute, release and report give on `db`, from the command line (the report of a
    DuckDB file without its PDF, which only Spark's needs to show it is written)."""
    c = CENSUS.isoformat()
    _jjis("init", "--db", db)
    _jjis("import", "--db", db, str(registers))
    computed = json.loads(_jjis("compute", "--db", db, "--census-date", c, "--by",
                                ",".join(RELEASED_BY), "--format", "json"))
    made = json.loads(_jjis("release", "--db", db, "--census-date", c, "--quiet", "--json"))
    shown = json.loads(_jjis("releases", "show", made["release_id"], "--db", db, "--json"))
    if parse(db).engine.name == "spark":
        _jjis("report", "--db", db, "--census-date", c, "--out", str(out))
    else:
        with open_store(db) as store:
            write_report(store, Config(), CENSUS, out, formats=("html", "xlsx", "sdmx"))
    return {"computed": computed, "made": made, "shown": shown, "report": out}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, spark_session: Any
            ) -> Iterator[dict[str, dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("spark-outputs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JJIS_SECRET", "5e" * 32)  # one key: the same pseudonyms on both engines
        synthesise(tmp / "registers", children=120, seed=5, end_date=CENSUS)
        yield {name: _outputs(db, tmp / "registers", tmp / f"report-{name}")
               for name, db in (("duckdb", str(tmp / "country.duckdb")),
                                ("spark", spark_url(tmp / "warehouse")))}


def _without_run(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in r.items() if k != "run_id"} for r in rows), key=str)


def test_compute_and_release_on_spark_give_duckdbs_figures(
        engines: dict[str, dict[str, Any]]) -> None:
    duck, spark = engines["duckdb"], engines["spark"]
    assert len(spark["computed"]) == len(duck["computed"]) > 1000
    assert _without_run(spark["computed"]) == _without_run(duck["computed"])
    for e in (duck, spark):  # the release reused the computation (one Spark run, not two)
        assert e["made"]["run_id"] == e["computed"][0]["run_id"]
    assert spark["made"]["release_id"] == duck["made"]["release_id"] == "2025-12-31-XA-1"
    for key in ("figures", "withheld", "revisions", "snapshot", "area", "census_date"):
        assert spark["made"][key] == duck["made"][key], key
    assert spark["made"]["withheld"] > 0  # disclosure control ran on both
    figures = _without_run(spark["shown"]["figures"])
    assert len(figures) == spark["made"]["figures"]
    assert figures == _without_run(duck["shown"]["figures"])


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    return {ws.title: [tuple(RUN_ID.sub("RUN", STAMP.sub("T", v)) if isinstance(v, str) else v
                             for v in row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets}


def _text(html: str) -> str:
    return RUN_ID.sub("RUN", STAMP.sub("T", SVG.sub("<svg/>", html)))


def test_the_report_on_spark_shows_duckdbs_figures(engines: dict[str, dict[str, Any]]) -> None:
    duck, spark = engines["duckdb"]["report"], engines["spark"]["report"]
    # SDMX: the same observations, value for value
    assert (spark / "sdmx" / "data.csv").read_text() == (duck / "sdmx" / "data.csv").read_text()
    assert len((spark / "sdmx" / "data.csv").read_text().splitlines()) > 100
    for name in ("data.xml", "structure.xml"):
        assert STAMP.sub("T", (spark / "sdmx" / name).read_text()) == \
            STAMP.sub("T", (duck / "sdmx" / name).read_text()), name
    # the workbook: every cell of every sheet (run ids and times aside)
    assert _cells(spark / "indicators.xlsx") == _cells(duck / "indicators.xlsx")
    # the HTML report: the release's figures, the same text (the charts aside: drawn from the
    # same figures, their elements are numbered by the process, which drew DuckDB's first)
    html = (spark / "report.html").read_text()
    assert 'data-release="2025-12-31-XA-1"' in html
    assert _text(html) == _text((duck / "report.html").read_text())
    assert (spark / "report.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_of_a_warehouse_are_refused_in_one_sentence(
        engines: dict[str, dict[str, Any]], tmp_path: Path, command: str) -> None:
    warehouse = engines["spark"]["report"].parent / "warehouse"
    db = spark_url(warehouse)
    args = ["backup", "--db", db, "--out", str(tmp_path / "b.zip")] if command == "backup" else \
        ["restore", str(tmp_path / "b.zip"), "--db", db]
    before = sorted(p.name for p in warehouse.iterdir())
    result = CliRunner().invoke(app, args)
    said = "".join(result.output.split())  # as Rich wrapped it: the words, spaces aside
    assert result.exit_code == 2, result.output
    assert "".join(f"error: `jjis {command}` does not work on {db}, a Spark warehouse:".split()) \
        in said
    assert said.count(".") == said.count(".duckdb") and "Traceback" not in said  # one sentence
    assert not (tmp_path / "b.zip").exists()
    assert sorted(p.name for p in warehouse.iterdir()) == before
