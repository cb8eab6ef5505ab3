"""Downloads: the quarantine's rejected rows of one register as a CSV ready to fix and send
again (the file `jjis quarantine export` writes, within the user's remit; cells neutral)."""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from jjis.ingest.quarantine import list_quarantine, write_quarantine_csv
from jjis.schema import TABLES
from jjis.web.access import Denied
from jjis.web.context import Ctx, page_ctx
from jjis.web.uploads import rows_in_remit

router = APIRouter(include_in_schema=False)


@router.get("/quarantine/{table}.csv")
def quarantine_csv(table: str, ctx: Ctx = Depends(page_ctx)) -> Response:
    """The unresolved rejected rows of the register inside the user's remit, as
    `<table>-quarantine.csv` (record level: audited)."""
    with ctx.audit_refusal("view_denied", "quarantine", {"view": "quarantine", "format": "csv"}):
        ctx.scope.check_upload()
    if table not in TABLES:
        raise Denied(404, f"there is no register {table!r}; the registers are {', '.join(TABLES)}")
    rows = rows_in_remit(ctx.scope, list_quarantine(ctx.store, table))
    buf = io.StringIO()
    write_quarantine_csv(buf, table, rows)
    ctx.audit("view_records", "quarantine", {"rows": len(rows), "table": table, "format": "csv"})
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{table}-quarantine.csv"'})
