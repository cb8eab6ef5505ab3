"""`jjis compute` for people: `--indicator` limits the output (unknown numbers refused with one
sentence, exit 2), and the terminal table fits 80 columns without splitting a word.

"No word split" is checked against an independent vocabulary: every word the table prints must
be a whole word of the English catalogue (the labels), of a figure's note, an area code or a
number; a word cut in two leaves fragments that are none of these.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from indicator_fixtures import arrest, country, decision, load, stay
from jjis import notes
from jjis.cli.compute_table import COLUMNS, CROSS_WORDS, render_table
from jjis.cli.main import app
from jjis.indicators.results import Figure
from jjis.reports import i18n
from jjis.store import open_store

BY = "sex,age_group,offence,legal_status,facility_kind"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("compute") / "t.duckdb")
    with open_store(path, create=True) as store:
        load(store, country(
            detentions=[stay("s1", 1, "RC2", "2025-06-01"), stay("s2", 2, "RC2", "2025-03-01",
                                                                 "2025-04-15")],
            arrests=[arrest("a1", 1, "2025-05-30"), arrest("a2", 3, "2025-07-02")],
            decisions=[decision("d1", 2, "2025-04-15", "custodial_sentence")]))
    return path


def _figures(db: str, *extra: str) -> list[Figure]:
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--format", "json", *extra])
    assert res.exit_code == 0, res.output
    # the JSON's `note` is the English rendered; the notes as data are in `notes`
    return [Figure(**{**{k: v for k, v in f.items() if k in Figure.__dataclass_fields__},
                      "note": notes.dump(notes.Note(n["code"], n["values"]) for n in f["notes"])})
            for f in json.loads(res.stdout)]


def _vocabulary(figures: list[Figure]) -> set[str]:
    words: set[str] = set()
    texts = list(i18n.messages()) + [notes.english(f.note) or "" for f in figures] + [f.area for f in figures]
    texts += [*COLUMNS, *CROSS_WORDS, "not measured", "withheld"]  # the table's own words
    texts += [f"{d} {v}".replace("_", " ") for f in figures for d, v in f.breakdown.items()]
    for text in texts:
        words.update(re.findall(r"[\w'’-]+", text))
    return words


def test_the_table_fits_80_columns_and_splits_no_word(db: str) -> None:
    figures = _figures(db, "--by", BY)
    out = io.StringIO()
    Console(file=out, width=80, force_terminal=False, color_system=None).print(
        render_table(figures))
    text = out.getvalue()
    lines = text.splitlines()
    assert len(lines) > len(figures), "a line per figure at least"
    assert max(len(line) for line in lines) <= 80
    vocabulary = _vocabulary(figures)
    for word in re.findall(r"[\w'’-]+", text):
        if re.fullmatch(r"[\d,.]+", word):
            continue
        assert word in vocabulary, f"{word!r} is not a whole word of the labels or notes"
    # the labels, not the codes: a girl is "Girls", not "sex=f"
    assert "Girls" in text and "sex=f" not in text


def test_indicator_limits_the_output(db: str) -> None:
    figures = _figures(db, "--indicator", "2,3")
    assert figures and {f.indicator for f in figures} == {2, 3}
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--indicator", "3", "--format", "csv"])
    assert res.exit_code == 0
    rows = res.stdout.splitlines()[1:]
    assert rows and all(r.startswith("3,") for r in rows)


@pytest.mark.parametrize("given", ["16", "2,x", "0", ",", "2;3"])
def test_an_unknown_indicator_is_refused_in_one_sentence(db: str, given: str) -> None:
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--indicator", given])
    assert res.exit_code == 2
    assert res.output.startswith("error: --indicator has ")
    assert "the indicators are 1 to 15" in res.output
    assert res.output.count("\n") <= 2, res.output


def test_the_progress_bar_shows_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from jjis.cli import common

    for terminal in (True, False):
        out = io.StringIO()
        monkeypatch.setattr(common, "err_console",
                            Console(file=out, force_terminal=terminal, width=80))
        with common.progress_bar("report") as step:
            step("compute 2025-12-31", 1, 4)
            step("pdf", 3, 4)
        shown = out.getvalue()
        assert ("pdf" in shown) is terminal, shown
    with common.progress_bar("report", show=False) as step:  # e.g. json to a pipe
        step("compute", 0, 0)


def test_compute_to_a_pipe_writes_only_the_data(db: str) -> None:
    """CliRunner's output is not a terminal: JSON on stdout parses, no bar's redraws in it."""
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--indicator", "2", "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)
    assert "computing" not in res.output


def _printed(figures: list[Figure]) -> str:
    out = io.StringIO()
    Console(file=out, width=80, force_terminal=False, color_system=None).print(
        render_table(figures))
    return out.getvalue()


@pytest.mark.parametrize("publish", [False, True])
def test_the_cross_table_fits_80_columns_with_its_counts(db: str, publish: bool) -> None:
    """Children 1 (girl, 15) and 2 (girl, 15, released before C) in detention; on C only child
    1: indicator 2 is 1 of the 600 girls aged 14-15 (100 per age and sex in each of BJ-N1,
    BJ-N2, BJ-S): 166.67 per 100,000; 1 of 5,400 girls, 1 of 1,200 children aged 14-15, 1 of
    10,800 children (18.52, 83.33, 9.26)."""
    figures = _figures(db, "--by", "sex*age_group", "--indicator", "2",
                       *(["--publish"] if publish else []))
    text = _printed(figures)
    assert max(len(line) for line in text.splitlines()) <= 80
    grid = text[text.index("2. Per 100,000: Sex × Age group, BJ"):]
    vocabulary = _vocabulary(figures)
    for word in re.findall(r"[\w'’-]+", grid):
        assert re.fullmatch(r"[\d,.]+", word) or word in vocabulary, word
    lines = grid.splitlines()
    girls = next(i for i, line in enumerate(lines) if line.startswith(" Girls"))
    head = "\n".join(lines[:girls])
    assert head.index("Under 14") < head.index("16–17")  # declared order, labels
    if publish:  # 1 child is withheld, and so is every count that shows it
        assert "<5 / 600" in lines[girls + 1] and "166.67" not in grid
        assert "<5 / 5,400" in lines[girls + 1]
    else:
        assert "166.67" in lines[girls] and "1 / 600" in lines[girls + 1]
        assert "18.52" in lines[girls] and "1 / 5,400" in lines[girls + 1]
        every = next(line for line in lines if line.startswith(" All"))
        assert "83.33" in every and "9.26" in every


@pytest.mark.parametrize(("by", "words"), [
    ("sex*sex", "two different dimensions"),
    ("sex*colour", "allowed: sex, age_group, offence, facility_kind, legal_status"),
    ("sex*age_group*offence", "a cross breakdown has two dimensions"),
])
def test_a_bad_cross_breakdown_is_refused_naming_what_is_allowed(db: str, by: str,
                                                                 words: str) -> None:
    res = CliRunner().invoke(app, ["compute", "--db", db, "--census-date", "2025-12-31",
                                   "--by", by])
    assert res.exit_code != 0 and words in res.output, res.output
