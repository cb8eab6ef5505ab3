"""Time and peak memory of computing every indicator, with every single breakdown, for every
area, on synthetic countries — on each engine named, with its time as a multiple of DuckDB's
in the same run.

    .venv/bin/python benchmarks/compute.py [--children 100000 1000000]
        [--engines duckdb postgres spark] [--repeat 2]

An engine is reached through the URL `open_store` takes (ENGINES below: a DuckDB file, a fresh
PostgreSQL database, `spark://local?warehouse=DIR`); an engine this installation cannot open is
reported (and the run fails at its end). DuckDB always runs first: every other engine's figures
are compared with its, figure by figure (FIELDS), and the run fails loudly, listing the first
differences, when one differs. Each measurement runs in its own process (its max RSS is its own); with
--repeat the same database is computed again, the best time kept (the first run of a census date
compiles its SQL plan, later ones read it from the cache: both are printed). Peak MB is the
Python process's maximum resident memory; for Spark, JVM MB is the driver JVM's (local mode:
the whole of Spark), its VmHWM read from /proc. Spark gets `--spark-memory` (8g) as its
driver's memory and `WORK/spark-tmp` for its spills. The import is not
timed here (benchmarks/import.py measures it). Target (issue 3): 1M children in under 10 s on DuckDB on a
2-core machine, cost growing no faster than linearly.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

END = date(2025, 12, 31)
BY = ("sex", "age_group", "offence", "facility_kind", "legal_status")
SERVER = "postgresql://postgres@127.0.0.1:5432"
# what each figure is compared on, engine against DuckDB (everything compute() works out)
FIELDS = ("unit", "period_start", "period_end", "numerator", "denominator", "value", "answer",
          "unknown", "over_age", "unknown_age", "events", "note")

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
jvm_mb = None
if store.engine == "spark":  # the JVM's peak resident memory (VmHWM), read from /proc
    pid = store.spark()._jvm.java.lang.ProcessHandle.current().pid()
    with open(f"/proc/{pid}/status") as fh:
        jvm_mb = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
with open(sys.argv[4], "w") as fh:  # every figure, for the comparison with DuckDB's
    json.dump([[f.indicator, f.statistic, f.area, f.breakdown_json,
                *(getattr(f, k) for k in sys.argv[5].split(","))] for f in result.figures],
              fh, default=str)
print(json.dumps({"seconds": seconds, "figures": len(result.figures),
                  "areas": len({f.area for f in result.figures}),
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "jvm_mb": jvm_mb}))
"""


def run(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, check=False)
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def _pg_database(work: Path, n: int) -> str:
    import psycopg

    name = f"jjis_bench_{n}_{secrets.token_hex(3)}"  # helpers may run beside each other
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


def _spark_url(work: Path, n: int, memory: str) -> str:
    """A warehouse under `work`; the driver's memory (local mode: the driver does all the work)
    and Spark's scratch folder (its spills) under `work` too, not /tmp's default."""
    (work / "spark-tmp").mkdir(exist_ok=True)
    return (f"spark://local?warehouse={work / f'spark-{n}'}&spark.driver.memory={memory}"
            f"&spark.local.dir={work / 'spark-tmp'}")


# engine -> (a fresh database's URL for n children under `work`, how to remove it)
ENGINES = {
    "duckdb": (lambda work, n: str(work / f"compute-{n}.duckdb"),
               lambda db: _files_drop(Path(db))),
    "postgres": (_pg_database, _pg_drop),
    "spark": (_spark_url, lambda db: _files_drop(Path(db.split("warehouse=", 1)[1].split("&")[0]))),
}


