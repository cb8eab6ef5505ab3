"""The web application in French shows no English (issue 14, "in the users' language").

Every page route of the remit walk (tests/test_web_remit.py's GETS: a route added there is
covered here without more), requested as each role that can open it, plus the error pages, is
rendered in French; its visible text (body text, SVG text, the values of `placeholder`,
`aria-label` and `title`) must contain no English message of the one translation catalogue
(src/jjis/reports/locale): no msgid of three words or more that French translates differently
appears verbatim, nor any with placeholders whose literal parts are three words or more.
Labels come from the code lists: no code of a breakdown, a facility kind or a statistic is shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from jjis.reports import i18n, labels
from jjis.reports.formatting import Lang
from jjis.schema import codes
from jjis.web.present import value_order
from test_web_country import ROLES, WebCountry, web  # noqa: F401
from test_web_remit import GETS

PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?\}")
# English msgids that may stay on a French page: none so far (add one here with the reason).
ALLOWED: frozenset[str] = frozenset()
# Texts of the pages that are not words of the catalogue: proper names.
NAMES = ("ODK Collect", "KoboToolbox", "XLSForms", "UNODC/UNICEF", "jjis")


class Visible(HTMLParser):
    """The text a person sees or hears: text nodes (not in <style>, <script>, <code>) and the
    attributes a screen reader or a form shows."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "code"):
            self.hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title", "data-label") and value:
                self.nodes.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "code"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.hidden:
            self.nodes.append(text)


def _english() -> tuple[set[str], list[tuple[str, re.Pattern[str]]]]:
    """English msgids French says otherwise: plain ones of three words or more, and patterns of
    those with placeholders whose literal parts hold three words or more."""
    fr = Lang("fr")
    plain, patterns = set(), []
    for msgid in i18n.messages():
        if fr.gettext(msgid) == msgid and fr.ngettext(msgid, msgid, 2) == msgid:
            continue  # the same in both languages
        literal = PLACEHOLDER.sub(" ", msgid)
        if len(re.findall(r"[A-Za-z]{2,}", literal)) < 3:
            continue
        if PLACEHOLDER.search(msgid):
            parts = [re.escape(p) for p in PLACEHOLDER.split(msgid)[::2] if p]
            patterns.append((msgid, re.compile(".+?".join(parts))))
        else:
            plain.add(msgid)
    return plain, patterns


def _urls() -> Iterator[str]:
    """Every page route of the walk, by its first request (the walk's others differ by area or
    facility, not by words)."""
    for route, urls in GETS.items():
        if route.startswith("/api/") or route == "/openapi.json" or route == "/export.csv":
            continue
        yield urls[0]


# The review page computes the release's checks (seconds): its words are the same for every role
# that may open it, so it is read once, by the first of them.
HEAVY = ("/review",)
_heavy_seen: set[str] = set()


ERROR_PAGES = ("/indicators/99", "/facilities/NO-SUCH", "/dashboard?census_date=not-a-date",
               "/admin/users", "/entry/XA-N-RC/no_such_table")


@pytest.fixture(scope="module")
def french(web: WebCountry) -> dict[str, object]:  # noqa: F811
    """A signed-in client per role, asking for French."""
    out = {}
    for who in ROLES:
        c = web.session(who)
        c.cookies.set("jjis_lang", "fr")
        out[who] = c
    return out


