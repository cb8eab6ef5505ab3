"""Time and peak memory of computing every indicator, with every single breakdown, for every
area, on synthetic countries — on each engine named, with its time as a multiple of DuckDB's
in the same run.

    .venv/bin/python benchmarks/compute.py [--children 100000 1000000]
        [--engines duckdb postgres spark] [--repeat 2]

An engine is reached through the URL `open_store` takes (ENGINES below: a DuckDB file, a fresh
PostgreSQL database, `spark://local?warehouse=DIR`); an engine this installation cannot open is
reported and skipped. Each measurement runs in its own process (its max RSS is its own); with
--repeat the same database is computed again, the best time kept (the first run of a census date
compiles its SQL plan, later ones read it from the cache: both are printed). The import is not
timed here (benchmarks/import.py measures it). Target (issue 3): 1M children in under 10 s on DuckDB on a
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


def _pg_database(work: Path, n: int) -> str:
    import psycopg

    name = f"jjis_bench_{n}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}")
    return f"{SERVER}/{name}"


def _pg_drop(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {db.rsplit('/', 1)[1]} WITH (FORCE)")


def _files_drop(path: Path) -> None:
    import shutil

    for p in path.parent.glob(path.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


# engine -> (a fresh database's URL for n children under `work`, how to remove it)
ENGINES = {
    "duckdb": (lambda work, n: str(work / f"compute-{n}.duckdb"),
               lambda db: _files_drop(Path(db))),
    "postgres": (_pg_database, _pg_drop),
    "spark": (lambda work, n: f"spark://local?warehouse={work / f'spark-{n}'}",
              lambda db: _files_drop(Path(db.split("warehouse=", 1)[1]))),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--engines", nargs="+", default=["duckdb", "postgres"], choices=ENGINES)
    ap.add_argument("--repeat", type=int, default=1, help="computations of each database")
    ap.add_argument("--work", type=Path, default=Path("/tmp/jjis-bench"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    plans = args.work / f"plans-{secrets.token_hex(4)}"  # fresh: each database's first run compiles
    env = {**os.environ, "JJIS_SECRET": secrets.token_hex(32), "JJIS_PLAN_CACHE": str(plans)}
    print(f"{'engine':>8} {'children':>10} {'areas':>6} {'figures':>8} {'seconds':>8} "
          f"{'s per 100k':>10} {'× duckdb':>8} {'peak MB':>8}   (load, every run)")
    from jjis.synth import synthesise

    for n in args.children:
        folder = args.work / f"country-{n}"
        if not (folder / "detentions.csv").exists():
            synthesise(folder, children=n, seed=1, end_date=END)
        duck: float | None = None
        for engine in args.engines:
            make, remove = ENGINES[engine]
            try:
                db = make(args.work, n)
                remove(db) if engine != "postgres" else None
                t = time.perf_counter()
                run(LOAD, str(folder), db, env=env)
            except (SystemExit, ImportError, OSError) as exc:
                print(f"{engine:>8} {n:>10,}   not measured: {str(exc).strip().splitlines()[-1:]}")
                continue
            loaded = time.perf_counter() - t
            runs = [json.loads(run(COMPUTE, db, END.isoformat(), ",".join(BY), env=env))
                    for _ in range(max(1, args.repeat))]
            r = min(runs, key=lambda x: x["seconds"])
            if engine == "duckdb":
                duck = r["seconds"]
            times = ", ".join(f"{x['seconds']:.2f}" for x in runs)
            ratio = f"{r['seconds'] / duck:.1f}" if duck else "–"
            print(f"{engine:>8} {n:>10,} {r['areas']:>6} {r['figures']:>8,} {r['seconds']:>8.2f} "
                  f"{r['seconds'] / n * 100_000:>10.2f} {ratio:>8} {r['max_rss_mb']:>8.0f}"
                  f"   (load {loaded:.0f} s; {times})", flush=True)
            remove(db)

if __name__ == "__main__":
    main()
