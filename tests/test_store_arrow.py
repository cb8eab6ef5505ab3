"""Arrow tables from Python columns (store/arrow.py) are pyarrow's own: the same values and types
as `pa.table(columns, schema=schema)` for random columns of every declared type, the wrong
values refused as pyarrow refuses them, and pandas never imported on the way."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jjis.store.arrow import SQL_TYPES, arrow_schema, arrow_table

VALUES = {
    "VARCHAR": st.text(max_size=8) | st.sampled_from(["", "é", "a|b", "note"]),
    "INTEGER": st.integers(-(2**31), 2**31 - 1),
    "BIGINT": st.integers(-(2**63), 2**63 - 1),
    "DOUBLE PRECISION": st.floats(allow_nan=False) | st.integers(-(2**53), 2**53),
    "DATE": st.dates(),
    "BOOLEAN": st.booleans(),
    "TIMESTAMP": st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
}


@st.composite
def tables(draw: Any) -> tuple[list[tuple[str, str]], dict[str, list[Any]]]:
    kinds = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=6))
    rows = draw(st.integers(0, 40))
    declared = [(f"c{i}", kind) for i, kind in enumerate(kinds)]
    columns = {name: draw(st.lists(st.none() | VALUES[kind], min_size=rows, max_size=rows))
               for name, kind in declared}
    return declared, columns


@settings(max_examples=200, deadline=None)
@given(tables())
def test_the_same_table_as_pyarrows_own(table: tuple[list[tuple[str, str]], dict]) -> None:
    declared, columns = table
    schema = arrow_schema(declared)
    made = arrow_table(columns, schema)
    assert made.schema == schema
    assert made.equals(pa.table(columns, schema=schema))
    assert made.to_pydict() == columns  # (an integer in a float column: the same number)


def test_repeated_values_and_nulls() -> None:
    schema = arrow_schema([("run", "VARCHAR"), ("day", "DATE"), ("n", "INTEGER"),
                           ("x", "DOUBLE PRECISION"), ("yes", "BOOLEAN")])
    columns = {"run": ["r1"] * 3 + [None], "day": [date(2025, 12, 31)] * 2 + [None, date(1969, 12, 31)],
               "n": [1, None, 3, 2**31 - 1], "x": [0.5, None, -0.0, 7], "yes": [True, None, False, True]}
    made = arrow_table(columns, schema)
    assert made.column("run").to_pylist() == ["r1", "r1", "r1", None]
    assert made.column("day").to_pylist() == [date(2025, 12, 31)] * 2 + [None, date(1969, 12, 31)]
    assert made.column("n").null_count == 1 and made.column("n").to_pylist()[3] == 2**31 - 1
    assert str(made.column("x").to_pylist()[2]) == "-0.0"  # the sign of a zero is kept
    assert made.column("yes").to_pylist() == [True, None, False, True]
    assert arrow_table({k: [] for k in columns}, schema).equals(schema.empty_table())


@pytest.mark.parametrize(("sql", "wrong"), [
    ("INTEGER", 1.5), ("INTEGER", 2**31), ("INTEGER", "3"), ("BIGINT", True),
    ("DOUBLE PRECISION", "1.5"), ("VARCHAR", 5), ("DATE", datetime(2025, 1, 1)),
    ("DATE", "2025-01-01"), ("BOOLEAN", 1), ("TIMESTAMP", date(2025, 1, 1))])
def test_a_value_of_another_type_is_refused(sql: str, wrong: Any) -> None:
    schema = arrow_schema([("c", sql)])
    with pytest.raises((TypeError, ValueError, OverflowError, pa.ArrowInvalid)):
        arrow_table({"c": [None, wrong]}, schema)


def test_columns_must_match_the_schema() -> None:
    schema = arrow_schema([("a", "VARCHAR"), ("b", "INTEGER")])
    with pytest.raises(ValueError, match="not the schema"):
        arrow_table({"a": ["x"]}, schema)
    with pytest.raises(ValueError, match="different lengths"):
        arrow_table({"a": ["x"], "b": [1, 2]}, schema)


def test_every_declared_type_is_built_without_pandas() -> None:
    program = (
        "import sys\nfrom datetime import date, datetime\n"
        "from jjis.store.arrow import SQL_TYPES, arrow_schema, arrow_table\n"
        "values = {'VARCHAR': 'a', 'INTEGER': 1, 'BIGINT': 2, 'DOUBLE PRECISION': 0.5,\n"
        "          'DATE': date(2025, 1, 1), 'BOOLEAN': True, 'TIMESTAMP': datetime(2025, 1, 1)}\n"
        "schema = arrow_schema([(f'c{i}', t) for i, t in enumerate(SQL_TYPES)])\n"
        "arrow_table({f'c{i}': [values[t], None] for i, t in enumerate(SQL_TYPES)}, schema)\n"
        "print('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
    assert set(SQL_TYPES) == set(VALUES)
