"""The server store: PostgreSQL through psycopg 3."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from jjis.errors import JjisError
from jjis.store.base import Store, masked

_DATE_PARTS = ("YEAR", "MONTH", "DAY")  # whole numbers of a date, whichever way read


def _days_apart(node: Any) -> bool:
    """EXTRACT(EPOCH FROM CAST(a AS TIMESTAMP) - CAST(b AS TIMESTAMP)): a count of days."""
    from sqlglot import exp

    arg = node.expression
    return (node.this.name.upper() == "EPOCH" and isinstance(arg, exp.Sub)
            and all(isinstance(side, exp.Cast) and side.to.is_type("timestamp")
                    for side in (arg.this, arg.expression)))


class PostgresStore(Store):
    engine = "postgres"

    def __init__(self, url: str, *, create: bool = False, read_only: bool = False) -> None:
        import psycopg

        self.url = url
        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise JjisError(masked(f"the PostgreSQL database at {url} cannot be reached ({exc}); "
                                   "check that the server runs and the URL is right")) from None
        # No JIT compilation of the queries' expressions: the indicators' queries are estimated
        # costly enough for it, and compiling their long expressions took 5 to 14 s per query
        # at 1M children, more than running them (docs/benchmarks.md, issue 13)
        self.con.execute("SET jit = off")
        self._in_tx = False
        if not create and not self.has_tables():
            raise JjisError(masked(f"the database {url} has no jjis tables; run "
                                   f"`jjis init --db {url}`"))

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.con.execute(*_bound(sql, params))

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(*_bound(sql, params)).fetchall()

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            marks = ", ".join("%s" for _ in columns)
            with self.con.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                [list(r) for r in rows])

    def index_exists(self, table: str, name: str) -> bool:
        return bool(self.fetchall("SELECT 1 FROM pg_indexes WHERE tablename = ? AND indexname = ? "
                                  "AND schemaname = current_schema()", [table, name]))

    def begin_snapshot(self) -> None:
        self.con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")

    def temp_table_as(self, name: str, select: str) -> None:
        """As every store's, then analysed: the planner knows nothing of a table just filled
        (it estimated the detention spells at 257 rows where 73,531 were, docs/benchmarks.md)."""
        super().temp_table_as(name, select)
        self.con.execute(f"ANALYZE {name}")

    def analyze(self, tables: Sequence[str]) -> None:
        for name in tables:
            self.con.execute(f"ANALYZE {name}")

    def hex32(self, digits: str) -> str:
        return f"CAST(CAST(('x' || {digits}) AS BIT(32)) AS BIGINT)"

    def tuned(self, sql: str) -> str:
        """`EXTRACT(YEAR|MONTH|DAY FROM d)` as `date_part('year', d)`: PostgreSQL's EXTRACT
        returns `numeric`, `date_part` a double, the same whole number for a date's year, month
        or day, and the ages (each made of six of them) cost 2.5 times less: a second and more
        at 1M children (docs/benchmarks.md). The same for the seconds between two days as
        the compiler writes a count of days (`EXTRACT(EPOCH FROM CAST(a AS TIMESTAMP) -
        CAST(b AS TIMESTAMP))`): whole multiples of 86,400, exact in a double. Nothing else of
        the statement changes (sqlglot reads and writes it back the same but for the case of
        the units)."""
        import sqlglot
        from sqlglot import exp

        def reword(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Extract) and (node.this.name.upper() in _DATE_PARTS
                                                  or _days_apart(node)):
                return exp.Anonymous(this="date_part", expressions=[
                    exp.Literal.string(node.this.name.lower()), node.expression])
            return node

        if "EXTRACT(" not in sql.upper():
            return sql
        return sqlglot.parse_one(sql, read="postgres").transform(reword).sql(dialect="postgres")

    def fetch_arrow(self, sql: str) -> pa.Table:
        cur = self.con.execute(sql)
        desc = cur.description or []
        rows = cur.fetchall()
        return pa.table({
            d.name: pa.array([r[i] if r[i] is None or d.type_code not in _AS else
                              _AS[d.type_code](r[i]) for r in rows],
                             PG_ARROW_TYPES.get(d.type_code, pa.string()))
            for i, d in enumerate(desc)
        })

    def begin(self) -> None:
        self.con.execute("BEGIN")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def stage(self, name: str, data: pa.Table, like: str | None = None) -> None:
        """COPY the Arrow table into a temporary table of the same column types (from its schema,
        or those of the table `like`)."""
        self.con.execute(f"DROP TABLE IF EXISTS {name}")
        if like:
            self.con.execute(f"CREATE TEMP TABLE {name} (LIKE {like})")
        else:
            cols = ", ".join(f"{f.name} {_pg_type(f.type)}" for f in data.schema)
            self.con.execute(f"CREATE TEMP TABLE {name} ({cols})")
        buf = io.BytesIO()
        pacsv.write_csv(data, buf, pacsv.WriteOptions(include_header=False))
        buf.seek(0)
        names = ", ".join(data.schema.names)
        with self.con.cursor() as cur, cur.copy(
            f"COPY {name} ({names}) FROM STDIN WITH (FORMAT csv)"
        ) as copy:
            while chunk := buf.read(1 << 20):
                copy.write(chunk)

    def ibis(self) -> Any:
        import ibis

        return ibis.postgres.from_connection(self.con)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.con.close()


# PostgreSQL type OIDs and the Arrow types their values are read into (others, as text).
UUID_OID = 2950
NUMERIC_OID = 1700  # e.g. a sum of BIGINT: read as float64
_AS: dict[int, Any] = {UUID_OID: str, NUMERIC_OID: float}  # values converted on the way
PG_ARROW_TYPES = {
    NUMERIC_OID: pa.float64(),
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int64(),
    23: pa.int64(),
    700: pa.float64(),
    701: pa.float64(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
}


def _pg_type(t: pa.DataType) -> str:
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_integer(t):
        return "BIGINT"
    if pa.types.is_floating(t):
        return "DOUBLE PRECISION"
    if pa.types.is_date(t):
        return "DATE"
    if pa.types.is_timestamp(t):
        return "TIMESTAMP"
    return "VARCHAR"


def pyformat(sql: str) -> str:
    """`sql` with its `?` parameters written as psycopg's `%s`: a `?` inside a quoted string, a
    quoted name or a comment is text and stays, and every `%` is doubled (psycopg reads `%`
    everywhere in a query that has parameters)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":  # a string or a quoted name, to its closing quote ('' and "" inside)
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", "%%"))
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        else:
            out.append("%s" if ch == "?" else "%%" if ch == "%" else ch)
            i += 1
    return "".join(out)


def _bound(sql: str, params: Sequence[Any] | None) -> tuple[str, list[Any] | None]:
    """The query and parameters as psycopg takes them (a query without parameters as written)."""
    if not params:
        return sql, None
    return pyformat(sql), list(params)
