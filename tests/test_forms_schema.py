"""The schema walk: every column of every register appears in each collection tool that register
has (the workbook for all registers; the XLSForm and the paper form for the registers a facility
keeps), so a column added to the schema without reaching a tool fails here. The paper forms are
checked in French and in English: the page header, the tick boxes and the facility return."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from jjis.forms.labels import Labels
from jjis.forms.lists import FACILITY_REGISTERS, References
from jjis.forms.paper import register_html
from jjis.forms.write import write_forms
from jjis.reports.pdf import write_pdf
from jjis.schema import TABLES, codes
from jjis.settings import Config


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("forms")
    write_forms(folder, lang="fr")
    return folder


def pdf_text(path: Path) -> tuple[str, list[str]]:
    """All the text without white space and hyphens (headings wrap and hyphenate in narrow
    cells), and each page's text."""
    pages = [p.extract_text() or "" for p in PdfReader(path).pages]
    return flat("".join(pages)), pages


def flat(text: str) -> str:
    return re.sub(r"[\s\-\xad\u2010]+", "", text)


def test_every_column_is_in_its_workbook_sheet(out: Path) -> None:
    wb = load_workbook(out / "workbook" / "registers.xlsx", read_only=True)
    for name, table in TABLES.items():
        header = [c.value for c in next(wb[name].iter_rows(max_row=1))]
        assert header == list(table.column_names), name


def test_every_column_is_in_its_xlsform(out: Path) -> None:
    for name in FACILITY_REGISTERS:
        ws = load_workbook(out / "xlsform" / f"{name}.xlsx", read_only=True)["survey"]
        names = {r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
        assert set(TABLES[name].column_names) <= names, name


def test_every_column_and_code_is_on_its_paper_form(out: Path) -> None:
    fr = Labels("fr")
    for name in FACILITY_REGISTERS:
        text, pages = pdf_text(out / "paper" / f"{name}.pdf")
        reader = PdfReader(out / "paper" / f"{name}.pdf")
        box = reader.pages[0].mediabox
        assert box.width > box.height  # landscape
        for col in TABLES[name].columns:
            assert col.name in text, (name, col.name)
            assert flat(fr.column(col)) in text, (name, col.name)
            for code in col.codes:  # each code is a tick box with its French label
                shown = fr.code(code) if fr.code(code) == code else f"{fr.code(code)}({code})"
                assert flat(shown) in text, (name, code)
        for i, page in enumerate(pages, start=1):  # header and number on every page
            assert f"Page {i} / {len(pages)}" in page
            assert "Période" in page and "Établissement" in page


def test_the_facility_return_lists_every_measure_under_census_date_or_period(out: Path) -> None:
    text, _ = pdf_text(out / "paper" / "facility-return.pdf")
    snapshot = text.index("census_date")
    period = text.index("period_start")
    assert snapshot < period
    for m in codes.SNAPSHOT_MEASURES:  # counted on the census date: in the first section
        assert snapshot < text.index(m) < period, m
    for m in codes.PERIOD_MEASURES:
        assert text.index(m, period) > period, m
    for group in Config().age_group_labels:
        assert f"age_group={group}" in text
    assert "Relevédel'établissement" in text


def test_english_paper_names_the_facility_given(tmp_path: Path) -> None:
    refs = References([("RC1", "Remand 1")], [], ["RC1"])
    path = write_pdf(register_html(TABLES["detentions"], "en", Config(), refs),
                     tmp_path / "detentions.pdf")
    text, pages = pdf_text(path)
    assert "Facility: RC1" in pages[0] and "Releasereason" in text
    assert "releasedpendingtrial(released_pending_trial)" in text


def test_forms_writes_every_tool(out: Path) -> None:
    names = {p.relative_to(out).as_posix() for p in out.rglob("*.*")}
    assert names == {"workbook/registers.xlsx", *(f"xlsform/{n}.xlsx" for n in FACILITY_REGISTERS),
                     *(f"paper/{n}.pdf" for n in FACILITY_REGISTERS), "paper/facility-return.pdf"}
