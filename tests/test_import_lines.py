"""Every line accounted for: accepted + rejected + blank = the lines after the header, each
rejected row under its own line number, and no good row withheld because of a neighbour.

The expected outcome of each line is known from how the test wrote it (good, short, long, stray
quote, NUL byte, blank), independently of how the import reads it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from import_fixtures import ARREST_HEADER, import_into, with_reference
from jjis.ingest.report import FileReport
from jjis.store import Store

HEADER = ",".join(ARREST_HEADER)


def good(i: str, child: str = "") -> str:
    return f"{i},{child or 'C' + i},m,2010-05-01,2025-01-09,PS1,0501,charged"


def write(folder: Path, name: str, lines: list[str], ending: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((ending.join([HEADER, *lines]) + ending).encode())
    return path


def one_file(store: Store, path: Path) -> FileReport:
    (rep,) = import_into(store, [path]).files
    return rep


def rejected_lines(rep: FileReport) -> list[int]:
    return sorted({e.row for e in rep.errors})


def ids(store: Store, prefix: str) -> list[str]:
    return sorted(r[0] for r in store.fetchall(
        "SELECT arrest_id FROM arrests WHERE arrest_id LIKE ?", [prefix + "%"]))


@pytest.fixture
def ref_store(store: Store, tmp_path: Path) -> Store:
    return with_reference(store, tmp_path)


def test_two_missing_fields_shift_nothing(ref_store: Store, tmp_path: Path) -> None:
    # line 2 good, line 3 misses two fields, line 4 misses three, line 5 good
    lines = [good("A1"), "A2,C2,m,2010-05-01,2025-01-09,PS1", "A3,C3,m,2010-05-01,2025-01-09",
             good("A4")]
    rep = one_file(ref_store, write(tmp_path / "a", "arrests.csv", lines))
    assert rejected_lines(rep) == [3, 4]
    assert ids(ref_store, "A") == ["A1", "A4"]
    assert (rep.rows, rep.inserted + rep.updated, rep.rejected, rep.blank) == (4, 2, 2, 0)


def test_blank_lines_before_a_bad_row_keep_its_line(ref_store: Store, tmp_path: Path) -> None:
    # lines 3 and 4 blank, line 5 has an extra value, line 6 a bad sex code
    lines = [good("B1"), "", "   ", good("B2") + ",extra", good("B3").replace(",m,", ",x,")]
    rep = one_file(ref_store, write(tmp_path / "b", "arrests.csv", lines))
    assert rejected_lines(rep) == [5, 6]
    assert [e.type for e in rep.errors] == ["malformed-row", "invalid-code"]
    assert ids(ref_store, "B") == ["B1"]
    assert (rep.rows, rep.blank, rep.rejected) == (5, 2, 2)


def test_a_stray_quote_swallows_no_other_row(ref_store: Store, tmp_path: Path) -> None:
    # line 3 opens a quote it never closes: only line 3 is rejected; line 4's quote is literal
    lines = [good("Q1"), '"' + good("Q2"), good("Q3", child='C"3'), good("Q4")]
    rep = one_file(ref_store, write(tmp_path / "q", "arrests.csv", lines))
    assert rejected_lines(rep) == [3]
    assert ids(ref_store, "Q") == ["Q1", "Q3", "Q4"]


def test_mixed_line_endings_are_each_a_line(ref_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "m" / "arrests.csv"
    path.parent.mkdir()
    path.write_bytes(f"{HEADER}\n{good('M1')}\r\n{good('M2')}\n\r\n{good('M3')}\r{good('M4')}".encode())
    rep = one_file(ref_store, path)
    assert ids(ref_store, "M") == ["M1", "M2", "M3", "M4"]
    assert (rep.rows, rep.blank, rep.rejected) == (5, 1, 0)


# -- the property --------------------------------------------------------------------------
KINDS = ("good", "good", "good", "short", "long", "blank", "quote", "nul", "commas")
counter = itertools.count()


def _line(kind: str, i: str, cut: int) -> str:
    row = good(i, child=f"é{i}")
    if kind == "short":
        return ",".join(row.split(",")[:-cut])
    if kind == "long":
        return row + ",x" * cut
    if kind == "blank":
        return " " * (cut - 1)
    if kind == "commas":
        return "," * (cut + 4)
    if kind == "quote":
        return '"' + row
    if kind == "nul":
        return row.replace("PS1", "PS\x001")
    return row


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], list[str], str]:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=0, max_size=12))
    endings = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(kinds) + 1,
                            max_size=len(kinds) + 1))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    prefix = f"P{next(counter)}-"
    lines = [(k, _line(k, f"{prefix}{n}", draw(st.integers(1, 3)))) for n, k in enumerate(kinds)]
    return prefix, lines, endings, encoding


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=damaged())
def test_every_line_is_accounted_for(ref_store: Store, tmp_path: Path,
                                     case: tuple[str, list[tuple[str, str]], list[str], str]) -> None:
    prefix, lines, endings, encoding = case
    text = HEADER + "".join(e + line for e, (_, line) in zip(endings, lines, strict=False))
    text += endings[-1] if lines and endings[-1] != "\r" else ""
    path = tmp_path / prefix / "arrests.csv"
    path.parent.mkdir()
    path.write_bytes(text.encode(encoding))
    rep = one_file(ref_store, path)
    n = len(lines)
    assert rep.rows == n
    if encoding in ("latin-1", "utf-16") and (encoding == "utf-16" or any(
            k not in ("blank", "commas") for k, _ in lines)):
        # é (or UTF-16 throughout) is not UTF-8: the file is refused whole, every line counted
        assert rep.refused and [e.type for e in rep.errors] == ["unreadable-file"]
        assert rep.rejected == n and ids(ref_store, prefix) == []
        return
    expected_good = sorted(line.split(",")[0] for k, line in lines if k == "good")
    expected_bad = [i + 2 for i, (k, _) in enumerate(lines) if k in ("short", "long", "quote", "nul")]
    expected_blank = sum(k in ("blank", "commas") for k, _ in lines)
    assert rejected_lines(rep) == expected_bad
    assert (rep.inserted + rep.updated, rep.rejected, rep.blank) == (
        len(expected_good), len(expected_bad), expected_blank)
    assert rep.inserted + rep.updated + rep.rejected + rep.blank == n
    assert ids(ref_store, prefix) == expected_good
