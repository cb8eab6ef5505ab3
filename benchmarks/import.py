"""Import speed and memory on synthetic countries, beside the time DuckDB alone takes to read
the same CSV files.

    .venv/bin/python benchmarks/import.py [--children 100000 1000000] [--repeat 3]
                                          [--work /tmp/jjis-bench] [--keep]

Each measurement runs in its own process, so that its peak memory (max RSS) is its own. The bare
read and the import take turns, --repeat times, and the best time of each is kept: on a shared
virtual machine one run can be twice as slow as the next, and the best run is the one least
disturbed. Every run is printed, so the spread shows.
Target (issue 2): at least 200,000 rows per second on a 2-core machine, within 5x the bare read.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BARE = """
import duckdb, json, resource, sys, time
from pathlib import Path
files = sorted(Path(sys.argv[1]).glob("*.csv"))
con = duckdb.connect()
t = time.perf_counter()
rows = 0
for f in files:
    con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('{f}')")
    rows += con.execute("SELECT count(*) FROM t").fetchone()[0]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

IMPORT = """
import json, resource, sys, time
from jjis.api import import_registers, init_database
from jjis.settings import Config
from jjis.store import open_store
db = sys.argv[2]
init_database(db)
store = open_store(db)
t = time.perf_counter()
report = import_registers(store, [sys.argv[1]], Config())
seconds = time.perf_counter() - t
store.close()
rows = sum(f.rows for f in report.files)
print(json.dumps({"seconds": seconds, "rows": rows, "rejected": report.rejected,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def country(work: Path, children: int) -> Path:
    from jjis.synth import synthesise

    folder = work / f"country-{children}"
    if not (folder / "detentions.csv").exists():
        t = time.perf_counter()
        synthesise(folder, children=children, seed=1)
        print(f"  synthesised {children:,} children in {time.perf_counter() - t:.1f} s")
    return folder


def _seconds(runs: list[dict[str, float]]) -> str:
    return ", ".join(f"{r['seconds']:.2f}" for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/jjis-bench"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic countries")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{'children':>10} {'rows':>11} {'bare s':>8} {'import s':>9} {'rows/s':>10} "
          f"{'x bare':>7} {'peak MB':>8}")
    for n in args.children:
        folder = country(args.work, n)
        db = args.work / f"bench-{n}.duckdb"
        bares, imports = [], []
        for _ in range(args.repeat):
            bares.append(run(BARE, str(folder)))
            for p in args.work.glob(f"bench-{n}.*"):
                p.unlink()
            imports.append(run(IMPORT, str(folder), str(db)))
        bare = min(bares, key=lambda r: r["seconds"])
        imp = min(imports, key=lambda r: r["seconds"])
        rate = imp["rows"] / imp["seconds"]
        print(f"{n:>10,} {int(imp['rows']):>11,} {bare['seconds']:>8.2f} {imp['seconds']:>9.2f} "
              f"{rate:>10,.0f} {imp['seconds'] / bare['seconds']:>7.1f} {imp['max_rss_mb']:>8.0f}"
              f"   (bare read peak {bare['max_rss_mb']:.0f} MB; rejected {int(imp['rejected'])})")
        print(f"{'':>10} every run: bare {_seconds(bares)} s; import {_seconds(imports)} s")
        if not args.keep:
            shutil.rmtree(folder)
        for p in args.work.glob(f"bench-{n}.*"):
            p.unlink()
    print(f"benchmark process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
