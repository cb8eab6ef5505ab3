"""The audit log (`audit_log`, declared in ddl.py): the page of entries web/audit.py lists. The
chain itself (each entry's hash over the one before) is web/audit.py's, written and read with the
store's verbs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jjis.store.base import Store


def entries(store: Store, columns: Sequence[str], *, limit: int, offset: int,
            action: str | None = None) -> list[tuple[Any, ...]]:
    """The `columns` of the entries (of one `action` when given), newest first: `limit` of
    them after the first `offset`."""
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return store.fetchall(
        f"SELECT {', '.join(columns)} FROM audit_log {where} ORDER BY seq DESC "
        f"LIMIT {int(limit)} OFFSET {int(offset)}", params)
