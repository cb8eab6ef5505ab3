"""CSV files of the registers: `<table>.csv` (or `<table>-<label>.csv`), UTF-8, header row, the
columns in the schema's order. Files stay open while chunks are appended."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

import numpy as np

from jjis.schema import TABLES
from jjis.synth.render import Columns


def table_of(file_stem: str) -> str:
    """`family_contacts-visitor-log` is read as the table family_contacts."""
    return file_stem.split("-", 1)[0]


class RegisterFiles:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.rows: dict[str, int] = {}  # file name -> data rows written
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self._headers: dict[str, list[str]] = {}
        self._numbers: dict[str, int] = {}

    def __enter__(self) -> RegisterFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        for f in self._files.values():
            f.close()

    def path(self, stem: str) -> Path:
        return self.out_dir / f"{stem}.csv"

    def next_number(self, stem: str, n: int) -> int:
        """The first of `n` consecutive row numbers of a file (identifiers stay unique)."""
        first = self._numbers.get(stem, 1)
        self._numbers[stem] = first + n
        return first

    def open(self, stem: str, header: list[str] | None = None) -> None:
        """Create the file with its header (written even when no row follows)."""
        if stem in self._files:
            return
        header = header or list(TABLES[table_of(stem)].column_names)
        f = self.path(stem).open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._files[stem] = f
        self._writers[stem] = csv.writer(f, lineterminator="\n")
        self._writers[stem].writerow(header)
        self._headers[stem] = header
        self.rows[f"{stem}.csv"] = 0

    def write(self, stem: str, columns: Columns, header: list[str] | None = None) -> None:
        self.open(stem, header)
        header = self._headers[stem]
        n = len(next(iter(columns.values()))) if columns else 0
        values = [_column(stem, columns, name, n) for name in header]
        self._writers[stem].writerows(zip(*(v.tolist() for v in values), strict=True))
        self.rows[f"{stem}.csv"] += n


def _column(stem: str, columns: Columns, name: str, n: int) -> np.ndarray:
    """The values of a column; an optional column the generator does not fill is left empty."""
    if name in columns:
        return columns[name]
    table = TABLES.get(table_of(stem))
    if table is not None and name in table.column_names and name not in table.required_columns:
        return np.full(n, "")
    raise ValueError(f"the generator produces no value for column {name} of {stem}")
