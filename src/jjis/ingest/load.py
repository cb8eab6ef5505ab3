"""Import: each file is validated in full, then loaded in one transaction, all or nothing.

The rows are read and checked inside DuckDB, in the in-memory databases of the workbench
(`store/workbench.py`), which the import drops with all they hold when it ends. Accepted rows
replace any rows with the same source ids; rejected rows go to the quarantine with every error
they have.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from jjis.errors import CATALOGUE, JjisError, RowError, make_error
from jjis.ingest import checks as ck
from jjis.ingest import csvread
from jjis.ingest.findings import conflicting_children, overlapping_stays
from jjis.ingest.header import header_errors, is_form_meta
from jjis.ingest.quarantine import quarantine_rows
from jjis.ingest.report import FileReport, ImportReport
from jjis.ingest.sources import Source, discover, normalise
from jjis.ingest.workbook import Limits
from jjis.schema import TABLES, Table
from jjis.settings import Config
from jjis.store import Store, quarantine, registers
from jjis.store.workbench import Bench, Workbench

Progress = Callable[[str, int, int], None]  # (file label, step done, steps)
STEPS = 4
RECORDS_ORDER = 3  # registers loaded before this (areas, facilities, population) go first, in turn
WORKERS = 2  # files of different registers load side by side: small files keep both cores busy


def _noop(label: str, done: int, total: int) -> None:
    return None


def import_registers(
    store: Store,
    paths: list[str | Path],
    config: Config,
    key: bytes,
    *,
    today: date | None = None,
    progress: Progress = _noop,
    sources: list[Source] | None = None,
) -> ImportReport:
    """Import every register found among `paths` (or the `sources` already read from them by
    `read_sources`): the reference registers (areas, facilities, population) first, one file
    after another; then the others side by side, each register's files in turn, where the store
    has sessions for it."""
    _refuse_old_pseudonyms(store)
    if sources is None:
        sources = read_sources(paths, config)
    first_id = registers.last_import_id(store) + 1
    work = Workbench(store)
    try:
        jobs = [(i, s) for i, s in enumerate(sources)]
        reports: dict[int, FileReport] = {}
        run = _Runner(store, work, config, key, today or date.today(), progress, first_id, reports)
        run.one_after_another([j for j in jobs if _is_reference(j[1])])
        by_table: dict[str, list[tuple[int, Source]]] = {}
        for j in jobs:
            if not _is_reference(j[1]):
                by_table.setdefault(j[1].table or "", []).append(j)
        run.side_by_side(list(by_table.values()))
        report = ImportReport(files=[reports[i] for i, _ in jobs])
        if store.count(work.touched):
            store.begin()
            last_id = first_id + len(jobs) - 1
            report.findings = [*conflicting_children(store, last_id, work.touched),
                               *overlapping_stays(store, last_id, work.touched)]
            store.commit()
    finally:  # the workbench, raw identifiers and all, lives no longer than the import
        work.close()
    return report


def read_sources(paths: list[str | Path], config: Config | None = None) -> list[Source]:
    """The registers among the paths, each workbook parsed once (within the workbook limits of
    the settings), to be checked and then given to `import_registers`."""
    return discover(paths, Limits.of(config))


def _is_reference(source: Source) -> bool:
    return source.table is not None and TABLES[source.table].load_order < RECORDS_ORDER


class _Runner:
    """Runs the file imports: in order, or as lists run side by side, each list in order."""

    def __init__(self, store: Store, work: Workbench, config: Config, key: bytes, today: date,
                 progress: Progress, first_id: int, reports: dict[int, FileReport]) -> None:
        self.store, self.work, self.config, self.key = store, work, config, key
        self.today, self.progress, self.first_id, self.reports = today, progress, first_id, reports
        self.bench = work.bench()  # for files loaded one after another

    def one_after_another(self, jobs: list[tuple[int, Source]], session: Store | None = None,
                          bench: Bench | None = None) -> None:
        bench = bench or self.bench
        for i, source in jobs:
            loader = _FileImport(session or self.store, self.work, bench, source, self.config,
                                 self.key, self.today, self.progress, self.first_id + i)
            self.reports[i] = loader.run()

    def side_by_side(self, lists: list[list[tuple[int, Source]]]) -> None:
        if not self.store.sessions or len(lists) < 2:
            self.one_after_another([j for jobs in lists for j in jobs])
            return
        queue = sorted(lists, key=_size)  # the largest register first (popped from the end)
        lock = threading.Lock()

        def worker() -> None:
            session, bench = self.store.session(), self.work.bench()
            try:
                while True:
                    with lock:
                        if not queue:
                            return
                        jobs = queue.pop()
                    self.one_after_another(jobs, session, bench)
            except BaseException:
                stop()
                raise
            finally:
                session.close()

        def stop() -> None:  # after an error or an interrupt, no worker starts another register
            with lock:
                queue.clear()

        with ThreadPoolExecutor(WORKERS) as pool:
            running = [pool.submit(worker) for _ in range(WORKERS)]
            try:
                for done in running:
                    done.result()  # a worker's error is raised here, once the others have stopped
            except BaseException:
                stop()
                raise


def _size(jobs: list[tuple[int, Source]]) -> int:
    """Bytes of a register's files (a workbook's sheets count by rows)."""
    return sum(s.rows.num_rows * 100 if s.rows is not None else
               s.path.stat().st_size if s.path.is_file() else 0 for _, s in jobs)


def _refuse_old_pseudonyms(store: Store) -> None:
    """A database made before pseudonyms were UUIDs holds them as 64 hexadecimal characters, which
    new imports would never match: the same child would silently become two."""
    found = store.column_types("arrests").get("child_id")
    if found is not None and found.lower() != "uuid":
        raise JjisError("this database was made by an earlier jjis, whose pseudonyms (64 hexadecimal "
                        "characters) new imports cannot match; make a new database with `jjis init` "
                        "and import the registers into it again")


class _FileImport:
    def __init__(self, store: Store, work: Workbench, bench: Bench, source: Source, config: Config,
                 key: bytes, today: date, progress: Progress, import_id: int) -> None:
        self.store, self.work, self.bench, self.source = store, work, bench.con, source
        self.config, self.key, self.today, self.progress = config, key, today, progress
        self.import_id = import_id
        self.same_engine = work.same_engine
        # what the store reads the accepted rows from: a view of the workbench, or a staged copy
        self.staged = f"{bench.name}.staged" if work.same_engine else "staged"
        self.scan: csvread.Scan | None = None
        self.unreadable = ""
        if source.rows is None and source.sheet is None and source.path.is_file():
            try:
                self.scan = csvread.scan(source.path)
                source.header = [normalise(c) for c in self.scan.header_cells]
            except csvread.Unreadable as exc:
                self.unreadable = exc.detail

    def run(self) -> FileReport:
        src = self.source
        rep = self.rep = FileReport(file=src.label, table=src.table, blank=src.blank)
        unreadable = self.unreadable or src.unreadable
        refused = ([make_error("unreadable-file", 1, "", src.label, detail=unreadable)]
                   if unreadable else header_errors(src))
        if refused or src.table is None:
            rep.errors, rep.refused = refused, True
            rep.rows = rep.rejected = self._count_rows()
            self._log(rep)
            return rep
        table = TABLES[src.table]
        malformed = self._stage_raw(table)
        self.progress(src.label, 1, STEPS)
        rep.errors = malformed + self._validate(table)
        self.progress(src.label, 2, STEPS)
        read = int(self.bench.execute("SELECT count(*) FROM raw").fetchall()[0][0])
        rep.rows = read + len(malformed) + rep.blank
        bad = {e.row for e in rep.errors}
        rep.rejected = len(bad)
        self._write(table, rep, bad)
        self.progress(src.label, STEPS, STEPS)
        return rep

    # -- reading ---------------------------------------------------------------------------
    def _count_rows(self) -> int:
        if self.source.rows is not None:
            return self.source.rows.num_rows
        if self.scan is not None:
            return self.scan.lines
        if self.source.sheet is not None or not self.source.path.is_file():
            return 0
        return csvread.count_lines(self.source.path)  # an unreadable file

    def _stage_raw(self, table: Table) -> list[RowError]:
        """Load the rows as text into `raw` (`_row` = line number) and list unreadable rows."""
        src, b = self.source, self.bench
        keep = [c for c in dict.fromkeys(src.header) if c and not is_form_meta(c, table.name)]
        rows, malformed = src.rows, list(src.errors)
        if rows is None and not self._read_by_duckdb(keep):
            lines = csvread.read_lines(src.path, src.header, keep)
            rows, malformed, self.rep.blank = lines.rows, lines.malformed, lines.blank
        if rows is not None:
            b.register("raw_arrow", rows.select(["_row", *keep]))
            b.execute("CREATE OR REPLACE TABLE raw_src AS SELECT * FROM raw_arrow")
            b.unregister("raw_arrow")
            b.execute("CREATE OR REPLACE VIEW raw AS SELECT * FROM raw_src")
        return malformed

    def _read_by_duckdb(self, keep: list[str]) -> bool:
        """Read a plain file with DuckDB into `raw`; False (nothing kept) unless it read exactly
        one row per line, without a reject: then the file is read line by line instead."""
        src, b, found = self.source, self.bench, self.scan
        if found is None or not found.plain or not csvread.literal_for_duckdb(src.path):
            return False
        names = "{" + ", ".join(f"{ck.q(f'c{i}')}: 'VARCHAR'" for i in range(len(src.header))) + "}"
        b.execute("DROP TABLE IF EXISTS jjis_rejects; DROP TABLE IF EXISTS jjis_reject_scans")
        try:
            b.execute(
                f"CREATE OR REPLACE TABLE raw0 AS SELECT * FROM read_csv({ck.q(str(src.path))}, "
                f"header = false, skip = 1, columns = {names}, auto_detect = false, "
                f"delim = ',', quote = '\"', escape = '\"', store_rejects = true, "
                f"rejects_table = 'jjis_rejects', rejects_scan = 'jjis_reject_scans')")
        except duckdb.Error:
            return False
        rejects = int(b.execute("SELECT count(*) FROM jjis_rejects").fetchall()[0][0])
        read = int(b.execute("SELECT count(*) FROM raw0").fetchall()[0][0])
        if rejects or read != found.lines:
            b.execute("DROP TABLE raw0")
            return False
        cols = ", ".join(f"c{src.header.index(c)} AS {ck.ident(c)}" for c in keep)
        empty = " AND ".join(f"coalesce(trim(c{i}), '') = ''" for i in range(len(src.header)))
        # no copy: the rows stay where read_csv put them, in file order; rows of nothing but
        # spaces and commas are blank lines
        b.execute(f"CREATE OR REPLACE VIEW raw AS SELECT rowid + 2 AS _row, {cols} FROM raw0 "
                  f"WHERE NOT ({empty})")
        self.rep.blank = read - int(b.execute("SELECT count(*) FROM raw").fetchall()[0][0])
        return True

    # -- validating ------------------------------------------------------------------------
    def _validate(self, table: Table) -> list[RowError]:
        ctx = ck.Context(
            table=table,
            present=set(self.source.header),
            detention_kinds=tuple(self.config["indicators.detention_kinds"]),
            age_groups=tuple(self.config.age_group_labels),
            today=self.today,
            key=self.key,
            pseudonyms=self.work.pseudonyms,
        )
        self._stage_references(table)
        with self.work.lock:  # an id met by two workers at once would be added twice
            for sql in ck.pseudonym_sql(ctx):
                self.bench.execute(sql)
        for sql in ck.typed_sql(ctx):
            self.bench.execute(sql)
        rules = ck.checks(ctx)
        found = self.bench.execute(ck.errors_sql(rules)).fetchall()
        errors = [self._error(rules[chk], row, value, other) for row, chk, value, other in found]
        key_col = table.key[-1]
        for row, value, n, first in self.bench.execute(ck.duplicates_sql(table)).fetchall():
            errors.append(make_error("duplicate-id", row, key_col, value,
                                     detail=_rows_shown(first, n)))
        if table.name == "areas":
            errors += self._area_cycles({e.row for e in errors})
        if table.name == "population":  # a band and single years (or two bands) for one age
            for row, other, ages in self.bench.execute(ck.overlapping_population_sql()).fetchall():
                errors.append(make_error("overlapping-population", row, "age", ages,
                                         detail=other))
        errors.sort(key=lambda e: (e.row, e.column))
        return errors

    def _area_cycles(self, bad: set[int]) -> list[RowError]:
        """Rows that would make an area its own ancestor, with the stored areas (few: in Python)."""
        parents = {str(a): p for a, p in registers.area_parents(self.store)}
        rows: dict[str, int] = {}
        for row, area, parent in self.bench.execute(
                "SELECT _row, area_id, parent_id FROM typed WHERE area_id IS NOT NULL").fetchall():
            if row not in bad:
                parents[area], rows[area] = parent, row
        out = []
        for area, row in sorted(rows.items(), key=lambda x: x[1]):
            cycle = area_cycle(parents, area)
            if cycle:
                in_file = sorted(rows[a] for a in cycle if a in rows)
                out.append(make_error("area-cycle", row, "parent_id", parents[area],
                                      detail=" → ".join([*cycle, cycle[0]]),
                                      rows=", ".join(str(r) for r in in_file)))
        return out

    def _error(self, check: ck.Check, row: int, value: str | None, other: str | None) -> RowError:
        fields = dict(check.fields)
        if check.type == "date-order":
            fields["other_value"] = other or ""
        if check.type == "wrong-facility-kind":
            fields["detail"] = f"{other} facility"
        template = CATALOGUE[check.type].template
        needed = {k: fields.get(k, "") for k in ("allowed", "detail", "target", "table", "other",
                                                  "other_value", "today") if "{" + k in template}
        return make_error(check.type, row, check.column, value, **needed)

    def _stage_references(self, table: Table) -> None:
        """`ref_facilities` and `ref_areas`: what rows may name (the store, plus this file's own
        areas when it is the areas file)."""
        b = self.bench
        if self.same_engine:
            home = ck.ident(self.work.store_catalog)
            b.execute("CREATE OR REPLACE TABLE ref_facilities AS "
                      f"SELECT facility_id, kind FROM {home}.main.facilities")
            b.execute(f"CREATE OR REPLACE TABLE ref_areas AS SELECT area_id FROM {home}.main.areas")
        else:
            for name, sql in (("ref_facilities", "SELECT facility_id, kind FROM facilities"),
                              ("ref_areas", "SELECT area_id FROM areas")):
                b.register(f"{name}_arrow", self.store.fetch_arrow(sql))
                b.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
                b.unregister(f"{name}_arrow")
        if table.name == "areas":  # an area already stored and in the file is there once
            b.execute("INSERT INTO ref_areas SELECT DISTINCT trim(area_id) FROM raw WHERE "
                      "area_id IS NOT NULL AND trim(area_id) NOT IN (SELECT area_id FROM ref_areas)")

    # -- writing ---------------------------------------------------------------------------
    def _write(self, table: Table, rep: FileReport, bad: set[int]) -> None:
        b, store = self.bench, self.store
        b.register("bad_arrow", _rows_table(sorted(bad)))  # one insert, not one per row
        b.execute("CREATE OR REPLACE TABLE bad AS SELECT _row FROM bad_arrow")
        b.unregister("bad_arrow")
        cols = ", ".join(table.column_names)
        accepted = f"SELECT {cols} FROM typed WHERE _row NOT IN (SELECT _row FROM bad)"
        quarantined = quarantine_rows(b, table, rep.file, rep.errors, bad)
        import_id = self.import_id
        if self.same_engine:  # a view: the accepted rows are read from `typed`, not copied again
            b.execute(f"CREATE OR REPLACE VIEW staged AS {accepted}")
        store.begin()
        try:
            if not self.same_engine:
                store.stage("staged", b.sql(accepted).to_arrow_table(), like=table.name)
            # rows with the same source ids are replaced
            rep.updated, rep.inserted = store.replace_rows(
                table.name, self.staged, table.column_names, ck.key_match(table, "t", "s"))
            if quarantined is not None:
                store.stage("q_staged", quarantined.append_column(
                    "import_id", _constant(import_id, quarantined.num_rows)))
                # a row rejected again replaces its waiting copy: the quarantine holds it once
                store.replace_rows(
                    "quarantine", "q_staged", QUARANTINED_COLUMNS,
                    "t.resolved_by IS NULL AND t.table_name = s.table_name AND t.raw_json = "
                    "s.raw_json AND (s.raw_json <> '{}' OR (t.file = s.file AND "
                    "t.row_number = s.row_number))")
            self._resolve_quarantine(table, import_id)
            if table.child_level and not self.same_engine:  # checked at the end of the import
                quarantine.note_children(store, self.work.touched, "staged")
            self._log(rep)
            store.commit()
        except BaseException:
            store.rollback()
            raise
        if table.child_level and self.same_engine:  # checked at the end of the import
            b.execute(f"INSERT INTO {self.work.touched} SELECT child_id FROM staged")

    def _resolve_quarantine(self, table: Table, import_id: int) -> None:
        """Rows of the quarantine that this file now brings in correctly are marked resolved."""
        quarantine.resolve(self.store, table.name, table.key, self.staged, import_id)

    def _log(self, rep: FileReport) -> None:
        digest = _file_sha256(self.source.path) if self.source.path.is_file() else ""
        registers.log_import(self.store, self.import_id, rep.file, rep.table, digest, rep.rows,
                             rep.inserted, rep.updated, rep.rejected, rep.refused)


QUARANTINED_COLUMNS = ("import_id", "table_name", "file", "row_number", "row_key", "raw_json",
                       "error_types", "messages")


def area_cycle(parents: dict[str, str | None], area: str) -> list[str]:
    """The areas of the cycle `area` is on (following parents), or [] when its chain ends."""
    chain = [area]
    for _ in range(len(parents) + 1):
        parent = parents.get(chain[-1])
        if parent is None or parent not in parents:
            return []
        if parent == area:
            return chain
        if parent in chain:
            return []  # a cycle above this area, reported on its own rows
        chain.append(parent)
    return []


def _rows_shown(first: list[int], n: int) -> str:
    """The rows sharing an identifier: a few of them, and how many others (bounded)."""
    shown = ", ".join(str(r) for r in first)
    return shown if n <= len(first) else f"{shown} and {n - len(first):,} others"


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _rows_table(rows: list[int]) -> Any:
    import pyarrow as pa

    return pa.table({"_row": pa.array(rows, pa.int64())})


def _constant(value: int, n: int) -> Any:
    import pyarrow as pa

    return pa.array([value] * n, pa.int64())


def check_source(store: Store, source: Source, config: Config, key: bytes, *,
                 today: date | None = None) -> list[RowError]:
    """Every error the import would find in one source, with nothing written: the same header
    checks, staging and validation as `import_registers` (web data entry shows them beside the
    fields before it imports the row)."""
    refused = header_errors(source)
    if refused or source.table is None:
        return refused
    work = Workbench(store)
    try:
        loader = _FileImport(store, work, work.bench(), source, config, key, today or date.today(),
                             _noop, 0)
        table = TABLES[source.table]
        malformed = loader._stage_raw(table)
        return malformed + loader._validate(table)
    finally:
        work.close()
