"""Downloads: the figures a page shows as SDMX-ML, SDMX-CSV and the XLSX workbook (written by
the report writers from the figures read for the page: a release for the public and everyone
outside an exact remit, the current run for admins and analysts in their remit; never
recomputed), the CSV of one indicator's page, and the quarantine's rejected rows of one
register as a CSV ready to fix and send again (the file `jjis quarantine export` writes, within
the user's remit). Every CSV cell is neutral; every download is audited."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from jjis.api import figures_files
from jjis.indicators.results import Figure
from jjis.ingest.quarantine import list_quarantine, write_quarantine_csv
from jjis.schema import TABLES
from jjis.textcells import neutral_row
from jjis.web.access import Denied
from jjis.web.context import Ctx, page_ctx
from jjis.web.figures import RELEASE_PREFIX, release_source
from jjis.web.routes_figures import EXPORT_FIELDS, View, _indicator, view
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


# name -> (media type, what it is)
FIGURE_FILES: dict[str, str] = {
    "sdmx-data.xml": "application/vnd.sdmx.structurespecificdata+xml; version=2.1",
    "sdmx-structure.xml": "application/vnd.sdmx.structure+xml; version=2.1",
    "sdmx-data.csv": "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
    "indicators.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _shown_figures(ctx: Ctx, v: View) -> list[Figure]:
    """The figures of the page's area and every area below it that the user may see."""
    wanted = set(ctx.scope.geo.below(v.area))
    return [f for a in sorted(wanted) for f in v.by_area.get(a, [])]


def _audit_export(ctx: Ctx, v: View, n: int, fmt: str) -> None:
    ctx.audit("export", v.area, {"census_date": v.census_date.isoformat(), "by": v.by or "",
                                 "figures": n, "exact": v.exact, "format": fmt})


@router.get("/downloads/{name}")
def figure_file(name: str, census_date: str | None = None, area: str | None = None,
                by: str | None = None, released: bool = False,
                ctx: Ctx = Depends(page_ctx)) -> Response:
    """The figures of the page (`census_date`, `area`, `by` as on the dashboard) as one of
    FIGURE_FILES; `released`: the release served for them, as the public reads it, even to a
    user who sees the draft (the links of the review page)."""
    if name not in FIGURE_FILES:
        raise Denied(404, f"there is no download {name!r}; the downloads are "
                     f"{', '.join(FIGURE_FILES)}")
    v = view(ctx, census_date, area, by)
    if released and v.exact:
        if v.release is None:
            raise Denied(404, f"nothing is released for {v.census_date.isoformat()} in "
                         f"{v.area}")
        source = release_source(v.release.release_id, by)
        v = View(v.release.census_date, v.area, v.by, False, source,
                 ctx.scope.visible(ctx.web.results.by_area(ctx.store, source, False)), v.release)
    figures = _shown_figures(ctx, v)
    release_id = v.run_id[len(RELEASE_PREFIX):].rpartition(":")[0] \
        if v.run_id.startswith(RELEASE_PREFIX) else None
    folder = Path(tempfile.mkdtemp(prefix="jjis-download-"))
    try:
        paths = figures_files(ctx.store, ctx.web.config, v.census_date, v.area, figures, folder,
                              release_id=release_id, run_id=None if release_id else v.run_id,
                              lang=ctx.lang)
        body = paths[name].read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _audit_export(ctx, v, len(figures), name)
    stem = f"jjis-{v.area}-{v.census_date.isoformat()}"
    return Response(body, media_type=FIGURE_FILES[name],
                    headers={"Content-Disposition": f'attachment; filename="{stem}-{name}"'})


@router.get("/indicators/{indicator}/export.csv")
def indicator_csv(indicator: int, census_date: str | None = None, area: str | None = None,
                  by: str | None = None, ctx: Ctx = Depends(page_ctx)) -> Response:
    """The figures of one indicator's page: the area and every area below it, the totals and
    the chosen breakdown, as the dashboard's CSV."""
    ind = _indicator(indicator, ctx)
    v = view(ctx, census_date, area, by)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(EXPORT_FIELDS)
    n = 0
    for f in _shown_figures(ctx, v):
        if f.indicator != ind.id:
            continue
        row = f.as_json()
        row["breakdown"] = f.breakdown_json
        w.writerow(neutral_row(["" if row.get(k) is None else row[k] for k in EXPORT_FIELDS]))
        n += 1
    _audit_export(ctx, v, n, "csv")
    name = f"jjis-{ind.id}-{v.area}-{v.census_date.isoformat()}.csv"
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
