"""Database tables derived from the register schema, plus the system's own tables.

The same DDL serves DuckDB and PostgreSQL: only portable types are used.
"""

from __future__ import annotations

from jjis.indicators.results import RESULTS_COLUMNS
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

# Releases (docs/release.md): what was published, by whom, and the figures themselves. A release
# row and its figures are written once, in one transaction, and never changed; a withdrawal is a
# row of its own. `seq` numbers the releases of one census date and area: two releases made at
# once both take the same next number and the second is refused by the primary key.
RELEASE_TABLES: dict[str, str] = {
    "releases": """
        release_id VARCHAR PRIMARY KEY, census_date DATE NOT NULL, area VARCHAR NOT NULL,
        seq BIGINT NOT NULL, released_by VARCHAR NOT NULL, released_at TIMESTAMP NOT NULL,
        note VARCHAR NOT NULL, run_id VARCHAR NOT NULL, snapshot VARCHAR NOT NULL,
        manifest VARCHAR NOT NULL, figures BIGINT NOT NULL, revisions BIGINT NOT NULL,
        replaces VARCHAR, approvals VARCHAR NOT NULL, withheld BIGINT NOT NULL""",
    "release_figures": "release_id VARCHAR NOT NULL, "
        + ", ".join(f"{c} {t}" for c, t in RESULTS_COLUMNS)
        + ", revised BOOLEAN NOT NULL, revised_from VARCHAR",
    "release_withdrawals": """
        release_id VARCHAR PRIMARY KEY, withdrawn_at TIMESTAMP NOT NULL,
        withdrawn_by VARCHAR NOT NULL, reason VARCHAR NOT NULL""",
    "source_arrivals": """
        facility_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, month BIGINT NOT NULL,
        import_id BIGINT NOT NULL, arrived_at TIMESTAMP NOT NULL""",
    "approvals": """
        area VARCHAR NOT NULL, census_date DATE NOT NULL, approved_by VARCHAR NOT NULL,
        approved_at TIMESTAMP NOT NULL, data_hash VARCHAR NOT NULL""",
}
SYSTEM_TABLES.update(RELEASE_TABLES)

# Maps (docs/registers.md, "areas.geojson"): each area's boundary as a GeoJSON geometry (text),
# from the import that brought it. An import of boundaries replaces them all.
MAP_TABLES: dict[str, str] = {
    "boundaries": """
        area_id VARCHAR PRIMARY KEY, geometry VARCHAR NOT NULL, import_id BIGINT NOT NULL""",
}
SYSTEM_TABLES.update(MAP_TABLES)


def column_sql(table: Table) -> str:
    return ", ".join(f"{c.name} {SQL_TYPES[c.kind]}" for c in table.columns)


def create_statements() -> list[str]:
    stmts = [f"CREATE TABLE IF NOT EXISTS {t.name} ({column_sql(t)})" for t in TABLES.values()]
    stmts += [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in SYSTEM_TABLES.items()]
    return stmts


def release_statements() -> list[str]:
    """The release tables alone, for a database made before they existed."""
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in RELEASE_TABLES.items()]


def map_statements() -> list[str]:
    """The map tables alone, for a database made before they existed."""
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in MAP_TABLES.items()]
