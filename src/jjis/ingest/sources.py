"""Finding the registers among the paths given, and reading their headers and rows.

A CSV file is named after its table (`arrests.csv`), optionally followed by a label
(`arrests-station-12.csv`, `arrests_2025.csv`). A workbook holds one sheet per table, named the
same way. A folder is read for both, with its subfolders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from jjis.errors import JjisError, RowError
from jjis.ingest.workbook import Limits, Refused, read_sheets
from jjis.schema import TABLES

SEPARATORS = ("-", "_", ".", " ")
# Columns of form exports (ODK, KoboTolbox) that describe the submission, not the child.
FORM_META_PREFIXES = ("_", "meta/", "meta.", "meta-", "formhub/")
# Metadata columns ODK Central writes in its CSV exports (names as normalised): passed over unless
# the register has a column of that name.
FORM_META_COLUMNS = frozenset({
    "submissiondate", "key", "parent_key", "submitterid", "submittername", "attachmentspresent",
    "attachmentsexpected", "status", "reviewstate", "deviceid", "edits", "formversion",
})


@dataclass
class Source:
    """One table's rows from one file or sheet."""

    path: Path
    table: str | None  # None: the name matches no register
    sheet: str | None = None
    header: list[str] = field(default_factory=list)  # normalised column names
    rows: pa.Table | None = None  # for sheets: every value as text, with `_row`
    blank: int = 0  # a sheet's empty rows between the header and its last row
    shown: str = ""  # the path shown, when the file is in a subfolder of the folder given
    errors: list[RowError] = field(default_factory=list)  # a sheet's cells that cannot be read
    unreadable: str = ""  # why the file or sheet cannot be read at all

    @property
    def label(self) -> str:
        name = self.shown or self.path.name
        return f"{name}:{self.sheet}" if self.sheet else name


def table_for(name: str) -> str | None:
    """The register a file or sheet name stands for, the longest table name first. A label that
    is itself a register's name names that register: ODK Central exports a form's repeat group
    as `<form_id>-<repeat>.csv` (`detentions-family_contacts.csv`)."""
    stem = name.strip().lower()
    for table in sorted(TABLES, key=len, reverse=True):
        if stem == table or (stem.startswith(table) and stem[len(table)] in SEPARATORS):
            rest = stem[len(table) + 1:]
            return rest if rest in TABLES else table
    return None


def normalise(name: str) -> str:
    """A header as a column name: trimmed, lower-case; a form export's group path
    (`child/child_id` in KoboToolbox, `child-child_id` in ODK Central, `child:child_id`) keeps its
    last part. No register column has a `-` in its name."""
    col = name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")
    if col.startswith(FORM_META_PREFIXES):
        return col
    for sep in ("/", ":", "-"):
        col = col.rsplit(sep, 1)[-1]
    return col


def discover(paths: list[str | Path], limits: Limits | None = None) -> list[Source]:
    """Every source among the paths, reference tables first (the order of paths does not matter).
    Paths are taken literally (a `*` or `?` in a name is part of the name); a folder is read with
    all its subfolders, each folder's files in the order of their names."""
    found: list[Source] = []
    for raw in paths:
        p = Path(raw).absolute()
        if not p.exists():
            raise JjisError(f"{raw} does not exist; give a CSV file, an .xlsx workbook or a folder")
        files = [(f, f.relative_to(p).as_posix()) for f in _files_under(p)] if p.is_dir() else \
            [(p, "")]
        for f, shown in files:
            suffix = f.suffix.lower()
            if suffix == ".csv":
                found.append(Source(f, table_for(f.stem), shown=shown if "/" in shown else ""))
            elif suffix == ".xlsx":
                found.extend(read_workbook(f, limits, shown if "/" in shown else ""))
            elif not p.is_dir():
                raise JjisError(f"{f} is neither a .csv file, an .xlsx workbook nor .geojson boundaries")
    order = {name: t.load_order for name, t in TABLES.items()}
    return sorted(found, key=lambda s: (order.get(s.table or "", 99), s.table or "", s.label))


def _files_under(folder: Path) -> list[Path]:
    """The files of a folder and its subfolders (symbolic links to folders are not followed)."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        out += [Path(root) / f for f in sorted(files)]
    return out


def read_workbook(path: Path, limits: Limits | None = None, shown: str = "") -> list[Source]:
    """Each sheet named after a table, every cell as text, with its sheet row number; a workbook
    that cannot be read is one refused source."""
    try:
        sheets = read_sheets(path, limits or Limits(), normalise)
    except Refused as exc:
        return [Source(path, table_for(path.stem), shown=shown, unreadable=exc.detail)]
    return [Source(path, table_for(s.title), s.title, s.header, s.rows, s.blank, shown=shown,
                   errors=s.errors, unreadable=s.refused) for s in sheets]
