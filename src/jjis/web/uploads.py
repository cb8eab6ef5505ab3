"""Uploads: registers sent through a page or the API, accepted as a job (imports.py), checked
against the sender's remit and imported with `import_registers` by the import worker (the same
validation, quarantine and report as `jjis import`).

A user without a national remit may only send registers whose every row names a facility (and,
for aggregate returns, an area) inside their remit: every column the schema makes reference the
facilities or the areas is checked. Reference tables (areas, facilities, population, policy)
need an admin or a national analyst. A file outside the remit is refused whole, before anything
of it is imported; the other files of the same upload are imported.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from jjis.ingest.sources import Source, normalise
from jjis.reports.i18n import N_
from jjis.schema import TABLES
from jjis.web.access import Denied, Scope, need_user
from jjis.web.context import Ctx
from jjis.web.imports import Job

MAX_BYTES = 200 * 1024 * 1024
REFERENCE_TABLES = ("areas", "facilities", "population", "policy")
_NAME = re.compile(r"[^A-Za-z0-9._ -]")


def safe_name(name: str) -> str:
    """The file's own name (the register it holds is read from it), without any path."""
    base = _NAME.sub("_", Path(name.replace("\\", "/")).name).strip(" .") or "upload"
    if not base.lower().endswith((".csv", ".xlsx")):
        raise Denied(422, N_("{name} is neither a .csv file nor an .xlsx workbook"), name=base)
    return base[:120]


def remit_columns(table: str) -> dict[str, str]:
    """The columns of a register that place a row in someone's remit, from the schema: those
    that reference the facilities or the areas (column -> "facilities" or "areas")."""
    return {c.name: c.references for c in TABLES[table].columns
            if c.references in ("facilities", "areas")}


def _columns(path: Path, sheet_rows: Any, wanted: list[str]) -> dict[str, set[str]]:
    """The values of the columns `wanted` in one source."""
    out: dict[str, set[str]] = {c: set() for c in wanted}
    if sheet_rows is not None:
        for col in out:
            if col in sheet_rows.column_names:
                out[col] = {v for v in sheet_rows.column(col).to_pylist() if v}
        return out
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        header = [normalise(c) for c in next(reader, [])]
        idx = {c: header.index(c) for c in out if c in header}
        for row in reader:
            for col, i in idx.items():
                if i < len(row) and row[i].strip():
                    out[col].add(row[i].strip())
    return out


class Sentence(str):
    """A sentence said in English (as the job's JSON and the audit log keep it) that a page can
    say again in its own language: its catalogue template and fields."""

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, **fields: Any) -> Sentence:
        said = super().__new__(cls, template.format(**fields))
        said.template, said.fields = template, fields
        return said


def _refusal(scope: Scope, src: Source) -> Sentence | None:
    """Why the source is outside the user's remit (None: inside it)."""
    assert src.table is not None
    if src.table in REFERENCE_TABLES:
        return Sentence(N_("{file}: the {table} register can only be sent by an admin or a "
                           "national analyst; this file was not imported"),
                        file=src.label, table=src.table)
    columns = remit_columns(src.table)
    values = _columns(src.path, src.rows, sorted(columns))
    for col in sorted(columns):
        inside = scope.facility_in if columns[col] == "facilities" else scope.area_in
        for value in sorted(values[col]):
            if not inside(value):
                template = (N_("{file} names the facility {value} ({column}), outside your "
                               "remit; this file was not imported")
                            if columns[col] == "facilities" else
                            N_("{file} names the area {value} ({column}), outside your remit; "
                               "this file was not imported"))
                return Sentence(template, file=src.label, value=value, column=col)
    return None


def remit_refusals(scope: Scope, sources: list[Source]) -> dict[str, str]:
    """The uploaded files outside the user's remit, each with one sentence naming the file and
    why (file name -> sentence): a file is refused when any row of any of its registers names a
    facility or an area (every column the schema makes reference them) outside the remit; the
    other files are imported."""
    out: dict[str, str] = {}
    if scope.national:
        return out
    for src in sources:
        if src.table is None or src.path.name in out:
            continue  # import refuses an unknown register and says why
        reason = _refusal(scope, src)
        if reason is not None:
            out[src.path.name] = reason
    return out


def rows_in_remit(scope: Scope, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The quarantined rows (entries of `list_quarantine`) inside the user's remit: every
    remit-bearing value the row holds (facility, area) inside it; reference tables and rows
    naming neither only for a national remit."""
    if scope.national:
        return rows
    out = []
    for r in rows:
        if r["table"] in REFERENCE_TABLES or r["table"] not in TABLES:
            continue
        raw = json.loads(r["raw"] or "{}")
        columns = remit_columns(r["table"])
        values = [(columns[c], str(raw[c])) for c in sorted(columns) if raw.get(c)]
        if values and all(scope.facility_in(v) if kind == "facilities" else scope.area_in(v)
                          for kind, v in values):
            out.append(r)
    return out


def check_remit(scope: Scope, sources: list[Source]) -> None:
    """Refuse (403) if any of the sources is outside the remit."""
    refused = remit_refusals(scope, sources)
    if refused:
        raise Denied(403, " ".join(refused.values()))


def names(files: list[Any]) -> str:
    """The uploaded files' names, as the audit log records them."""
    return ",".join(safe_label(getattr(f, "filename", "") or "upload") for f in files)[:200]


def safe_label(name: str) -> str:
    return _NAME.sub("_", Path(name.replace("\\", "/")).name)[:120]


def read_files(files: list[Any]) -> list[tuple[str, bytes]]:
    """The uploaded files' names and contents (UploadFile objects), refusing more than MAX_BYTES
    before reading them."""
    if sum(int(getattr(f, "size", 0) or 0) for f in files) > MAX_BYTES:
        raise Denied(413, N_("the upload is larger than {mb} MB; send it in parts or use "
                        "`jjis import`"), mb=MAX_BYTES // (1024 * 1024))
    return [(f.filename or "upload", f.file.read()) for f in files if f.filename]


def submit_upload(ctx: Ctx, files: list[tuple[str, bytes]], channel: str) -> Job:
    """Accept the files as an import job (imports.py): the remit check and the import run in
    the background; the job's page or API answer says how it went."""
    user = need_user(ctx.user)
    ctx.scope.check_upload()
    if not files:
        raise Denied(422, N_("send at least one file"))
    if sum(len(b) for _, b in files) > MAX_BYTES:
        raise Denied(413, N_("the upload is larger than {mb} MB; send it in parts or use "
                        "`jjis import`"), mb=MAX_BYTES // (1024 * 1024))
    return ctx.web.imports.submit(user.username, channel, ctx.scope, files, safe_name)


def job_of(ctx: Ctx, job_id: str) -> Job:
    """An import job its uploader (or an admin) may see; anyone else gets 404."""
    user = need_user(ctx.user)
    job = ctx.web.imports.get(job_id)
    if job is None or (job.username != user.username and ctx.scope.role != "admin"):
        raise Denied(404, N_("there is no such upload (jobs are kept for a day after they end)"))
    return job
