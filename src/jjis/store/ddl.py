"""Database tables derived from the register schema, plus the system's own tables.

The same DDL serves DuckDB and PostgreSQL: only portable types are used.
"""

from __future__ import annotations

from jjis.schema import TABLES, Table

SQL_TYPES = {
    "text": "VARCHAR",
    "code": "VARCHAR",
    "offence": "VARCHAR",
    "child": "UUID",  # HMAC-SHA-256 of the source identifier, its first 128 bits (16 bytes)
    "date": "DATE",
    "integer": "BIGINT",
    "yesno": "BOOLEAN",  # NULL = unknown
}

# The system's own tables: what import did, what it refused, what it noticed, which key.
SYSTEM_TABLES: dict[str, str] = {
    "import_log": """
        import_id BIGINT, imported_at TIMESTAMP, file VARCHAR, table_name VARCHAR,
        sha256 VARCHAR, rows BIGINT, inserted BIGINT, updated BIGINT, rejected BIGINT,
        refused BOOLEAN""",
    "quarantine": """
        import_id BIGINT, table_name VARCHAR, file VARCHAR, row_number BIGINT, row_key VARCHAR,
        raw_json VARCHAR, error_types VARCHAR, messages VARCHAR, resolved_by BIGINT""",
    "findings": """
        import_id BIGINT, type VARCHAR, table_name VARCHAR, child_id UUID, message VARCHAR""",
    # Which key the database expects: HMAC-SHA-256(key, "jjis key check"), never the key itself.
    "key_check": """
        check_value VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, recorded_at VARCHAR NOT NULL""",
}


def column_sql(table: Table) -> str:
    return ", ".join(f"{c.name} {SQL_TYPES[c.kind]}" for c in table.columns)


def create_statements() -> list[str]:
    stmts = [f"CREATE TABLE IF NOT EXISTS {t.name} ({column_sql(t)})" for t in TABLES.values()]
    stmts += [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in SYSTEM_TABLES.items()]
    return stmts
