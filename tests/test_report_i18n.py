"""The report in French shows no English: every visible text node (the page's and the charts')
is checked against the English message ids. The catalogues are complete, their placeholders
agree, the shipped .mo files match the .po files, and a new language needs only a catalogue."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from jjis.reports import i18n
from jjis.reports.formatting import Lang
from test_report_setup import Report, country, report_fr  # noqa: F401

PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Text(HTMLParser):
    """The visible text nodes of a page: body text and SVG <text>, not styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.hidden:
            self.nodes.append(text)


def english_messages() -> list[tuple[str, re.Pattern[str] | None]]:
    """English message ids that French translates differently, with a pattern for those with
    placeholders (only where enough words are literal to mean something)."""
    fr = Lang("fr")
    out: list[tuple[str, re.Pattern[str] | None]] = []
    for msgid in i18n.messages():
        if fr.gettext(msgid) == msgid:
            continue  # the same in both languages: "Total", "Notes", "%", "Page"
        literal = PLACEHOLDER.sub("", msgid)
        if PLACEHOLDER.search(msgid):
            if len(re.findall(r"[A-Za-z]{3,}", literal)) < 3:
                continue
            parts = [re.escape(p) for p in PLACEHOLDER.split(msgid)[::2]]
            out.append((msgid, re.compile(".+?".join(parts))))
        else:
            out.append((msgid, None))
    return out


def is_code_or_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.,%<x–\-/:()A-Z_]*", text))


def test_the_french_report_shows_no_english(report_fr: Report) -> None:  # noqa: F811
    parser = Text()
    parser.feed(report_fr.paths.html.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    messages = english_messages()
    plain = {m for m, p in messages if p is None}
    area_names = {a.name for a in report_fr.paths.model.areas.values()}  # type: ignore[union-attr]
    checked = 0
    for node in parser.nodes:
        if is_code_or_number(node) or node in area_names:
            continue
        checked += 1
        assert node not in plain, f"untranslated: {node!r}"
        for msgid, pattern in messages:
            if pattern is not None:
                assert not pattern.search(node), f"untranslated: {node!r} ({msgid!r})"
            elif len(msgid.split()) >= 3:
                assert msgid not in node, f"untranslated: {node!r} contains {msgid!r}"
    assert checked > 1000


def test_the_french_report_writes_numbers_and_dates_the_french_way(report_fr: Report) -> None:  # noqa: F811
    text = report_fr.paths.html.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "31 décembre 2025" in text
    assert re.search(r">\d+,\d %<|>\d+,\d\u202f%<|>\d+,\d\xa0%<", text), "12,3 % with a space"
    assert not re.search(r">\d{1,3},\d{3}\.\d<", text), "no English thousands"


def test_every_message_has_a_french_translation() -> None:
    assert i18n.untranslated("fr") == []
    assert i18n.untranslated("en") == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    with i18n.po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    for m in catalog:
        if m.id and m.string:
            assert set(PLACEHOLDER.findall(str(m.id))) == set(PLACEHOLDER.findall(str(m.string))), m.id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_shipped_mo_files_match_the_po_files(lang: str) -> None:
    def same(text: Any) -> Any:  # a plural's forms: a tuple in a .po, a list in a .mo
        return text if isinstance(text, str) else tuple(text)

    with i18n.po_path(lang).open("rb") as f:
        po = {same(m.id): same(m.string) for m in read_po(f, locale=lang) if m.id and m.string}
    with i18n.po_path(lang).with_suffix(".mo").open("rb") as f:
        mo = {same(m.id): same(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run `python -m jjis.reports.i18n compile`"


def test_a_new_language_is_a_new_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale_dir = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale_dir)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale_dir)
    i18n.translations.cache_clear()
    try:
        po = i18n.init("es")
        with po.open("rb") as f:
            catalog = read_po(f, locale="es")
        catalog["Girls"].string = "Niñas"
        from babel.messages.pofile import write_po

        with po.open("wb") as f:
            write_po(f, catalog)
        lang = Lang("es")
        assert lang.breakdown_value("sex", "f") == "Niñas"
        assert lang.amount(12345.5, "per_100000") == "12.345,5", "Spanish numbers, from Babel"
        assert "es" in i18n.languages()
    finally:
        i18n.translations.cache_clear()
