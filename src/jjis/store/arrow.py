"""Arrow tables made from Python columns, without pandas.

pyarrow's own constructors (`pa.table`, `pa.array`) import pandas on their first call to ask
whether the values are a pandas object: a quarter of a second for a command (the import, and its
teardown at exit) that nothing else needs pandas for. The columns are built here from Arrow
buffers instead: numbers through numpy (which pyarrow itself imports), text, dates and yes/no as
the codes of their distinct values, taken from a small array of those values. The same values
and types as `pa.table(columns, schema=schema)` (tests/test_store_arrow.py compares the two);
a value not of its column's type is refused, as pyarrow refuses it. A type not handled here goes
through pyarrow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import repeat
from operator import is_not
from typing import Any

import numpy as np
import pyarrow as pa
from pyarrow.lib import StringBuilder

# the Arrow type of each SQL type the tables are declared with (store/ddl.py)
SQL_TYPES = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
             "DOUBLE PRECISION": pa.float64(), "DATE": pa.date32(), "BOOLEAN": pa.bool_(),
             "TIMESTAMP": pa.timestamp("us")}

_EPOCH = date(1970, 1, 1)
_EPOCH_TIME = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def arrow_schema(columns: Sequence[tuple[str, str]]) -> pa.Schema:
    """The Arrow schema of declared columns, (name, SQL type) pairs (store/ddl.py)."""
    return pa.schema([(name, SQL_TYPES[sql]) for name, sql in columns])


def arrow_table(columns: Mapping[str, Sequence[Any]], schema: pa.Schema) -> pa.Table:
    """The table of `schema` whose columns are the lists `columns` (one per field of the
    schema, all of one length; None is null)."""
    names = schema.names
    if set(columns) != set(names):
        raise ValueError(f"columns {sorted(columns)} are not the schema's {sorted(names)}")
    lengths = {len(columns[n]) for n in names}
    if len(lengths) > 1:
        raise ValueError(f"the columns have different lengths: {sorted(lengths)}")
    if not names:
        return schema.empty_table()
    return pa.Table.from_arrays([arrow_array(columns[f.name], f.type) for f in schema],
                                schema=schema)


def arrow_array(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    """The Arrow array of `kind` holding `values` (None: null)."""
    if kind == pa.float64():
        return _numbers(values, kind, (int, float), np.float64, 0.0)
    if kind in (pa.int64(), pa.int32()):
        made = _numbers(values, pa.int64(), (int,), np.int64, 0)
        return made if kind == pa.int64() else made.cast(kind)  # refuses what int32 cannot hold
    if kind in _DISTINCT:
        return _by_codes(values, kind)
    return pa.array(list(values), kind)  # any other type: pyarrow's own conversion


def _validity(values: Sequence[Any]) -> tuple[Any, int]:
    valid = np.fromiter(map(is_not, values, repeat(None)), dtype=np.bool_, count=len(values))
    nulls = len(values) - int(valid.sum())
    return (pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None), nulls


def _numbers(values: Sequence[Any], kind: pa.DataType, allowed: tuple[type, ...], dtype: Any,
             zero: Any) -> pa.Array:
    for found in set(map(type, values)) - {type(None)}:
        if not issubclass(found, allowed) or issubclass(found, bool):
            wrong = next(v for v in values if type(v) is found)
            raise TypeError(f"{wrong!r} is not a value of an Arrow {kind} column")
    validity, nulls = _validity(values)
    data = np.fromiter(values if not nulls else (zero if v is None else v for v in values),
                       dtype=dtype, count=len(values))
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)],
                                 null_count=nulls)


def _strings(values: list[Any]) -> pa.Array:
    builder = StringBuilder()
    builder.append_values(values)
    return builder.finish()


def _dates(values: list[Any]) -> pa.Array:
    validity, nulls = _validity(values)
    days = np.fromiter((0 if v is None else (v - _EPOCH).days for v in values), dtype=np.int32,
                       count=len(values))
    return pa.Array.from_buffers(pa.date32(), len(values), [validity, pa.py_buffer(days)],
                                 null_count=nulls)


def _times(values: list[Any]) -> pa.Array:
    validity, nulls = _validity(values)
    micro = np.fromiter((0 if v is None else (v - _EPOCH_TIME) // _MICROSECOND for v in values),
                        dtype=np.int64, count=len(values))
    return pa.Array.from_buffers(pa.timestamp("us"), len(values), [validity, pa.py_buffer(micro)],
                                 null_count=nulls)


def _yesno(values: list[Any]) -> pa.Array:
    validity, nulls = _validity(values)
    bits = np.packbits(np.fromiter((bool(v) for v in values), dtype=np.bool_,
                                   count=len(values)), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, pa.py_buffer(bits)],
                                 null_count=nulls)


def _is_date(v: Any) -> bool:
    return isinstance(v, date) and not isinstance(v, datetime)


def _is_time(v: Any) -> bool:
    return isinstance(v, datetime) and v.tzinfo is None


# the types whose columns repeat a few values (the run, the statistic, the dates, the notes):
# each is built from its distinct values and their codes; the test each distinct value passes
_DISTINCT = {pa.string(): (_strings, lambda v: isinstance(v, str)),
             pa.date32(): (_dates, _is_date),
             pa.bool_(): (_yesno, lambda v: isinstance(v, bool)),
             pa.timestamp("us"): (_times, _is_time)}


def _by_codes(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    build, valid = _DISTINCT[kind]
    distinct = list(dict.fromkeys(values))
    code = {v: i for i, v in enumerate(distinct)}
    codes = np.fromiter(map(code.__getitem__, values), dtype=np.int32, count=len(values))
    wrong = next((v for v in distinct if v is not None and not valid(v)), None)
    if wrong is not None:
        raise TypeError(f"{wrong!r} is not a value of an Arrow {kind} column")
    return build(distinct).take(_indices(codes))


def _indices(codes: Any) -> pa.Array:
    return pa.Array.from_buffers(pa.int32(), len(codes), [None, pa.py_buffer(codes)])
