"""The quarantine (`quarantine`, declared in ddl.py): rows an import refused, held until a
later import brings them in correctly. ingest/load.py writes them (`Store.replace_rows`) and
resolves them; ingest/quarantine.py lists and exports them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jjis.store.base import Store


def rows(store: Store, table: str | None = None, resolved: bool = False) -> list[tuple[Any, ...]]:
    """(import_id, table_name, file, row_number, error_types, messages, raw_json, resolved_by)
    of the rows waiting (all rows with `resolved`), of one register when `table` is given, by
    import, register and row."""
    where = ["1 = 1" if resolved else "resolved_by IS NULL"]
    params: list[Any] = []
    if table:
        where.append("table_name = ?")
        params.append(table)
    return store.fetchall(
        "SELECT import_id, table_name, file, row_number, error_types, messages, raw_json, "
        f"resolved_by FROM quarantine WHERE {' AND '.join(where)} "
        "ORDER BY import_id, table_name, row_number", params)


def resolve(store: Store, table: str, key: Sequence[str], staged: str, import_id: int) -> None:
    """Mark resolved by `import_id` the rows of the register `table` waiting whose key (the
    `key` columns, joined by '|') is among the rows of `staged`."""
    waiting = store.fetchall("SELECT count(*) FROM quarantine WHERE table_name = ? AND "
                             "resolved_by IS NULL", [table])[0][0]
    if not waiting:
        return
    row_key = " || '|' || ".join(f"coalesce(CAST({k} AS VARCHAR), '')" for k in key)
    store.execute(f"UPDATE quarantine SET resolved_by = {int(import_id)} WHERE table_name = ? "
                  f"AND resolved_by IS NULL AND row_key IN (SELECT {row_key} FROM {staged})",
                  [table])


def note_children(store: Store, touched: str, staged: str) -> None:
    """Add the child_id of every row of `staged` to the table `touched` (the children an import
    touched, checked for findings at its end)."""
    store.execute(f"INSERT INTO {touched} SELECT child_id FROM {staged}")
