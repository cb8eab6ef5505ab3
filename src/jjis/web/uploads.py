"""Uploads: registers sent through a page or the API, accepted as a job (imports.py), checked
against the sender's remit and imported with `import_registers` by the import worker (the same
validation, quarantine and report as `jjis import`).

A user without a national remit may only send registers whose every row names a facility (and,
for aggregate returns, an area) inside their remit; reference tables (areas, facilities,
population, policy) need an admin or a national analyst. A file outside the remit is refused
whole, before anything is imported.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from jjis.ingest.sources import Source, normalise
from jjis.reports.i18n import N_
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


def _columns(path: Path, sheet_rows: Any) -> dict[str, set[str]]:
    """The values of facility_id and area_id in one source."""
    out: dict[str, set[str]] = {"facility_id": set(), "area_id": set()}
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


def check_remit(scope: Scope, sources: list[Source]) -> None:
    if scope.national:
        return
    for src in sources:
        if src.table is None:
            continue  # import refuses it and says why
        if src.table in REFERENCE_TABLES:
            raise Denied(403, N_("{file}: the {table} register can only be sent by an admin "
                         "or a national analyst"), file=src.label, table=src.table)
        values = _columns(src.path, src.rows)
        for fid in sorted(values["facility_id"]):
            if not scope.facility_in(fid):
                raise Denied(403, N_("{file} names the facility {facility_id}, outside your remit; "
                             "nothing was imported"), file=src.label, facility_id=fid)
        for area in sorted(values["area_id"]):
            if not scope.area_in(area):
                raise Denied(403, N_("{file} names the area {area}, outside your remit; "
                             "nothing was imported"), file=src.label, area=area)


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
