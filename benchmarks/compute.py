"""Time and peak memory of computing every indicator, with every single breakdown, for every
area, on synthetic countries — on DuckDB and on PostgreSQL.

    .venv/bin/python benchmarks/compute.py [--children 100000 1000000] [--engines duckdb postgres spark]

Each measurement runs in its own process (its max RSS is its own). The import is not timed here
(benchmarks/import.py measures it). Target (issue 3): 1M children in under 10 s on DuckDB on a
2-core machine, cost growing no faster than linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

END = date(2025, 12, 31)
BY = ("sex", "age_group", "offence", "facility_kind", "legal_status")
SERVER = "postgresql://postgres@127.0.0.1:5432"

LOAD = """
import sys
from jjis.api import import_registers, init_database
from jjis.settings import Config
from jjis.store import open_store
init_database(sys.argv[2])
with open_store(sys.argv[2]) as store:
    assert import_registers(store, [sys.argv[1]], Config()).exit_code == 0
"""

COMPUTE = """
import json, resource, sys, time
from datetime import date
from jjis.indicators import compute
from jjis.settings import Config
from jjis.store import open_store
store = open_store(sys.argv[1])
t = time.perf_counter()
result = compute(store, Config(), date.fromisoformat(sys.argv[2]), by=sys.argv[3].split(","))
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "figures": len(result.figures),
                  "areas": len({f.area for f in result.figures}),
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, check=False)
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def database(engine: str, work: Path, n: int) -> str:
    if engine == "duckdb":
        return str(work / f"compute-{n}.duckdb")
    if engine == "spark":  # a Parquet warehouse, Spark in local mode on every core
        return f"spark://local?warehouse={work / f'compute-{n}-warehouse'}"
    import psycopg

    name = f"jjis_bench_{n}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}")
    return f"{SERVER}/{name}"


def drop(engine: str, db: str) -> None:
    if engine == "spark":
        import shutil

        shutil.rmtree(db.split("warehouse=", 1)[1], ignore_errors=True)
        return
    if engine == "duckdb":
        for p in Path(db).parent.glob(Path(db).stem + ".*"):
            p.unlink()
        return
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {db.rsplit('/', 1)[1]} WITH (FORCE)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--engines", nargs="+", default=["duckdb", "postgres"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/jjis-bench"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "JJIS_SECRET": secrets.token_hex(32)}
    print(f"{'engine':>8} {'children':>10} {'areas':>6} {'figures':>8} {'seconds':>8} "
          f"{'s per 100k':>10} {'peak MB':>8} {'x duckdb':>8}")
    from jjis.synth import synthesise

    duck: dict[int, float] = {}  # DuckDB's seconds per size, for the ratio (run it first)

    for n in args.children:
        folder = args.work / f"country-{n}"
        if not (folder / "detentions.csv").exists():
            synthesise(folder, children=n, seed=1, end_date=END)
        for engine in args.engines:
            db = database(engine, args.work, n)
            drop(engine, db) if engine in ("duckdb", "spark") else None
            t = time.perf_counter()
            run(LOAD, str(folder), db, env=env)
            loaded = time.perf_counter() - t
            r = json.loads(run(COMPUTE, db, END.isoformat(), ",".join(BY), env=env))
            print(f"{engine:>8} {n:>10,} {r['areas']:>6} {r['figures']:>8,} {r['seconds']:>8.2f} "
                  f"{r['seconds'] / n * 100_000:>10.2f} {r['max_rss_mb']:>8.0f} "
                  f"{r['seconds'] / duck.get(n, r['seconds']):>8.2f}   (load {loaded:.0f} s)")
            if engine == "duckdb":
                duck[n] = r["seconds"]
            drop(engine, db)


if __name__ == "__main__":
    main()
