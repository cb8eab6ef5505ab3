"""The quarantine: rejected rows kept with their raw values, row number and errors.

Child identifiers are kept only as their pseudonym, written `h:<hash>`; a row exported from the
quarantine, corrected and imported again keeps that pseudonym as it is.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from jjis.errors import RowError
from jjis.ingest.checks import q
from jjis.ingest.pseudonym import PREFIX
from jjis.schema import TABLES, Table
from jjis.store import Store
from jjis.store import quarantine as queries
from jjis.textcells import neutral_row


def quarantine_rows(
    bench: Any, table: Table, file: str, errors: list[RowError], bad: set[int]
) -> pa.Table | None:
    """The rejected rows of the file in `typed`, ready for the quarantine table."""
    if not bad:
        return None
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for e in errors:
        by_row[e.row].append(e)
    rows = sorted(by_row)
    err = pa.table({
        "row_number": pa.array(rows, pa.int64()),
        "error_types": [",".join(sorted({e.type for e in by_row[r]})) for r in rows],
        "messages": [" | ".join(f"{e.column}: {e.message}" if e.column else e.message
                                for e in by_row[r]) for r in rows],
    })
    shown = f"'{PREFIX}' || replace(CAST(child_id AS VARCHAR), '-', '')"  # as pseudonym.shown
    fields = ", ".join(
        f"{c.name} := " + (shown if c.kind == "child" else f"n_{c.name}") for c in table.columns)
    row_key = " || '|' || ".join(f"coalesce(n_{k}, '')" for k in table.key)
    bench.register("q_errors", err)
    out = bench.sql(
        f"SELECT '{table.name}' AS table_name, {q(file)} AS file, e.row_number, {row_key} AS row_key, "
        f"CASE WHEN t._row IS NULL THEN '{{}}' ELSE CAST(to_json(struct_pack({fields})) AS VARCHAR) "
        f"END AS raw_json, e.error_types, e.messages "
        f"FROM q_errors e LEFT JOIN typed t ON t._row = e.row_number ORDER BY e.row_number"
    ).to_arrow_table()
    bench.unregister("q_errors")
    return out


def list_quarantine(store: Store, table: str | None = None, resolved: bool = False) -> list[dict[str, Any]]:
    rows = queries.rows(store, table, resolved)
    keys = ("import_id", "table", "file", "row", "error_types", "messages", "raw", "resolved_by")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def export_quarantine(store: Store, out_dir: Path, table: str | None = None) -> list[Path]:
    """Write the unresolved rows back out, one CSV per table, named so that `jjis import` reads
    them again: the register's columns, then `_file`, `_row` and `_errors`, which import ignores."""
    out_dir.mkdir(parents=True, exist_ok=True)
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in list_quarantine(store, table):
        by_table[entry["table"]].append(entry)
    written = []
    for name, entries in sorted(by_table.items()):
        path = out_dir / f"{name}-quarantine.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            write_quarantine_csv(fh, name, entries)
        written.append(path)
    return written


def write_quarantine_csv(fh: Any, table: str, entries: list[dict[str, Any]]) -> None:
    """The rows of one table (entries of `list_quarantine`) as a CSV that `jjis import` reads
    again: the register's columns, then `_file`, `_row` and `_errors`, which import ignores;
    every cell as text that never runs as a formula."""
    columns = list(TABLES[table].column_names)
    w = csv.writer(fh)
    w.writerow([*columns, "_file", "_row", "_errors"])
    for e in entries:
        raw = json.loads(e["raw"] or "{}")
        w.writerow(neutral_row([_one_line(raw.get(c) or "") for c in columns]
                               + [e["file"], e["row"], e["messages"]]))


def _one_line(value: str) -> str:
    """Import reads one row per line: a line break inside a value (from a workbook cell) is
    written as a space."""
    return " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
