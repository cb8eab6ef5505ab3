"""File-level checks on a register's header: refused before any row is read."""

from __future__ import annotations

from jjis.errors import RowError, make_error
from jjis.ingest.sources import FORM_META_COLUMNS, FORM_META_PREFIXES, Source
from jjis.schema import TABLES, codes

IDENTIFIER_TOKENS = {"name", "address", "phone", "email", "passport", "photo", "nom", "adresse"}


def is_direct_identifier(column: str) -> bool:
    if column in codes.DIRECT_IDENTIFIER_WORDS:
        return True
    return bool(IDENTIFIER_TOKENS & set(column.replace("-", "_").split("_")))


def is_form_meta(column: str, table: str | None = None) -> bool:
    """A form export's metadata column (a column of the register itself never is one)."""
    if table is not None and column in TABLES[table].column_names:
        return False
    return column.startswith(FORM_META_PREFIXES) or column in FORM_META_COLUMNS


def header_errors(source: Source) -> list[RowError]:
    """Errors that refuse the whole file: unknown table, identifier, unknown or missing column."""
    if source.table is None:
        return [make_error("unknown-table", 1, "", source.label, allowed=", ".join(TABLES))]
    table = TABLES[source.table]
    known = set(table.column_names)
    errors: list[RowError] = []
    seen: set[str] = set()
    for col in source.header:
        if col in seen:
            errors.append(make_error("duplicate-column", 1, col, col))
        seen.add(col)
        if col in known or is_form_meta(col):
            continue
        if is_direct_identifier(col):
            errors.append(make_error("direct-identifier", 1, col, col))
        else:
            errors.append(make_error("unknown-column", 1, col, col, table=table.name,
                                     allowed=", ".join(table.column_names)))
    for col in table.required_columns:
        if col not in seen:
            errors.append(make_error("missing-column", 1, col, "", table=table.name))
    return errors
