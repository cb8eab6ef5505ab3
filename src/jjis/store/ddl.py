"""Every table of the database, declared once: the registers (derived from the register
schema), the system's own tables, the runs and results, the releases, the web application's
tables and the schema version. Indexes are declared with their tables.

The same DDL serves every engine: only portable types are used (VARCHAR, BIGINT, INTEGER,
DOUBLE PRECISION, DATE, TIMESTAMP, BOOLEAN, UUID). No CREATE TABLE is written anywhere else;
`jjis upgrade` (store/versions.py) compares a database with these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from jjis.schema import TABLES
from jjis.schema import Table as RegisterTable

SQL_TYPES = {
    "text": "VARCHAR",
    "code": "VARCHAR",
    "offence": "VARCHAR",
    "child": "UUID",  # HMAC-SHA-256 of the source identifier, its first 128 bits (16 bytes)
    "date": "DATE",
    "integer": "BIGINT",
    "yesno": "BOOLEAN",  # NULL = unknown
}
PORTABLE_TYPES = ("VARCHAR", "BIGINT", "INTEGER", "DOUBLE PRECISION", "DATE", "TIMESTAMP",
                  "BOOLEAN", "UUID")
# information_schema's type names (DuckDB, then PostgreSQL) and the portable type of each.
PORTABLE: dict[str, str] = {
    "VARCHAR": "VARCHAR", "character varying": "VARCHAR", "text": "VARCHAR", "TEXT": "VARCHAR",
    "BIGINT": "BIGINT", "bigint": "BIGINT", "INTEGER": "INTEGER", "integer": "INTEGER",
    "SMALLINT": "INTEGER", "smallint": "INTEGER",
    "DOUBLE": "DOUBLE PRECISION", "double precision": "DOUBLE PRECISION", "FLOAT": "DOUBLE PRECISION",
    "real": "DOUBLE PRECISION", "DATE": "DATE", "date": "DATE",
    "TIMESTAMP": "TIMESTAMP", "timestamp without time zone": "TIMESTAMP",
    "BOOLEAN": "BOOLEAN", "boolean": "BOOLEAN", "UUID": "UUID", "uuid": "UUID",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of PORTABLE_TYPES
    not_null: bool = False
    primary_key: bool = False
    default: str | None = None  # an SQL literal

    def sql(self) -> str:
        parts = [self.name, self.type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        elif self.not_null:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        return " ".join(parts)

    @property
    def addable(self) -> bool:
        """Whether the column can be added to a table that holds rows (by `jjis upgrade`): it
        may be empty, or it has a default."""
        return not self.primary_key and (not self.not_null or self.default is not None)


@dataclass(frozen=True)
class Index:
    table: str
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.table}_{'_'.join(self.columns)}_idx"

    def sql(self) -> str:
        return f"CREATE INDEX IF NOT EXISTS {self.name} ON {self.table} ({', '.join(self.columns)})"


@dataclass(frozen=True)
class TableDef:
    name: str
    columns: tuple[Column, ...]
    kind: str  # register, system, release, run, web, meta
    indexes: tuple[tuple[str, ...], ...] = ()

    def create_sql(self) -> str:
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(c.sql() for c in self.columns)})"

    @property
    def index_defs(self) -> list[Index]:
        return [Index(self.name, cols) for cols in self.indexes]

    def statements(self) -> list[str]:
        return [self.create_sql(), *(i.sql() for i in self.index_defs)]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def columns(text: str) -> tuple[Column, ...]:
    """Columns written as SQL: `name TYPE [PRIMARY KEY | NOT NULL] [DEFAULT literal], ...`."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        name, _, rest = part.partition(" ")
        words = rest.split()
        default = None
        if "DEFAULT" in words:
            i = words.index("DEFAULT")
            default, words = " ".join(words[i + 1:]), words[:i]
        spec = " ".join(words)
        pk, nn = "PRIMARY KEY" in spec, "NOT NULL" in spec
        typ = spec.replace("PRIMARY KEY", "").replace("NOT NULL", "").strip()
        if typ not in PORTABLE_TYPES:
            raise ValueError(f"column {name}: {typ} is not a portable type")
        out.append(Column(name, typ, not_null=nn, primary_key=pk, default=default))
    return tuple(out)


def _pairs(cols: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{c} {t}" for c, t in cols)


# The stored results table: one tidy row per figure (indicators/results.py, Figure).
RESULTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "VARCHAR"),
    ("indicator", "INTEGER"),
    ("statistic", "VARCHAR"),
    ("area", "VARCHAR"),
    ("census_date", "DATE"),
    ("period_start", "DATE"),
    ("period_end", "DATE"),
    ("breakdown", "VARCHAR"),  # canonical JSON object, '{}' for the total
    ("numerator", "DOUBLE PRECISION"),
    ("denominator", "DOUBLE PRECISION"),
    ("value", "DOUBLE PRECISION"),
    ("answer", "VARCHAR"),  # yes / partial / no for policy answers
    ("unit", "VARCHAR"),
    ("ci_low", "DOUBLE PRECISION"),
    ("ci_high", "DOUBLE PRECISION"),
    ("unknown", "BIGINT"),  # left out of both terms because unknown (7, 11)
    ("over_age", "BIGINT"),  # left out because 18 or older on the reference date
    ("unknown_age", "BIGINT"),  # children counted whose age was unknown (presumed children)
    ("events", "BIGINT"),  # number of events beside the number of children, where reported
    ("coverage_reported", "INTEGER"),
    ("coverage_expected", "INTEGER"),
    ("timely_reported", "INTEGER"),  # of coverage_reported, those whose data came in time
    ("suppressed", "BOOLEAN"),
    ("note", "VARCHAR"),  # the notes as data: a JSON list of code and values (jjis.notes)
)

