"""Loading hand-built fixtures straight into the store's register tables (no import code).

`load(store, {"areas": [...], "detentions": [...]})` takes dicts per table (dates as ISO strings
or date objects, yes/no as True/False/None), types them as the schema declares and inserts them
the same way on DuckDB, PostgreSQL and a Spark warehouse (`Store.replace_rows`).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

import pyarrow as pa

from jjis.schema import TABLES
from jjis.store import Store
from jjis.store.ddl import SQL_TYPES

ARROW_TYPES = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BIGINT": pa.int64(),
               "BOOLEAN": pa.bool_(), "UUID": pa.string()}


def child(n: int | str) -> str:
    """A child_id as the store holds it: a 128-bit hash, as a UUID's text."""
    return str(uuid.UUID(hex=hashlib.sha256(f"child-{n}".encode()).hexdigest()[:32]))


def _value(kind: str, v: Any) -> Any:
    if v is None or v == "":
        return None
    if kind == "date" and isinstance(v, str):
        return date.fromisoformat(v)
    if kind == "child":  # a number or a label names a child; a UUID's text is one already
        try:
            return str(uuid.UUID(v)) if isinstance(v, str) else child(v)
        except ValueError:
            return child(v)
    return v


def arrow_table(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    t = TABLES[table]
    unknown = {k for r in rows for k in r} - set(t.column_names)
    if unknown:
        raise ValueError(f"{table} has no column(s) {sorted(unknown)}")
    cols = {}
    for c in t.columns:
        typ = ARROW_TYPES[SQL_TYPES[c.kind]]
        cols[c.name] = pa.array([_value(c.kind, r.get(c.name)) for r in rows], type=typ)
    return pa.table(cols)


def load(store: Store, tables: dict[str, list[dict[str, Any]]]) -> None:
    for name, rows in tables.items():
        if not rows:
            continue
        data = arrow_table(name, rows)
        stage = f"stage_{name}"
        store.stage(stage, data, like=name)
        store.replace_rows(name, stage, data.schema.names)
        store.execute(f"DROP TABLE {stage}")



# A small country used by many tests: BJ with two regions, one with two districts.
AREAS = [
    {"area_id": "BJ", "name": "Country", "parent_id": None, "level": "country"},
    {"area_id": "BJ-N", "name": "North", "parent_id": "BJ", "level": "region"},
    {"area_id": "BJ-S", "name": "South", "parent_id": "BJ", "level": "region"},
    {"area_id": "BJ-N1", "name": "North 1", "parent_id": "BJ-N", "level": "district"},
    {"area_id": "BJ-N2", "name": "North 2", "parent_id": "BJ-N", "level": "district"},
]

FACILITIES = [
    {"facility_id": "PS1", "name": "Police N1", "area_id": "BJ-N1", "kind": "police_station"},
    {"facility_id": "LK1", "name": "Lock-up N1", "area_id": "BJ-N1", "kind": "police_lockup"},
    {"facility_id": "RC2", "name": "Remand N2", "area_id": "BJ-N2", "kind": "remand_centre"},
    {"facility_id": "JD3", "name": "Juvenile S", "area_id": "BJ-S", "kind": "juvenile_detention"},
    {"facility_id": "CT1", "name": "Court N1", "area_id": "BJ-N1", "kind": "court"},
    {"facility_id": "CT3", "name": "Court S", "area_id": "BJ-S", "kind": "court"},
]


def population(per_age: dict[str, int], year: int = 2025, ages: range = range(0, 18)
               ) -> list[dict[str, Any]]:
    """Population rows: `per_age[area]` persons of each sex at each age."""
    return [{"area_id": a, "year": year, "sex": s, "age": age, "population": n}
            for a, n in per_age.items() for s in ("f", "m") for age in ages]


def country(**tables: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The small country plus the given tables; population 100 per sex and age in each district
    and in BJ-S by default (so 3,600 children in each of them)."""
    base: dict[str, list[dict[str, Any]]] = {
        "areas": AREAS,
        "facilities": FACILITIES,
        "population": population({"BJ-N1": 100, "BJ-N2": 100, "BJ-S": 100}),
    }
    base.update(tables)
    return base


def stay(stay_id: str, child_no: int, facility: str, admitted: str, released: str | None = None,
         reason: str | None = None, *, status: str = "pre_sentence", sentenced: str | None = None,
         dob: str | None = "2010-06-01", sex: str = "f", **more: Any) -> dict[str, Any]:
    """A detentions row."""
    return {"stay_id": stay_id, "child_id": child_no, "sex": sex, "date_of_birth": dob,
            "facility_id": facility, "admission_date": admitted, "status_at_admission": status,
            "sentence_date": sentenced, "release_date": released, "release_reason": reason, **more}


def arrest(arrest_id: str, child_no: int, day: str, *, facility: str = "PS1",
           dob: str | None = "2010-06-01", sex: str = "f", **more: Any) -> dict[str, Any]:
    return {"arrest_id": arrest_id, "child_id": child_no, "sex": sex, "date_of_birth": dob,
            "arrest_date": day, "facility_id": facility, **more}


def decision(decision_id: str, child_no: int, day: str, kind: str, *, facility: str = "CT1",
             dob: str | None = "2010-06-01", sex: str = "f", **more: Any) -> dict[str, Any]:
    return {"decision_id": decision_id, "child_id": child_no, "sex": sex, "date_of_birth": dob,
            "decision_date": day, "facility_id": facility, "kind": kind, **more}


def run(store: Store, tables: dict[str, list[dict[str, Any]]], census: str = "2025-12-31",
        *, by: tuple[str, ...] = (), area: str | None = None,
        config: dict[str, Any] | None = None) -> Results:
    from jjis.indicators.engine import compute
    from jjis.settings import Config

    load(store, tables)
    result = compute(store, Config(config or {}), date.fromisoformat(census), area=area, by=by)
    return Results(result)


class Results:
    """Figures of a run, looked up by indicator, statistic, area and breakdown."""

    def __init__(self, result: Any) -> None:
        self.result = result
        self.figures = {(f.indicator, f.statistic, f.area, f.breakdown_json): f
                        for f in result.figures}

    def __call__(self, indicator: int, statistic: str, area: str = "BJ", **breakdown: str) -> Any:
        import json

        key = json.dumps(breakdown, sort_keys=True, separators=(",", ":"))
        return self.figures[(indicator, statistic, area, key)]

    def value(self, indicator: int, statistic: str, area: str = "BJ", **breakdown: str) -> Any:
        f = self(indicator, statistic, area, **breakdown)
        return f.answer if f.unit == "answer" else f.value
