"""indicators.xlsx, read back with openpyxl: every value is the published figure of the recorded
run (withheld ones as `<5` or `x`), headers are frozen, numbers formatted, the core indicators
have native charts and the metadata sheet traces the figures to their runs."""

from __future__ import annotations

import zipfile
from typing import Any

import openpyxl
import pytest

from jjis.indicators.catalogue import load_catalogue
from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.reports.formatting import Lang, figure_key
from test_report_setup import CENSUS, Report, country, report_en, report_fr  # noqa: F401

PERSONS = set(range(1, 12))


def _key(indicator: int, stat: str, area: str, day: str, dim: str, value: str) -> str:
    breakdown = f'{{"{dim}":"{value}"}}' if dim else "{}"
    return f"{indicator}|{stat}|{area}|{day}|{breakdown}"


def _sheets(report: Report) -> dict[int, Any]:
    wb = openpyxl.load_workbook(report.paths.xlsx, read_only=False)
    out = {}
    for ws in wb.worksheets:
        head = ws.title.split(" ", 1)[0]
        if head.isdigit():
            out[int(head)] = ws
    return out


@pytest.fixture(scope="module")
def book_en(report_en: Report) -> Any:  # noqa: F811
    return openpyxl.load_workbook(report_en.paths.xlsx)


def _expected(f: Figure, lang: Lang) -> Any:
    """The cell's value; numbers to Excel's precision (XlsxWriter writes 16 significant digits,
    Excel keeps 15)."""
    if shown_value(f) is not None:
        return shown_value(f)
    if f.unit == "answer":
        return lang.answer(f.answer) if f.answer else None
    return _approx(f.value)


def _approx(v: float | None) -> Any:
    return None if v is None else pytest.approx(v, rel=1e-14, abs=1e-12)


def check_indicator_sheets(book: Any, report: Report) -> int:
    lang = Lang(report.lang)
    headers_of = {h: lang.gettext(h) for h in ("Area code", "Breakdown code", "Value code",
                                               "Statistic code", "Numerator", "Denominator",
                                               "95% interval, low", "95% interval, high")}
    seen = 0
    for ws in book.worksheets:
        if not ws.title.split(" ", 1)[0].isdigit():
            continue
        indicator = int(ws.title.split(" ", 1)[0])
        rows = ws.iter_rows(values_only=True)
        header = list(next(rows))
        col = {h: header.index(t) for h, t in headers_of.items()}
        days = [(i, h) for i, h in enumerate(header) if isinstance(h, str) and h[:2] == "20"]
        assert ws.freeze_panes == "B2"
        for row in rows:
            key = (indicator, row[col["Statistic code"]], row[col["Area code"]])
            dim, value = row[col["Breakdown code"]] or "", row[col["Value code"]] or ""
            for i, day in days:
                f = report.published.get(_key(*key, day, dim, value))
                if f is None:
                    assert row[i] is None
                    continue
                assert row[i] == _expected(f, lang), (ws.title, row)
                seen += 1
                if day == CENSUS.isoformat():
                    for name in ("Numerator", "Denominator"):
                        assert row[col[name]] == _approx(getattr(f, name.lower())), (ws.title, row)
                    assert row[col["95% interval, low"]] == _approx(f.ci_low), (ws.title, row)
                    assert row[col["95% interval, high"]] == _approx(f.ci_high), (ws.title, row)
    return seen


def test_every_value_in_the_workbook_is_the_published_figure(book_en: Any,
                                                             report_en: Report) -> None:  # noqa: F811
    seen = check_indicator_sheets(book_en, report_en)
    published = [f for f in report_en.published.values()]
    assert seen == len(published), "every published figure is in the workbook, once"


def test_the_french_workbook_too(report_fr: Report) -> None:  # noqa: F811
    book = openpyxl.load_workbook(report_fr.paths.xlsx)
    assert check_indicator_sheets(book, report_fr) == len(report_fr.published)
    assert "Synthèse" in book.sheetnames and "Métadonnées" in book.sheetnames


def test_the_summary_sheet_shows_the_headline_of_each_indicator(book_en: Any,
                                                                report_en: Report) -> None:  # noqa: F811
    ws = book_en["Summary"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[3])
    day = header.index(CENSUS.isoformat())
    lang = Lang("en")
    lines = {r[0]: r for r in rows[4:] if isinstance(r[0], int)}
    assert sorted(lines) == list(range(1, 16))
    for ind, line in lines.items():
        headline = load_catalogue()[ind].headline
        f = report_en.published[_key(ind, headline, "XA", CENSUS.isoformat(), "", "")]
        assert line[day] == _expected(f, lang)
        assert (line[2] == "Core") == load_catalogue()[ind].core
    assert ws.freeze_panes is not None


