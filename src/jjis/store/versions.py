"""The schema version: which layout of the declared tables (store/ddl.py) a database has.

A database records the version it was made with in the meta table (`jjis_meta`, the row
`schema_version`). A database with jjis tables but no meta table was made before the version was
recorded and counts as version 1. Opening a database of another version is refused with one
sentence (errors.py, `schema-older` / `schema-newer`); `jjis upgrade` brings an older one to this
version in place: it creates the missing tables and indexes and adds the missing columns (empty,
or with their default), and refuses (`upgrade-impossible`) what cannot be done in place: a
required column without a default, or a column of another type.

Versions:
1. the layout before the version was recorded (tables of runs, results, releases and the web
   application made when first used);
2. every table made by `jjis init` (among them the boundaries of areas), the meta table, the
   index of results on run_id;
3. a figure's note (`results.note`, `release_figures.note`) stored as data, a JSON list of code
   and values (jjis.notes), not as English text: `jjis upgrade` converts the text notes of the
   rows already there in place (`jjis.notes.convert`, the one reader of the old text). A
   release's figures are converted too: the same notes, the same values, another form; a
   release's hashes are over the registers' data, not its figures, so nothing of them changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jjis import notes
from jjis.errors import refusal
from jjis.store.base import Store
from jjis.store.ddl import META_TABLE, PORTABLE, REGISTRY, TableDef

SCHEMA_VERSION = 3
NOTES_AS_DATA = 3  # the version from which figures' notes are stored as data
NOTE_TABLES = ("results", "release_figures")  # the tables with a figure's note
FIRST_VERSION = 1  # what a database without the meta table but with jjis tables is
KEY = "schema_version"

def found_version(store: Store) -> int | None:
    """The version the database records; FIRST_VERSION for one made before versions were
    recorded; None for a database without jjis tables."""
    if store.table_exists(META_TABLE):
        value = store.scalar(f"SELECT value FROM {META_TABLE} WHERE name = ?", [KEY])
        if value is not None:
            return int(value)
    return FIRST_VERSION if store.has_tables() else None


def record(store: Store, version: int = SCHEMA_VERSION) -> None:
    store.execute(f"DELETE FROM {META_TABLE} WHERE name = ?", [KEY])
    store.execute(f"INSERT INTO {META_TABLE} (name, value) VALUES (?, ?)", [KEY, str(version)])


def create(store: Store) -> None:
    """Create what is missing of the declared tables; a database that had none records this
    version (one made by an earlier version keeps its own, for `jjis upgrade`)."""
    before = found_version(store)
    for table in REGISTRY.values():
        store.create_declared(table)
    if before is None:
        record(store)


def check(store: Store) -> None:
    """Refuse a database of another schema version (one sentence saying what to do)."""
    found = found_version(store)
    if found is None or found == SCHEMA_VERSION:
        return
    db = store.parsed.masked
    kind = "schema-older" if found < SCHEMA_VERSION else "schema-newer"
    raise refusal(kind, db=db, found=found, current=SCHEMA_VERSION)


@dataclass
class Upgrade:
    """What `jjis upgrade` did (or, for a database already of this version, that nothing was
    needed)."""

    database: str
    from_version: int
    to_version: int
    tables: list[str] = field(default_factory=list)  # created
    columns: list[str] = field(default_factory=list)  # added, as table.column
    indexes: list[str] = field(default_factory=list)  # created
    notes: dict[str, int] = field(default_factory=dict)  # table: figures' notes converted

    @property
    def changed(self) -> bool:
        return self.from_version != self.to_version or bool(self.tables or self.columns
                                                            or self.indexes or self.notes)


def _missing(store: Store, table: TableDef, db: str, found: int) -> list[str]:
    """The columns of `table` the database lacks (refusing a column of another type, or a
    required one that cannot be added to the rows already there)."""
    have = {n.lower(): PORTABLE.get(t, t) for n, t in store.column_types(table.name).items()}
    out = []
    for col in table.columns:
        typ = have.get(col.name)
        if typ is None:
            if not col.addable:
                raise refusal("upgrade-impossible", db=db, found=found, current=SCHEMA_VERSION,
                              reason=f"column {table.name}.{col.name} is required and has no "
                                     "value to give the rows already there")
            out.append(col.name)
        elif typ != col.type:
            raise refusal("upgrade-impossible", db=db, found=found, current=SCHEMA_VERSION,
                          reason=f"column {table.name}.{col.name} holds {typ}, not {col.type}")
    return out


def _existing_indexes(store: Store) -> set[str]:
    names = set()
    for table in REGISTRY.values():
        for index in table.index_defs:
            if store.index_exists(index.table, index.name):
                names.add(index.name)
    return names


def upgrade(store: Store) -> Upgrade:
    """Bring the database to SCHEMA_VERSION in place, in one transaction (or refuse, changing
    nothing)."""
    db = store.parsed.masked
    found = found_version(store)
    if found is None:
        raise refusal("upgrade-no-tables", db=db)
    if found > SCHEMA_VERSION:
        raise refusal("schema-newer", db=db, found=found, current=SCHEMA_VERSION)
    done = Upgrade(db, found, SCHEMA_VERSION)
    plan: list[tuple[TableDef, list[str]]] = []
    for table in REGISTRY.values():  # every refusal before anything is changed
        if store.table_exists(table.name):
            plan.append((table, _missing(store, table, db, found)))
        else:
            plan.append((table, []))
            done.tables.append(table.name)
    had_indexes = _existing_indexes(store)
    with store.transaction():
        for table, missing in plan:
            _apply(store, table, missing, had_indexes, done)
        if found < NOTES_AS_DATA:
            _convert_notes(store, done)
        record(store)
    return done


def _convert_notes(store: Store, done: Upgrade) -> None:
    """Store the figures' notes written as text (schema version 2 and earlier) as data: each
    distinct note is read once (`jjis.notes.convert`) and its rows rewritten."""
    for table in NOTE_TABLES:
        if table in done.tables or f"{table}.note" in done.columns:
            continue  # made or given the column now: no note written before
        rows = store.fetchall(f"SELECT note, COUNT(*) FROM {table} WHERE note IS NOT NULL "
                              "GROUP BY note")
        n = 0
        for text, count in rows:
            new = notes.convert(str(text))
            if new != text:
                store.execute(f"UPDATE {table} SET note = ? WHERE note = ?", [new, text])
                n += int(count)
        if n:
            done.notes[table] = n


def _apply(store: Store, table: TableDef, missing: list[str], had_indexes: set[str],
           done: Upgrade) -> None:
    """Make one table as declared: create it, or add its missing columns; then its indexes."""
    if table.name in done.tables:
        store.execute(table.create_sql())
    elif missing:
        for index in table.index_defs:  # an engine may refuse to alter an indexed table
            store.drop_index(index.table, index.name)
        for name in missing:
            store.add_column(table.name, table.column(name))
            done.columns.append(f"{table.name}.{name}")
    for index in table.index_defs:
        if index.name not in had_indexes or missing:
            store.execute(index.sql())
        if index.name not in had_indexes:
            done.indexes.append(index.name)
