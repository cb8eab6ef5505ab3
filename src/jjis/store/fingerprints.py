"""The fingerprint of a register table: its row count and four order-free sums of its rows'
MD5 hashes, written alike for every engine (the snapshot hash of a run's data, and the data hash
an area's approval records, are SHA-256 over these). A row's text is each value's length, `:`
and the value (`~` for none), `|` between them; dates as days since 1970 and yes/no as t/f, so
that no engine's own date or boolean style enters it. Changing it changes every hash kept."""

from __future__ import annotations

from collections.abc import Sequence

from jjis.schema import TABLES
from jjis.store.base import Store

# the rows a fingerprint covers: those whose column holds one of the values, for any of the
# (column, values) pairs given; None: every row; []: none
Where = Sequence[tuple[str, Sequence[str]]] | None


def _row_text(table: str) -> str:
    parts = []
    for col in TABLES[table].columns:
        if col.kind == "yesno":
            value = f"CASE WHEN {col.name} THEN 't' WHEN NOT {col.name} THEN 'f' END"
        elif col.kind == "date":  # days since 1970: no dependence on a date style
            value = f"CAST({col.name} - DATE '1970-01-01' AS VARCHAR)"
        else:
            value = f"CAST({col.name} AS VARCHAR)"
        parts.append(f"COALESCE(CAST(length({value}) AS VARCHAR) || ':' || {value}, '~')")
    return " || '|' || ".join(parts)


def _condition(where: Where) -> tuple[str, list[str]]:
    if where is None:
        return "", []
    terms: list[str] = []
    params: list[str] = []
    for column, values in where:
        if values:
            terms.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    return " WHERE " + (" OR ".join(terms) or "1 = 0"), params


def table_fingerprint(store: Store, table: str, where: Where = None) -> list[int | str]:
    """[row count, four sums as decimal text] of the table's rows (those `where` selects)."""
    if table not in TABLES:
        raise KeyError(f"{table!r} is not a register table")
    sums = ", ".join(f"sum({store.hex32(f'substr(h, {s}, 8)')})" for s in (1, 9, 17, 25))
    cond, params = _condition(where)
    row = store.fetchall(f"SELECT count(*), {sums} FROM "
                         f"(SELECT md5({_row_text(table)}) AS h FROM {table}{cond}) rows_",
                         params or None)[0]
    return [int(row[0]), *(str(int(v or 0)) for v in row[1:])]
