"""A database as a Parquet warehouse (`jjis export parquet`), and several countries' warehouses
collated into one regional warehouse (`jjis collate`) that Spark computes on.

Export copies every register and the system tables (import log, quarantine, findings, key check,
arrivals, runs) into a new warehouse: further imports into it need the database's own key.

Collation prefixes every identifier of a country with its code and a colon (`XA:` + area,
facility and record ids), so that two countries' `N1` or `stay-7` stay apart; each child's
pseudonym is replaced by a pseudonym of the pair (country code, pseudonym), so that two
countries' children never share one, while a country's child keeps one pseudonym across its
registers. The countries' top areas are placed under one region area. Policy answers are a
country's own laws and practice, not collated: the regional warehouse has none.

Both write into a new folder beside the target and rename it into place when complete.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from jjis.errors import JjisError
from jjis.schema import TABLES, Table
from jjis.store import archive, versions
from jjis.store.base import Store
from jjis.store.ddl import META_TABLE, SQL_TYPES
from jjis.store.spark import SYSTEM_FILE, SparkStore

NOT_COLLATED = ("policy",)
PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,15}$")


def warehouse_url(folder: Path) -> str:
    return f"spark://local?warehouse={folder}"


def _writing(out: Path, fill: Callable[[SparkStore], dict[str, int]]) -> dict[str, int]:
    """Fill a new warehouse in a folder beside `out`, then rename it to `out`."""
    out = out.expanduser().absolute()
    if out.exists() and any(out.iterdir()):
        raise JjisError(f"{out} already exists and is not empty; name a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.writing-{secrets.token_hex(4)}"
    try:
        target = SparkStore(warehouse_url(tmp), create=True)
        try:
            versions.create(target)  # the declared tables and the schema version
            counts = fill(target)
        finally:
            target.close()
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    SparkStore(warehouse_url(out)).close()  # the views of its system file, at their new place
    return counts


def export(store: Store, out: Path) -> dict[str, int]:
    """Write `store` as a warehouse at `out`; the rows written per register."""
    def fill(target: SparkStore) -> dict[str, int]:
        counts = {}
        for name in TABLES:
            data = archive.read(store, name, archive.columns(store, name))
            target.stage("export_rows", data)
            target.replace_rows(name, "export_rows", list(data.schema.names))
            target.execute("DROP TABLE export_rows")
            counts[name] = data.num_rows
        present = set(archive.tables(store))
        for name in archive.tables(target):
            if name in present and name not in ("warehouse_writes", META_TABLE):  # its own
                archive.load(target, name, archive.read(store, name, archive.columns(store, name)))
        return counts

    return _writing(out, fill)


def _country_sql(table: Table, prefix: str, folder: Path, region: str) -> str:
    """The country's rows of `table`, its identifiers prefixed, as Parquet gives them."""
    p = prefix.replace("'", "''")
    cols = []
    for c in table.columns:
        if c.kind == "child":
            cols.append(f"CAST(CAST(sha256('{p}:' || CAST({c.name} AS VARCHAR))[1:32] AS UUID) "
                        f"AS VARCHAR) AS {c.name}")
        elif c.kind == "text" and (c.name in table.key or c.references):
            if table.name == "areas" and c.name == "parent_id":
                cols.append(f"coalesce('{p}:' || {c.name}, '{region}') AS {c.name}")
            else:
                cols.append(f"'{p}:' || {c.name} AS {c.name}")
        else:
            cols.append(c.name)
    glob = str(folder / table.name / "*.parquet").replace("'", "''")
    return f"SELECT {', '.join(cols)} FROM read_parquet('{glob}')"


def collate(out: Path, countries: dict[str, Path], region: str, region_name: str) -> dict[str, int]:
    """One warehouse at `out` with every country's registers, under the area `region`."""
    if len(countries) < 1:
        raise JjisError("name at least one country: CODE=WAREHOUSE_FOLDER")
    for code, folder in countries.items():
        if not PREFIX.match(code):
            raise JjisError(f"the country code {code!r} must be a letter then up to 15 letters, "
                            "digits, - or _")
        if not (folder / SYSTEM_FILE).exists() or not (folder / "areas").is_dir():
            raise JjisError(f"{folder} is not a jjis warehouse (no {SYSTEM_FILE} and register "
                            "folders); make one with `jjis export parquet --out`")
    if region in countries:
        raise JjisError(f"the region {region!r} has the code of one of its countries")
    region_sql = region.replace("'", "''")

    def fill(target: SparkStore) -> dict[str, int]:
        counts = {}
        for name, table in TABLES.items():
            if name in NOT_COLLATED:
                counts[name] = 0
                continue
            parts = [_country_sql(table, code, folder.absolute(), region_sql)
                     for code, folder in countries.items()]
            if name == "areas":
                parts.append("SELECT " + ", ".join(
                    {"area_id": f"'{region_sql}'", "name": f"'{region_name.replace(chr(39), chr(39) * 2)}'",
                     "parent_id": "NULL", "level": "'region'"}.get(
                        c.name, f"CAST(NULL AS {SQL_TYPES[c.kind]})") + f" AS {c.name}"
                    for c in table.columns))
            target.execute("CREATE OR REPLACE TEMP VIEW collated AS " + " UNION ALL ".join(parts))
            target.replace_rows(name, "collated", list(table.column_names))
            counts[name] = int(target.fetchall("SELECT count(*) FROM collated")[0][0])
            target.execute("DROP VIEW collated")
        return counts

    return _writing(out, fill)
