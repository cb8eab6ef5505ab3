"""Uploads: registers sent through a page or the API, checked against the sender's remit, then
imported with `import_registers` (the same validation, quarantine and report as `jjis import`).

A user without a national remit may only send registers whose every row names a facility (and,
for aggregate returns, an area) inside their remit; reference tables (areas, facilities,
population, policy) need an admin or a national analyst. A file outside the remit is refused
whole, before anything is imported.
"""

from __future__ import annotations

import csv
import re
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Any

from jjis.api import import_registers
from jjis.ingest.sources import discover, normalise
from jjis.web.access import Denied, Scope
from jjis.web.context import Ctx

MAX_BYTES = 200 * 1024 * 1024
REFERENCE_TABLES = ("areas", "facilities", "population", "policy")
_NAME = re.compile(r"[^A-Za-z0-9._ -]")
one_import = threading.Lock()  # imports number themselves from the import log: one at a time


def safe_name(name: str) -> str:
    """The file's own name (the register it holds is read from it), without any path."""
    base = _NAME.sub("_", Path(name.replace("\\", "/")).name).strip(" .") or "upload"
    if not base.lower().endswith((".csv", ".xlsx")):
        raise Denied(422, f"{base} is neither a .csv file nor an .xlsx workbook")
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


def check_remit(scope: Scope, paths: list[Path]) -> None:
    if scope.national:
        return
    for src in discover([str(p) for p in paths]):
        if src.table is None:
            continue  # import refuses it and says why
        if src.table in REFERENCE_TABLES:
            raise Denied(403, f"{src.label}: the {src.table} register can only be sent by an admin "
                         "or a national analyst")
        values = _columns(src.path, src.rows)
        for fid in sorted(values["facility_id"]):
            if not scope.facility_in(fid):
                raise Denied(403, f"{src.label} names the facility {fid}, outside your remit; "
                             "nothing was imported")
        for area in sorted(values["area_id"]):
            if not scope.area_in(area):
                raise Denied(403, f"{src.label} names the area {area}, outside your remit; "
                             "nothing was imported")


def read_files(files: list[Any]) -> list[tuple[str, bytes]]:
    """The uploaded files' names and contents (UploadFile objects), refusing more than MAX_BYTES
    before reading them."""
    if sum(int(getattr(f, "size", 0) or 0) for f in files) > MAX_BYTES:
        raise Denied(413, f"the upload is larger than {MAX_BYTES // (1024 * 1024)} MB; send it "
                     "in parts or use `jjis import`")
    return [(f.filename or "upload", f.file.read()) for f in files if f.filename]


def import_upload(ctx: Ctx, files: list[tuple[str, bytes]], channel: str) -> dict[str, Any]:
    """Import the files; returns the import JSON report (plus `exit_code`), audited."""
    ctx.scope.check_upload()
    if not files:
        raise Denied(422, "send at least one file")
    if sum(len(b) for _, b in files) > MAX_BYTES:
        raise Denied(413, f"the upload is larger than {MAX_BYTES // (1024 * 1024)} MB; send it "
                     "in parts or use `jjis import`")
    with tempfile.TemporaryDirectory(prefix="jjis-upload-") as tmp:
        paths: list[Path] = []
        for name, data in files:
            path = Path(tmp) / safe_name(name)
            if path in paths:
                raise Denied(422, f"two files are named {path.name}; send them one at a time")
            path.write_bytes(data)
            paths.append(path)
        check_remit(ctx.scope, paths)
        with one_import:
            report = import_registers(ctx.store, [str(p) for p in paths], ctx.web.config,
                                      today=date.today())
            ctx.web.db.changed()
    result = report.as_json()
    result["exit_code"] = report.exit_code
    ctx.audit("upload", ",".join(n for n, _ in files)[:200], {
        "channel": channel,
        "tables": {t: {"accepted": v["accepted"], "rejected": v["rejected"]}
                   for t, v in result["tables"].items()},
    })
    return result

