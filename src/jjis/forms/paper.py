"""paper/<table>.pdf: printable register pages, and paper/facility-return.pdf, the facility
summary form of the manual for places without a record-level register.

A4 landscape, laid out by WeasyPrint as the reports are (reports/pdf.py): one row per record, the
codes printed as tick boxes with their labels, and a page header with the facility, the period
and the page number. Each heading shows the column's name, so that a page copies into the
workbook or a CSV file column by column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from jjis.forms.labels import Labels
from jjis.forms.lists import FACILITY_REGISTERS, References, choices
from jjis.reports.pdf import write_pdf
from jjis.schema import TABLES, Table, codes
from jjis.settings import Config

TEMPLATES = Path(__file__).with_name("templates")
ROWS = 16  # empty rows per register (two or three pages); print as many copies as needed
RETURN_FILE = "facility-return.pdf"


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def _columns(table: Table, labels: Labels, config: Config, refs: References) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for col in table.columns:
        values = choices(col, labels, config, refs)
        boxed = values is not None and not col.references and len(values) <= 14
        out.append({"name": col.name, "label": labels.column(col), "required": col.required,
                    "hint": labels.hint(col), "boxes": values if boxed else None,
                    "weight": min(1 + 0.3 * len(values or []), 3.2) if boxed else
                    1.25 if col.kind == "date" else 1.0})
    total = sum(c["weight"] for c in out)
    for c in out:
        c["width"] = round(100 * c["weight"] / total, 2)
    return out


def register_html(table: Table, lang: str, config: Config, refs: References) -> str:
    labels = Labels(lang)
    return _env().get_template("paper.html").render(
        lang=lang, t=labels.text, css=(TEMPLATES / "paper.css").read_text(encoding="utf-8"),
        title=labels.table(table), help=labels.table_help(table),
        facility=", ".join(refs.names), table=table,
        columns=_columns(table, labels, config, refs), rows=ROWS, sections=None)


def return_html(lang: str, config: Config, refs: References) -> str:
    labels = Labels(lang)
    t = labels.text
    breakdown = [(t("All"), ""), *[(labels.code(s), f"sex = {s}") for s in codes.SEX],
                 *[(labels.age_group(g), f"age_group = {g}") for g in config.age_group_labels]]
    sections = [
        {"title": f"{t('On the census date')} (census_date): ____-__-__",
         "measures": [(m, labels.code(m)) for m in codes.SNAPSHOT_MEASURES]},
        {"title": f"{t('During the 12-month period')} (period_start – period_end): "
                  "____-__-__ – ____-__-__",
         "measures": [(m, labels.code(m)) for m in codes.PERIOD_MEASURES]},
    ]
    return _env().get_template("paper.html").render(
        lang=lang, t=t, css=(TEMPLATES / "paper.css").read_text(encoding="utf-8"),
        title=t("Facility return"), help=labels.table_help(TABLES["aggregate_returns"]),
        facility=", ".join(refs.names), table=None, columns=[], rows=0,
        sections=sections, breakdown=breakdown)


def write_paper(out_dir: Path, lang: str, config: Config, refs: References) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [write_pdf(register_html(TABLES[name], lang, config, refs), out_dir / f"{name}.pdf")
               for name in FACILITY_REGISTERS]
    written.append(write_pdf(return_html(lang, config, refs), out_dir / RETURN_FILE))
    return written
