"""Ibis on a store: the indicators' side of the engine seam, with nothing engine-specific here.

Every indicator is an Ibis expression. A run reads through one `Runner`: each statement it needs
(the areas, the detention spells, each query, the returns, the population, the policy answers) is
named, compiled once to SQL in the dialect the engine is registered with (`store.url.ENGINES`)
and kept in the run's *plan* (name -> SQL, the result's column types, the small constant tables
it reads); the SQL runs on the store's query engine (`Store.query_engine()`: the store's own
connection, Spark for a Spark warehouse). A plan read from the cache (indicators/plans.py) has
every statement already: nothing is built or compiled, and no Ibis connection is made. A
statement the plan lacks is built and compiled then, and added to it.

What a plan never holds is data: the area closure is a temporary table made from the areas read
in this run (`provide`), the detention spells a temporary table made by their statement, and the
constant tables (Ibis memtables: the list of breakdowns) are kept as their rows.

`Runner(store, mode="ibis")` runs the expressions through Ibis itself, as before plans existed
(tests compare the two). What differs between engines is in store/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jjis.store import Store
from jjis.store.arrow import arrow_table
from jjis.store.url import DEFAULT_ENGINE, ENGINES

TEMP = "jjis_tmp_"  # the prefix of a run's temporary tables

Build = Callable[[], Any]  # builds the Ibis expression of a statement (called on a miss only)


def dialect_of(engine: str) -> str:
    return ENGINES.get(engine, ENGINES[DEFAULT_ENGINE]).dialect


def connect(store: Store) -> Any:
    """An Ibis backend on the store's own connection (so it sees the same data)."""
    return store.ibis()


def rows(con: Any, expr: Any) -> list[dict[str, Any]]:
    """Run `expr` on an Ibis backend and return its rows as dicts."""
    return list(con.to_pyarrow(expr).to_pylist())


def temp_table(con: Any, name: str, expr: Any) -> Any:
    """Compute `expr` once into a temporary table of this connection (dropped with it; the
    store itself is not written); where the backend has no temporary tables (Spark), a cached
    view of it, held as long as the expression is."""
    try:
        return con.create_table(f"{TEMP}{name}", expr, temp=True, overwrite=True)
    except NotImplementedError:
        return expr.cache()


def to_sql(expr: Any, engine: str) -> str:
    """The expression's SQL in the engine's dialect, one line (as a plan keeps it)."""
    import ibis

    return str(ibis.to_sql(expr, dialect=dialect_of(engine), pretty=False))


def _arrow_type(text: str) -> Any:
    import pyarrow as pa

    if text.startswith("date32"):
        return pa.date32()
    if text.startswith("timestamp"):
        return pa.timestamp("us")
    return pa.type_for_alias(text)


def _schema(columns: list[list[str]]) -> Any:
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(typ)) for name, typ in columns])


def _table(columns: list[list[str]], data: dict[str, list[Any]]) -> Any:
    return arrow_table(data, _schema(columns))


