"""Web data entry: one record typed in a form built from the register schema, checked by the
import's own validation (ingest.load.check_source on a one-row source) and saved by the import
itself (`import_registers` on a one-row file): one transaction, the child id pseudonymised, the
import log and the quarantine's resolution as for any file. Nothing here repeats a rule."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from jjis.api import import_registers
from jjis.errors import RowError
from jjis.forms.labels import LANGUAGES, Labels
from jjis.forms.lists import References, choices
from jjis.ingest import pseudonym
from jjis.ingest.load import check_source
from jjis.ingest.sources import Source
from jjis.schema import TABLES, Column, Table
from jjis.settings import Config
from jjis.store import Store
from jjis.web.i18n import words
from jjis.web.imports import one_import

# What facility staff record on the web: the registers of one facility, one row at a time.
ENTRY_TABLES = ("arrests", "detentions", "decisions", "family_contacts", "inspections")


@dataclass
class Field:
    """One input of the form: the column, its words, its choices, the value typed, its errors."""

    column: Column
    label: str
    hint: str
    options: list[tuple[str, str]] | None
    value: str
    errors: list[str]

    @property
    def input_type(self) -> str:
        return {"date": "date", "integer": "number"}.get(self.column.kind, "text")


def labels_for(lang: str) -> Labels:
    return Labels(lang if lang in LANGUAGES else "en")


def fields(table: Table, values: dict[str, str], errors: list[RowError], lang: str,
           config: Config) -> list[Field]:
    """The inputs of a table's form (facility_id is the page's facility, not an input)."""
    lb = labels_for(lang)
    by_column: dict[str, list[str]] = {}
    for e in errors:
        by_column.setdefault(e.column or "", []).append(e.message_in(words(lang).gettext))
    out = []
    for col in table.columns:
        if col.name == "facility_id":
            continue
        options = choices(col, lb, config, References())
        out.append(Field(col, lb.column(col), lb.hint(col), options, values.get(col.name, ""),
                         by_column.get(col.name, [])))
    return out


def general_errors(table: Table, errors: list[RowError], lang: str = "en") -> list[str]:
    """Errors not about an input of the form (the facility, or the whole row)."""
    inputs = {c.name for c in table.columns if c.name != "facility_id"}
    return [e.message_in(words(lang).gettext) for e in errors if e.column not in inputs]


def one_row(table: Table, facility_id: str, form: dict[str, str]) -> dict[str, str]:
    row = {c.name: str(form.get(c.name, "")).strip() for c in table.columns}
    row["facility_id"] = facility_id
    return row


def check(store: Store, table: Table, row: dict[str, str], config: Config,
          today: date) -> list[RowError]:
    """The import's validation of this one row (row number 2, as in a file)."""
    data = {"_row": pa.array([2], pa.int64())}
    data.update({c: pa.array([v or None], pa.string()) for c, v in row.items()})
    source = Source(Path(f"{table.name}-web"), table.name, "web", list(row), pa.table(data))
    return check_source(store, source, config, pseudonym.load_key(store.url), today=today)


def save(store: Store, table: Table, row: dict[str, str], config: Config,
         today: date) -> tuple[list[RowError], dict[str, int]]:
    """Import the row as a one-row file `<table>-web.csv`; returns its errors and counts."""
    with tempfile.TemporaryDirectory(prefix="jjis-entry-") as tmp:
        path = Path(tmp) / f"{table.name}-web.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(list(row))
            w.writerow(list(row.values()))
        with one_import:  # the upload's lock: imports number themselves one at a time
            report = import_registers(store, [path], config, today=today)
    file = report.files[0]
    return file.errors, {"inserted": file.inserted, "updated": file.updated}


def existing_stay(store: Store, facility_id: str, stay_id: str) -> dict[str, str] | None:
    """A stay of the facility as the form shows it: the child as its pseudonym `h:<hex>`, which
    import keeps as it is, so that the edited stay stays linked to the child."""
    table = TABLES["detentions"]
    found = store.select("detentions", table.column_names,
                         {"facility_id": facility_id, "stay_id": stay_id})
    if not found:
        return None
    return {c.name: _shown(c, v) for c, v in zip(table.columns, found[0], strict=True)}


def _shown(col: Column, value: Any) -> str:
    if value is None:
        return ""
    if col.kind == "child":
        import uuid

        return pseudonym.shown(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    if col.kind == "yesno":
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