def test_numbers_carry_formats(book_en: Any) -> None:
    ws = book_en[[n for n in book_en.sheetnames if n.startswith("2 ")][0]]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index(CENSUS.isoformat()) + 1)
    assert isinstance(cell.value, float) and cell.number_format == "#,##0.0"


def test_the_core_indicators_have_native_charts(report_en: Report) -> None:  # noqa: F811
    with zipfile.ZipFile(report_en.paths.xlsx) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    # 2, 3, 9 and 10 (14 is an answer): by area, by sex and the trend
    assert len(charts) == 4 * 3


def test_the_metadata_sheet_traces_the_figures(book_en: Any, report_en: Report) -> None:  # noqa: F811
    text = " ".join(str(v) for row in book_en["Metadata"].iter_rows(values_only=True)
                    for v in row if v is not None)
    for run_id in report_en.paths.runs.values():
        assert run_id and run_id in text
    for ind in load_catalogue():
        assert ind.sentence in text and ind.sdmx_code in text
    assert "publication.disclosure_threshold" in text and "detentions" in text


def test_no_published_cell_shows_a_count_below_the_threshold(book_en: Any,
                                                              report_en: Report) -> None:  # noqa: F811
    counted = 0
    for ws in book_en.worksheets:
        if not ws.title.split(" ", 1)[0].isdigit() or int(ws.title.split(" ", 1)[0]) not in PERSONS:
            continue
        rows = ws.iter_rows(values_only=True)
        header = list(next(rows))
        stat = header.index("Statistic code")
        columns = [i for i, h in enumerate(header)
                   if h in ("Numerator", "Denominator", "Events", "Left out: unknown",
                            "Left out: 18 or older") or (isinstance(h, str) and h[:2] == "20")]
        for row in rows:
            for i in columns:
                v = row[i]
                if not isinstance(v, (int, float)):
                    continue
                if header[i][:2] == "20" and not _is_count(row[stat]):
                    continue
                if header[i] == "Numerator" and row[stat] == "mean_days":  # a sum of days
                    continue
                if header[i] == "Denominator" and row[stat] == "rate_average_daily_population":
                    continue
                assert not 1 <= v < 5, (ws.title, header[i], row)
                counted += 1
    assert counted > 1000


def _is_count(stat: str) -> bool:
    return stat in ("events", "count") or "band_" in stat


def test_figure_keys_match_the_html(report_en: Report) -> None:  # noqa: F811
    f = next(iter(report_en.published.values()))
    assert figure_key(f) == _key(f.indicator, f.statistic, f.area, f.census_date.isoformat(),
                                 *(next(iter(f.breakdown.items())) if f.breakdown else ("", "")))


def test_sheet_names_are_whole_words() -> None:
    from jjis.reports.xlsx import _sheet_name

    taken: set[str] = set()
    # 35 characters; cut at 31 it ends "with the", two little words dropped by hand
    assert _sheet_name("1 Children in conflict with the law", taken) == "1 Children in conflict"
    # the same title again: " (2)" takes 4 of the 31 characters
    assert _sheet_name("1 Children in conflict with the law", taken) == "1 Children in conflict (2)"
    # French: "1 Enfants en conflit avec la loi" is 32 characters; "la", "avec" dropped
    assert _sheet_name("1 Enfants en conflit avec la loi", taken) == "1 Enfants en conflit"
    assert _sheet_name("Short: [a]/b?", taken) == "Short ab", "characters Excel refuses"
    assert len(_sheet_name("x" * 40, taken)) == 31, "one long word has to be cut"


@pytest.mark.parametrize("which", ["en", "fr"])
def test_every_sheet_name_is_the_title_cut_at_a_word_and_listed_in_metadata(
        which: str, report_en: Report, report_fr: Report) -> None:  # noqa: F811
    report = report_en if which == "en" else report_fr
    lang = Lang(which)
    book = openpyxl.load_workbook(report.paths.xlsx)
    meta = book[lang.gettext("Metadata")]
    listed = {}
    for row in meta.iter_rows(values_only=True):
        if row[0] in book.sheetnames and isinstance(row[1], str):
            listed[row[0]] = row[1]
    for ind in load_catalogue():
        title = f"{ind.id} {lang.indicator_text(ind, 'name')}"
        [name] = [n for n in book.sheetnames if n.split(" ", 1)[0] == str(ind.id)]
        assert len(name) <= 31
        assert title.startswith(name), (name, title)
        assert len(name) == len(title) or title[len(name)] == " ", f"{name!r} cuts a word"
        assert listed[name] == title, "the Metadata sheet gives the full title beside the name"