def _one_pattern(plain: set[str], patterns: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    """Every English message as one alternation (longest first), to search each text once."""
    alternatives = [re.escape(m) for m in sorted(plain - ALLOWED, key=len, reverse=True)]
    alternatives += [p.pattern for _, p in patterns]
    return re.compile("|".join(alternatives))


def _check(page: str, where: str, english: re.Pattern[str]) -> int:
    parser = Visible()
    parser.feed(page)
    checked = 0
    for node in parser.nodes:
        text = node
        for name in NAMES:
            text = text.replace(name, " ")
        if not re.search(r"[A-Za-z]{3,}", text):
            continue
        checked += 1
        found = english.search(text)
        assert found is None, f"{where}: English {found.group(0)!r} in {node!r}"
    return checked


@pytest.mark.parametrize("who", ROLES)
def test_every_page_in_french_shows_no_english(web: WebCountry, french, who: str) -> None:  # noqa: F811
    english = _one_pattern(*_english())
    client = french[who]
    pages = 0
    for url in (*_urls(), *ERROR_PAGES):
        heavy = next((h for h in HEAVY if url.split("?")[0] == h), None)
        if heavy in _heavy_seen:
            continue
        r = client.get(url, follow_redirects=False)
        if heavy and r.status_code == 200:
            _heavy_seen.add(heavy)
        assert r.status_code < 500, (who, url, r.status_code)
        if not r.headers.get("content-type", "").startswith("text/html"):
            continue
        assert '<html lang="fr">' in r.text, (who, url)
        if _check(r.text, f"{who} {url} ({r.status_code})", english):
            pages += 1
    assert pages >= 5, (who, pages)


def test_error_pages_show_the_signed_in_users_nav(web: WebCountry, french) -> None:  # noqa: F811
    r = french["admin"].get("/indicators/99")
    assert r.status_code == 404
    assert "Se déconnecter" in r.text and "/admin/users" in r.text and "Se connecter<" not in r.text
    assert "il n'y a pas d'indicateur 99" in html.unescape(r.text)
    anonymous = french["anonymous"].get("/indicators/99")
    assert "Se connecter" in anonymous.text


def test_pages_name_codes_by_their_words_in_the_declared_order(web: WebCountry, french) -> None:  # noqa: F811
    c = french["admin"]
    page = c.get("/indicators/2?area=XA&by=age_group").text
    table = page.split('id="by-h"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert rows and not any("_" in r for r in rows), rows
    assert rows[0].startswith("Moins de"), rows  # under_14 comes first
    durations = c.get("/indicators/4?area=XA").text.split('id="stats-h"', 1)[1].split("</section>")[0]
    names = re.findall(r'<th scope="row">([^<]+)</th>', durations)
    french_bands = [Lang("fr").gettext(labels.STATISTICS[f"band_{b}"]) for b in labels.BANDS]
    shown = [n for n in names if n in french_bands]
    assert shown == [b for b in french_bands if b in shown] and len(shown) >= 3, names
    assert not re.search(r">\s*(band|on census band) \d", durations)
    kinds = html.unescape(c.get("/facilities").text)
    assert "<td>maison d'arrêt</td>" in kinds and "<td>remand" not in kinds
    assert not re.search(r"<td>[a-z]+_[a-z_]+</td>", kinds)


def test_how_to_read_is_clean_prose(web: WebCountry, french) -> None:  # noqa: F811
    for lang in ("en", "fr"):
        c = french["anonymous"]
        page = c.get(f"/indicators/2?area=XA&lang={lang}").text
        rules = page.split('class="rules"', 1)[1].split("</dd>", 1)[0]
        assert "`" not in rules and "&lt;=" not in rules and "<=" not in rules, rules
    english = french["anonymous"].get("/indicators/2?area=XA&lang=en").text
    assert "<code>admission_date</code> ≤ C" in english


def test_declared_order_and_labels_cover_every_code() -> None:
    assert list(labels.CODES["facility_kind"]) == list(codes.FACILITY_KINDS)
    assert list(labels.CODES["legal_status"]) == list(codes.LEGAL_STATUS)
    assert list(labels.CODES["release_reason"]) == list(codes.RELEASE_REASONS)
    assert list(labels.CODES["sex"]) == list(codes.SEX)
    groups = ["unknown", "16_17", "14_15", "under_14"]
    assert sorted(groups, key=lambda g: value_order("age_group", g)) == \
        ["under_14", "14_15", "16_17", "unknown"]


def test_web_entry_errors_are_said_in_french(web: WebCountry, french) -> None:  # noqa: F811
    from test_web_country import IN_FACILITY, csrf_of

    c = french["facility"]
    form = c.get(f"/entry/{IN_FACILITY}/arrests").text
    r = c.post(f"/entry/{IN_FACILITY}/arrests", data={
        "csrf_token": csrf_of(form), "arrest_id": "FR-1", "child_id": "C-FR-1",
        "arrest_date": "31/12/2025", "date_of_birth": "2010-01-01", "sex": "x"})
    assert r.status_code == 422
    page = html.unescape(r.text)
    assert "n'est pas une date écrite AAAA-MM-JJ" in page
    assert "sex vaut 'x', qui n'est pas un code autorisé" in page
    assert "which is not" not in page


def test_the_check_finds_english() -> None:
    english = _one_pattern(*_english())
    with pytest.raises(AssertionError):
        _check("<p>Limits here: pre-sentence 90 days (warning 14 days before); police custody 48 "
               "hours; minimum age 14; releases without aftercare over the last 90 days.</p>",
               "sample", english)
    with pytest.raises(AssertionError):
        _check('<input placeholder="no family contact in the last three months">', "sample",
               english)
    assert _check("<p>Aucun séjour.</p>", "sample", english) == 1
