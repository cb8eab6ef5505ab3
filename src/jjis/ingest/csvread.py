"""Reading a CSV register so that every line after the header is accounted for.

Every line is one row: a line break always ends a row (LF, CRLF or a lone CR, mixed in any way),
so a stray quote can never swallow the rows after it. Each line is then either a row read, a
blank line (nothing but spaces and commas: counted and reported, never an error) or a rejected
row, under its own line number (the header is line 1).

A file is first scanned as bytes (UTF-8, the first line a header). A plain file (no blank line,
no NUL, one kind of line ending) is read by DuckDB itself, which is fast; its result is kept
only when DuckDB read exactly one row per line with no reject. Anything else is read here, line
by line, which is exact whatever the damage.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from jjis.errors import RowError, make_error

MAX_HEADER_BYTES = 64 * 1024  # a register's header is a few hundred bytes
CHUNK = 8 * 1024 * 1024
LINE_BREAK = re.compile(r"\r\n|\n|\r")
GLOB_CHARACTERS = set("*?[]{}")  # DuckDB's read_csv takes these as a pattern


class Unreadable(Exception):
    """The file cannot be read as a CSV register at all: `detail` says why and what to do."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass
class Scan:
    """What the byte scan found: the header, the lines after it, whether DuckDB may read it."""

    header_cells: list[str]
    lines: int  # lines after the header
    plain: bool


@dataclass
class Lines:
    """The rows read line by line: `rows` with `_row` (the line number), every value as text."""

    rows: pa.Table
    malformed: list[RowError] = field(default_factory=list)
    blank: int = 0


def _first_line(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(MAX_HEADER_BYTES + 1)
    end = min((i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0), default=-1)
    if end < 0 and len(head) > MAX_HEADER_BYTES:
        raise Unreadable(f"its first line is longer than {MAX_HEADER_BYTES // 1024} KB, so it is "
                         "not a register's header; is it a CSV file? Save the register as "
                         "CSV UTF-8 with the column names on the first line")
    line = head if end < 0 else head[:end]
    if b"\x00" in line:
        raise Unreadable("its first line holds binary data (NUL bytes), so it is not a CSV "
                         "file; save the register as CSV UTF-8 and import it again")
    return line


def scan(path: Path) -> Scan:
    """Check the file is UTF-8 text with a header, count its lines, and say whether it is plain."""
    first = _first_line(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    n_lf = n_cr = n_crlf = 0
    blank_or_nul = False
    tail = last = b""
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = n_lf + chunk[: exc.start].count(b"\n") + 1
                raise Unreadable(f"it is not UTF-8 text (byte 0x{chunk[exc.start]:02x} on line "
                                 f"{line} cannot be read); save the register as CSV UTF-8 and "
                                 "import it again") from exc
            joined = tail + chunk
            n_lf += chunk.count(b"\n")
            n_cr += chunk.count(b"\r")
            n_crlf += chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
            blank_or_nul = (blank_or_nul or b"\x00" in chunk or b"\n\n" in joined
                            or b"\n\r\n" in joined or b"\r\r" in joined)
            tail = joined[-2:]
            size += len(chunk)
            last = chunk[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise Unreadable("it ends in the middle of a character, so it is not UTF-8 text; save "
                         "the register as CSV UTF-8 and import it again") from exc
    text = first.decode("utf-8").lstrip("\ufeff")
    cells = next(csv.reader([text]), []) if text.strip() else []
    if size == 0:
        return Scan(cells, 0, False)
    one_ending = n_cr == 0 or (n_cr == n_crlf == n_lf)
    breaks = n_lf + (n_cr - n_crlf)
    lines = breaks + (last not in (b"\n", b"\r")) - 1
    return Scan(cells, max(lines, 0), one_ending and not blank_or_nul)


def count_lines(path: Path) -> int:
    """The lines after the first of a file that cannot be read: counted all the same, so that
    the report accounts for them (as text in UTF-16 when it starts with that byte-order mark,
    else byte by byte)."""
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = data.decode("utf-16" if utf16 else "latin-1", errors="replace")
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return max(len(lines) - 1, 0)


def literal_for_duckdb(path: Path) -> bool:
    """Whether DuckDB may be given the path: its read_csv takes `*`, `?`, `[` as a pattern."""
    return not (set(str(path)) & GLOB_CHARACTERS)


def _cells(line: str) -> list[str] | str:
    """The values of one line, or why it cannot be read."""
    if "\x00" in line:
        return "the line holds a NUL byte (binary data)"
    if '"' not in line:
        return line.split(",")
    try:
        return next(csv.reader([line], strict=True))
    except csv.Error as exc:
        return f"a quote is not closed or is followed by other text ({exc})"


def read_lines(path: Path, header: list[str], keep: list[str]) -> Lines:
    """Every line after the header, read on its own: rows, blank lines and malformed lines."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the line break that ends the last line
    width = len(header)
    positions = [header.index(c) for c in keep]
    numbers: list[int] = []
    columns: list[list[str | None]] = [[] for _ in keep]
    out = Lines(rows=pa.table({}))
    for number, line in enumerate(lines[1:], start=2):
        cells = _cells(line)
        if isinstance(cells, list) and all(not c.strip() for c in cells):
            out.blank += 1
            continue
        if isinstance(cells, list) and len(cells) != width:
            cells = f"the line has {len(cells)} values and the header {width}"
        if isinstance(cells, str):
            out.malformed.append(make_error("malformed-row", number, "", "", detail=cells))
            continue
        numbers.append(number)
        for col, i in zip(columns, positions, strict=True):
            col.append(cells[i])
    data = {"_row": pa.array(numbers, pa.int64())}
    data.update({c: pa.array(v, pa.string()) for c, v in zip(keep, columns, strict=True)})
    out.rows = pa.table(data)
    return out