class Runner:
    """The statements of one run, run on the store's query engine from the plan (compiled on a
    miss); `plan` is the dict kept by the cache (indicators/plans.py), grown in place."""

    def __init__(self, store: Store, plan: dict[str, Any] | None = None, *,
                 mode: str = "sql") -> None:
        self.store = store
        self.plan: dict[str, Any] = {} if plan is None else plan
        self.mode = mode  # "sql": compiled SQL on the query engine; "ibis": Ibis runs it
        self.compiled: list[str] = []  # statements compiled in this run (not from the plan)
        self._ibis: Any = None
        self._engine: Any = None
        self._made: set[str] = set()
        self._provided: dict[str, Any] = {}  # temporary table -> its rows (pyarrow), this run's
        self._temps: dict[str, tuple[str, Build]] = {}  # temporary table -> (statement, build)
        self._refs: dict[str, Any] = {}  # Ibis mode: temporary table -> its Ibis table

    # -- the Ibis side, used only to build what the plan lacks -------------------------------
    @property
    def ibis(self) -> Any:
        if self._ibis is None:
            self._ibis = self.store.ibis()
        return self._ibis

    def table(self, name: str) -> Any:
        """A register as an Ibis table (what `Sources.table` asks of its connection)."""
        return self.ibis.table(name)

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = self.store.query_engine()
        return self._engine

    # -- the run's temporary tables ----------------------------------------------------------
    def provide(self, name: str, data: Any) -> None:
        """Rows of this run (a pyarrow table) that statements read as the table `TEMP + name`."""
        self._provided[TEMP + name] = data

    def temp(self, name: str, build: Build) -> None:
        """The statement `name`, which statements read as the temporary table `TEMP + name`,
        made once on first use."""
        self._temps[TEMP + name] = (name, build)

    def ref(self, name: str) -> Any:
        """The Ibis table of a temporary table (provided or made by `temp`), to build on."""
        import ibis

        table = TEMP + name
        if self.mode == "ibis":
            if table not in self._refs:
                if table in self._provided:
                    self._refs[table] = ibis.memtable(self._provided[table])
                else:
                    self._refs[table] = temp_table(self.ibis, name, self._temps[table][1]())
            return self._refs[table]
        if table in self._provided:
            return ibis.table(ibis.Schema.from_pyarrow(self._provided[table].schema), name=table)
        statement = self._statement(*self._temps[table])
        return ibis.table(ibis.Schema.from_pyarrow(_schema(statement["schema"])), name=table)

    # -- statements ----------------------------------------------------------------------------
    def _statement(self, name: str, build: Build) -> dict[str, Any]:
        found = self.plan.get(name)
        if found is None:
            found = self.plan[name] = self.compile(build())
            self.compiled.append(name)
        return dict(found)

    def compile(self, expr: Any) -> dict[str, Any]:
        """A statement of the plan: its SQL, the types of its columns, the temporary tables it
        reads and the rows of the constant tables it reads."""
        import ibis.expr.operations as ops

        memtables = {}
        for op in expr.op().find(ops.InMemoryTable):
            data = op.data.to_pyarrow(op.schema)
            memtables[op.name] = {"schema": [[f.name, str(f.type)] for f in data.schema],
                                  "rows": data.to_pydict()}
        reads = sorted({op.name for op in expr.op().find(ops.UnboundTable)
                        if op.name.startswith(TEMP)})
        schema = expr.schema().to_pyarrow()
        return {"sql": self.store.tuned(to_sql(expr, self.store.engine)),
                "schema": [[f.name, str(f.type)] for f in schema],
                "reads": reads, "memtables": memtables}

    def _ready(self, statement: dict[str, Any]) -> None:
        """Make the temporary tables `statement` reads, where this run has not yet."""
        for name, table in statement["memtables"].items():
            if name not in self._made:
                self.engine.temp(name, _table(table["schema"], table["rows"]))
                self._made.add(name)
        for name in statement["reads"]:
            if name in self._made:
                continue
            if name in self._provided:
                self.engine.temp(name, self._provided[name])
            else:
                made = self._statement(*self._temps[name])
                self._ready(made)
                self.engine.temp_as(name, made["sql"])
            self._made.add(name)

    def arrow(self, name: str, build: Build) -> Any:
        """The result of the statement `name` (a pyarrow table of its declared column types)."""
        if self.mode == "ibis":
            return self.ibis.to_pyarrow(build())
        statement = self._statement(name, build)
        self._ready(statement)
        return self.engine.rows(statement["sql"]).cast(_schema(statement["schema"]))

    def rows(self, name: str, build: Build) -> list[dict[str, Any]]:
        """The rows of the statement `name`, as dicts."""
        return list(self.arrow(name, build).to_pylist())


def run_rows(con: Any, name: str, build: Build) -> list[dict[str, Any]]:
    """The rows of a named statement: through the run's `Runner` (from its plan), or, given a
    plain Ibis backend, by running the expression on it."""
    if isinstance(con, Runner):
        return con.rows(name, build)
    return rows(con, build())