def differences(mine: Path, duck: Path) -> list[str]:
    """Every figure that is not the same as DuckDB's (missing, extra, or another value): the
    same figures, field by field (FIELDS), exactly; a float may differ in its last bits only
    (rel. 1e-9: sums added in another order)."""
    def load(path: Path) -> dict[tuple[Any, ...], list[Any]]:
        return {tuple(row[:4]): row[4:] for row in json.loads(path.read_text())}

    a, b = load(mine), load(duck)
    out = [f"only here: {k}" for k in sorted(a.keys() - b.keys(), key=str)]
    out += [f"only on duckdb: {k}" for k in sorted(b.keys() - a.keys(), key=str)]
    for key in sorted(a.keys() & b.keys(), key=str):
        for name, x, y in zip(FIELDS, a[key], b[key], strict=True):
            same = (math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
                    if isinstance(x, float) and isinstance(y, (int, float)) else x == y)
            if not same:
                out.append(f"{key} {name}: {x!r}, duckdb {y!r}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--engines", nargs="+", default=["duckdb", "postgres"], choices=ENGINES)
    ap.add_argument("--repeat", type=int, default=1, help="computations of each database")
    ap.add_argument("--work", type=Path, default=Path("/tmp/jjis-bench"))
    ap.add_argument("--spark-memory", default="8g", help="the Spark driver's memory (local mode)")
    args = ap.parse_args()
    engines = list(dict.fromkeys(["duckdb", *args.engines]))  # DuckDB's figures: the reference
    args.work.mkdir(parents=True, exist_ok=True)
    plans = args.work / f"plans-{secrets.token_hex(4)}"  # fresh: each database's first run compiles
    env = {**os.environ, "JJIS_SECRET": secrets.token_hex(32), "JJIS_PLAN_CACHE": str(plans)}
    print(f"{'engine':>8} {'children':>10} {'areas':>6} {'figures':>8} {'seconds':>8} "
          f"{'s per 100k':>10} {'× duckdb':>8} {'peak MB':>8} {'JVM MB':>7}   "
          "(load, every run; figures against DuckDB's)")
    from jjis.synth import synthesise

    failed = []
    for n in args.children:
        folder = args.work / f"country-{n}"
        if not (folder / "detentions.csv").exists():
            synthesise(folder, children=n, seed=1, end_date=END)
        duck: float | None = None
        for engine in engines:
            make, remove = ENGINES[engine]
            try:
                db = make(args.work, n, args.spark_memory) if engine == "spark" else make(args.work, n)
                remove(db) if engine != "postgres" else None
                t = time.perf_counter()
                run(LOAD, str(folder), db, env=env)
            except (SystemExit, ImportError, OSError) as exc:
                print(f"{engine:>8} {n:>10,}   not measured: {str(exc).strip().splitlines()[-1:]}")
                failed.append(f"{engine} at {n:,}: not measured")
                continue
            loaded = time.perf_counter() - t
            dump = args.work / f"figures-{engine}-{n}.json"
            runs = [json.loads(run(COMPUTE, db, END.isoformat(), ",".join(BY), str(dump),
                                   ",".join(FIELDS), env=env))
                    for _ in range(max(1, args.repeat))]
            r = min(runs, key=lambda x: x["seconds"])
            if engine == "duckdb":
                duck = r["seconds"]
                check = "the reference"
            else:
                diff = differences(dump, args.work / f"figures-duckdb-{n}.json")
                check = "equal" if not diff else f"{len(diff):,} DIFFER"
                if diff:
                    failed.append(f"{engine} at {n:,}: {len(diff):,} figures differ from "
                                  "DuckDB's, first: " + "; ".join(diff[:5]))
            times = ", ".join(f"{x['seconds']:.2f}" for x in runs)
            ratio = f"{r['seconds'] / duck:.1f}" if duck else "–"
            jvm = f"{max(x['jvm_mb'] for x in runs):.0f}" if r["jvm_mb"] is not None else "–"
            print(f"{engine:>8} {n:>10,} {r['areas']:>6} {r['figures']:>8,} {r['seconds']:>8.2f} "
                  f"{r['seconds'] / n * 100_000:>10.2f} {ratio:>8} {r['max_rss_mb']:>8.0f} "
                  f"{jvm:>7}   (load {loaded:.0f} s; {times}; {check})", flush=True)
            remove(db)
    if failed:
        raise SystemExit("FAILED:\n" + "\n".join(failed))


if __name__ == "__main__":
    main()
