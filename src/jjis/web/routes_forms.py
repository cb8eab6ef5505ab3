"""The Forms page: facility staff download the entry workbook, the XLSForms and the paper forms
made for their facilities, analysts for any facility in their remit (access.py decides who may
open which facility, as for its stays). Each download is written to the audit log."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from jjis.forms.labels import LANGUAGES
from jjis.forms.lists import FACILITY_REGISTERS
from jjis.forms.paper import RETURN_FILE
from jjis.forms.write import write_forms
from jjis.reports.i18n import N_
from jjis.web.access import Denied, need_user
from jjis.web.context import Ctx, page_ctx
from jjis.web.i18n import FORMS_INTRO

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {  # tool -> the files it writes, and their type
    "workbook": (("registers.xlsx",), XLSX),
    "xlsform": (tuple(f"{t}.xlsx" for t in FACILITY_REGISTERS), XLSX),
    "paper": ((*(f"{t}.pdf" for t in FACILITY_REGISTERS), RETURN_FILE), "application/pdf"),
}


@router.get("/forms")
def forms_page(ctx: Ctx = Depends(page_ctx)) -> Response:
    need_user(ctx.user)
    ctx.scope.check_upload()  # the roles that send registers are the ones that collect them
    return ctx.render("forms.html", facilities=ctx.scope.facilities(), registers=FACILITY_REGISTERS,
                      languages=LANGUAGES, return_file=RETURN_FILE, chosen=None,
                      forms_intro=FORMS_INTRO)


@router.get("/forms/{facility_id}")
def facility_forms(facility_id: str, ctx: Ctx = Depends(page_ctx)) -> Response:
    need_user(ctx.user)
    ctx.scope.check_stays(facility_id)
    return ctx.render("forms.html", facilities=ctx.scope.facilities(), registers=FACILITY_REGISTERS,
                      languages=LANGUAGES, return_file=RETURN_FILE,
                      chosen=ctx.scope.geo.facilities[facility_id], forms_intro=FORMS_INTRO)


@router.get("/forms/{facility_id}/{lang}/{tool}/{name}")
def download(facility_id: str, lang: str, tool: str, name: str,
             ctx: Ctx = Depends(page_ctx)) -> Response:
    """One file, made for this facility (its id and area are the dropdowns' only choices)."""
    need_user(ctx.user)
    ctx.scope.check_stays(facility_id)
    files, media = DOWNLOADS.get(tool, ((), ""))
    if lang not in LANGUAGES or name not in files:
        raise Denied(404, N_("there is no form {tool}/{name} in {lang}"), tool=tool, name=name,
                     lang=lang)
    with tempfile.TemporaryDirectory(prefix="jjis-forms-") as tmp:
        out = Path(tmp)
        write_forms(out, lang=lang, config=ctx.web.config, store=ctx.store,
                    facilities=[facility_id], tools=(tool,))
        path = out / tool / name
        body = path.read_bytes()
    ctx.audit("download_form", facility_id, {"tool": tool, "file": name, "lang": lang})
    filename = f"{facility_id}-{name}" if tool != "xlsform" else name  # an XLSForm keeps its id
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="{_ascii(filename)}"'})


def _ascii(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
