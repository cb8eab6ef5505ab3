"""Time of a whole report (HTML, PDF, XLSX, SDMX) over 5 census dates and 50 areas.

    .venv/bin/python benchmarks/report.py [--children 1000000] [--work /tmp/jjis-bench-report]
                                          [--lang en] [--no-pdf]

The synthetic country (`jjis synth`) has 17 areas (country, 4 regions, 12 districts). To reach
50 areas, each district is split into 3 communes (53 areas): the district's facilities are dealt
to its communes in turn and its population rows shared between them, so every record keeps its
facility and the district's figures stay what they were. The country is synthesised and imported
once per size and kept under --work; later runs reuse it.

Target (issue 4): under a minute on a 1M-children country on a 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

SPLIT = 3
CENSUS = date(2025, 12, 31)
COMPARE = (date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30))


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def split_districts(registers: Path) -> int:
    """Split every district into SPLIT communes; returns the number of areas."""
    header, areas = _rows(registers / "areas.csv")
    districts = [a for a in areas if a["level"] == "district"]
    for d in districts:
        for k in range(1, SPLIT + 1):
            areas.append({"area_id": f"{d['area_id']}-{k}", "name": f"{d['name']} {k}",
                          "parent_id": d["area_id"], "level": "commune"})
    _write(registers / "areas.csv", header, areas)
    ids = {d["area_id"] for d in districts}

    header, facilities = _rows(registers / "facilities.csv")
    turn: dict[str, int] = defaultdict(int)
    for f in facilities:
        if f["area_id"] in ids:
            turn[f["area_id"]] += 1
            f["area_id"] = f"{f['area_id']}-{(turn[f['area_id']] - 1) % SPLIT + 1}"
    _write(registers / "facilities.csv", header, facilities)

    header, population = _rows(registers / "population.csv")
    out = []
    for p in population:
        if p["area_id"] not in ids:
            out.append(p)
            continue
        n = int(p["population"])
        for k in range(1, SPLIT + 1):
            share = n // SPLIT + (1 if k <= n % SPLIT else 0)
            out.append({**p, "area_id": f"{p['area_id']}-{k}", "population": str(share)})
    _write(registers / "population.csv", header, out)
    return len(areas)


def prepare(work: Path, children: int) -> Path:
    """The database of the country, synthesised and imported on the first run."""
    from jjis.api import import_registers, init_database
    from jjis.settings import Config
    from jjis.store import open_store
    from jjis.synth import synthesise

    folder = work / str(children)
    db = folder / "jjis.duckdb"
    if (folder / "ready").exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    synthesise(folder / "registers", children=children, seed=7, end_date=CENSUS)
    n = split_districts(folder / "registers")
    if db.exists():
        db.unlink()
    os.environ.setdefault("JJIS_SECRET", "0" * 64)
    init_database(str(db))
    with open_store(str(db)) as store:
        report = import_registers(store, [folder / "registers"], Config())
    (folder / "ready").write_text(f"{n} areas\n")
    print(f"prepared {children:,} children, {n} areas, rejected {report.rejected} rows "
          f"in {time.perf_counter() - t:.1f} s")
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/jjis-bench-report"))
    parser.add_argument("--lang", default="en")
    parser.add_argument("--no-pdf", action="store_true", help="Leave out the PDF.")
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("JJIS_SECRET", "0" * 64)
    db = prepare(args.work, args.children)
    if args.prepare_only:
        return

    from jjis.reports import write_report
    from jjis.reports.write import FORMATS
    from jjis.settings import Config
    from jjis.store import open_store

    out = args.work / f"report-{args.children}-{args.lang}"
    steps: dict[str, float] = {}
    last: list[Any] = [time.perf_counter(), None]  # when the running step began, its name

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1] is not None:
            steps[last[1]] = steps.get(last[1], 0.0) + now - last[0]
        last[0], last[1] = now, step

    t = time.perf_counter()
    with open_store(str(db)) as store:
        formats = [f for f in FORMATS if f != "pdf" or not args.no_pdf]
        paths = write_report(store, Config(), CENSUS, out, lang=args.lang, compare=COMPARE,
                             formats=formats, progress=progress)
    seconds = time.perf_counter() - t
    print(f"report of {args.children:,} children, {1 + len(COMPARE)} census dates: "
          f"{seconds:.1f} s (target < 60 s)")
    for step, s in steps.items():
        print(f"  {step:<18} {s:6.1f} s")
    compute = sum(s for step, s in steps.items() if step.startswith("compute"))
    print(f"  {'compute, all dates':<18} {compute:6.1f} s (run_indicators and published_figures)")
    print(f"  {'outputs':<18} {seconds - compute:6.1f} s (model, charts, HTML, PDF, XLSX, SDMX)")
    for p in paths.files():
        print(f"  {p} ({p.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
