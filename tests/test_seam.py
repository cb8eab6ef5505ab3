"""store/ is the one engine seam (docs/architecture.md): no SQL statement run, table declared or
engine tested outside it, but for what the allow-list below still names. The list only shrinks:
a file that has fewer leaks than listed must have its entry lowered (or removed), so a leak moved
into store/ cannot come back unnoticed, and a new one fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jjis.errors import JjisError
from jjis.store import Store, parse

SRC = Path(__file__).resolve().parents[1] / "src" / "jjis"
SEAM = SRC / "store"

LEAKS = {
    "runs SQL (.execute)": re.compile(r"\.execute\("),
    "reads rows (fetchall)": re.compile(r"\bfetchall\("),
    "declares a table": re.compile(r"CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?TABLE", re.I),
    "tests the store's class": re.compile(r"isinstance\([^)]*Store\b"),
    "tests the URL's text": re.compile(r"startswith\(\s*[\"']postgres|is_postgres_url"),
    "reaches the store's driver": re.compile(r"\bstore\.con\b"),
}

# What remains, per file: how many lines match any leak. Lower an entry when you move SQL into
# store/ (a verb of Store, or a repository module such as store/registers.py, store/releases.py).
WORKBENCH = "ingest's own in-memory DuckDB workbench (store/workbench.py), not the store"
ALLOWED: dict[str, tuple[int, str]] = {
    "ingest/load.py": (25, "the reading and checking of a file's rows on " + WORKBENCH
                       + " (SQL derived from the schema by ingest/checks.py)"),
    "ingest/checks.py": (1, "the typed rows, a table of " + WORKBENCH),
}


def leaks() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if SEAM in path.parents:
            continue
        rel = path.relative_to(SRC).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            kinds = [k for k, rx in LEAKS.items() if rx.search(line)]
            if kinds:
                found.setdefault(rel, []).append(f"{rel}:{n}: {', '.join(kinds)}: {line.strip()}")
    return found


def test_no_new_leak_through_the_seam() -> None:
    grown = {f: lines for f, lines in leaks().items() if len(lines) > ALLOWED.get(f, (0, ""))[0]}
    assert not grown, ("SQL or engine tests outside store/ (ask the store for a verb instead):\n"
                       + "\n".join(line for lines in grown.values() for line in lines))


def test_the_allow_list_only_shrinks() -> None:
    found = {f: len(lines) for f, lines in leaks().items()}
    stale = {f: (n, found.get(f, 0)) for f, (n, _) in ALLOWED.items() if found.get(f, 0) < n}
    assert not stale, f"lower these entries of ALLOWED to what remains (listed, found): {stale}"


def test_no_table_is_declared_outside_store_but_in_the_workbench() -> None:
    """The only tables made outside store/ are those of ingest's in-memory DuckDB workbench (on
    its own connections `b`, `con`), never of the store."""
    declared = [line for lines in leaks().values() for line in lines if "declares a table" in line]
    assert declared, "the workbench makes tables: the pattern should find them"
    for line in declared:
        assert line.startswith(("ingest/load.py:", "ingest/checks.py:")), line
        assert "store." not in line, line


def test_the_leak_patterns_find_what_they_name() -> None:
    """The patterns match the leaks they are meant to catch (so an empty result means none)."""
    samples = {
        "runs SQL (.execute)": 'store.execute("DELETE FROM x")',
        "reads rows (fetchall)": 'rows = store.fetchall("SELECT 1")',
        "declares a table": 'sql = "CREATE TEMP TABLE t (a INT)"',
        "tests the store's class": "if isinstance(store, DuckStore):",
        "tests the URL's text": 'if db.startswith("postgres"):',
        "reaches the store's driver": "con = store.con",
    }
    assert set(samples) == set(LEAKS)
    for kind, line in samples.items():
        assert [k for k, rx in LEAKS.items() if rx.search(line)] == [kind], kind


def test_parameters_are_bound_for_psycopg_at_one_point() -> None:
    from jjis.store.postgres import pyformat

    assert pyformat("SELECT a FROM t WHERE b = ? AND c = ?") == \
        "SELECT a FROM t WHERE b = %s AND c = %s"
    # a ? or a % inside a string, a quoted name or a comment is text; % is doubled everywhere
    assert pyformat("SELECT '?', \"a?\" FROM t WHERE x LIKE 'a%' AND y = ? -- why?\n") == \
        "SELECT '?', \"a?\" FROM t WHERE x LIKE 'a%%' AND y = %s -- why?\n"
    assert pyformat("SELECT 'it''s ?' /* ? */, ? % 2") == "SELECT 'it''s ?' /* ? */, %s %% 2"


def test_parameters_in_a_query_beside_literal_marks(store: Store) -> None:
    """On each engine (the `store` fixture): the marks inside literals are text."""
    got = store.fetchall("SELECT '?', 'a%b', CAST(? AS VARCHAR), CAST(? AS BIGINT) % 3", ["x", 7])
    assert got == [("?", "a%b", "x", 1)]


def test_the_engine_is_chosen_once_from_the_db_value(tmp_path: Path) -> None:
    pg = parse("postgresql://u:secret@host:5432/jjis")
    assert (pg.engine.name, pg.path, pg.exists, pg.read_only) == ("postgres", None, None, False)
    assert pg.masked == "postgresql://u:***@host:5432/jjis"
    assert parse("postgres://host/db").engine.name == "postgres"
    file = parse(str(tmp_path / "x.duckdb"))
    assert (file.engine.name, file.path, file.exists, file.read_only) == \
        ("duckdb", tmp_path / "x.duckdb", False, True)
    memory = parse(":memory:")
    assert (memory.engine.name, memory.path, memory.in_memory, memory.read_only) == \
        ("duckdb", None, True, False)
    with pytest.raises(JjisError, match="jjis does not know .*mysql://"):
        parse("mysql://host/db")