# The manifests of compute runs (publish/provenance.py).
RUNS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("census_date", "DATE"),
    ("area", "VARCHAR"),
    ("snapshot", "VARCHAR"),
    ("catalogue_version", "VARCHAR"),
    ("program_version", "VARCHAR"),
    ("figures", "BIGINT"),
    ("manifest", "VARCHAR"),  # the whole manifest as JSON
)

# The system's own tables: what import did, what it refused, what it noticed, which key.
_SYSTEM: dict[str, str] = {
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
_RELEASE: dict[str, str] = {
    "releases": """
        release_id VARCHAR PRIMARY KEY, census_date DATE NOT NULL, area VARCHAR NOT NULL,
        seq BIGINT NOT NULL, released_by VARCHAR NOT NULL, released_at TIMESTAMP NOT NULL,
        note VARCHAR NOT NULL, run_id VARCHAR NOT NULL, snapshot VARCHAR NOT NULL,
        manifest VARCHAR NOT NULL, figures BIGINT NOT NULL, revisions BIGINT NOT NULL,
        replaces VARCHAR, approvals VARCHAR NOT NULL, withheld BIGINT NOT NULL""",
    "release_figures": "release_id VARCHAR NOT NULL, " + _pairs(RESULTS_COLUMNS)
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

# Compute runs: the manifest of each and its figures (publish/provenance.py).
_RUN: dict[str, str] = {
    "runs": _pairs(RUNS_COLUMNS),
    "results": _pairs(RESULTS_COLUMNS),
}
_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "results": (("run_id",),),  # a run's figures are read by its id
}

# The web application's own tables (web/). Times are whole seconds since 1970 (BIGINT) or ISO
# text, so that both engines store and return them alike.
_WEB: dict[str, str] = {
    "web_users": """
        username VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, areas VARCHAR NOT NULL,
        facilities VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, active BOOLEAN NOT NULL,
        created_at VARCHAR NOT NULL,
        totp_secret VARCHAR, totp_step BIGINT""",  # sealed secret (web/totp.py), last step used
    "web_sessions": """
        id_hash VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, username VARCHAR NOT NULL,
        created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, last_seen BIGINT""",
    "audit_log": """
        seq BIGINT PRIMARY KEY, logged_at VARCHAR NOT NULL, actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL, target VARCHAR NOT NULL, detail VARCHAR NOT NULL,
        prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL""",
    "actions_handled": """
        facility_id VARCHAR NOT NULL, stay_id VARCHAR NOT NULL, rule VARCHAR NOT NULL,
        handled_at VARCHAR NOT NULL, handled_by VARCHAR NOT NULL, note VARCHAR NOT NULL""",
    "web_runs": """
        census_date DATE NOT NULL, by_key VARCHAR NOT NULL, data_version BIGINT NOT NULL,
        run_id VARCHAR NOT NULL, created_at VARCHAR NOT NULL""",
}

# What the database records about itself: the schema version it was made with (versions.py).
META_TABLE = "jjis_meta"
_META: dict[str, str] = {META_TABLE: "name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL"}

# Maps (docs/registers.md, "areas.geojson"): each area's boundary as a GeoJSON geometry (text),
# from the import that brought it. An import of boundaries replaces them all.
_MAP: dict[str, str] = {
    "boundaries": """
        area_id VARCHAR PRIMARY KEY, geometry VARCHAR NOT NULL, import_id BIGINT NOT NULL""",
}


def _register_def(t: RegisterTable) -> TableDef:
    return TableDef(t.name, tuple(Column(c.name, SQL_TYPES[c.kind]) for c in t.columns), "register")


def _declared() -> dict[str, TableDef]:
    out = {t.name: _register_def(t) for t in TABLES.values()}
    for kind, group in (("system", _SYSTEM), ("release", _RELEASE), ("run", _RUN), ("web", _WEB),
                        ("map", _MAP), ("meta", _META)):
        for name, text in group.items():
            out[name] = TableDef(name, columns(text), kind, _INDEXES.get(name, ()))
    return out


REGISTRY: dict[str, TableDef] = _declared()

# Names by kind, for the callers that make sure of their own tables.
SYSTEM_TABLES: dict[str, TableDef] = {n: t for n, t in REGISTRY.items()
                                      if t.kind not in ("register", "meta")}
RELEASE_TABLES = [n for n, t in REGISTRY.items() if t.kind == "release"]
RUN_TABLES = [n for n, t in REGISTRY.items() if t.kind == "run"]
WEB_TABLES = [n for n, t in REGISTRY.items() if t.kind == "web"]
MAP_TABLES = [n for n, t in REGISTRY.items() if t.kind == "map"]


def column_sql(table: RegisterTable) -> str:
    return ", ".join(c.sql() for c in _register_def(table).columns)


def create_statements() -> list[str]:
    """Every table and index, in declaration order (CREATE ... IF NOT EXISTS)."""
    return [s for t in REGISTRY.values() for s in t.statements()]
