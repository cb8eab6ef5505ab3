"""Breakdowns on the web and the API: counts beside the values, and the cross table sex x age
group, read from the release (the public) or the current data (signed in)."""

from __future__ import annotations

import html as htmllib
import re

from jjis.publish.disclosure import shown_value
from test_web_country import WebCountry, web  # noqa: F401  (the module fixture)


def _cells(page: str) -> list[str]:
    table = page[page.index('class="small cross"'):]
    table = table[:table.index("</table>")]
    return [htmllib.unescape(re.sub(r"<[^>]+>", " ", c)).split()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]  # type: ignore[misc]


def test_the_api_gives_the_cross_table_with_its_margins_and_counts(web: WebCountry) -> None:  # noqa: F811
    r = web.client.get("/api/indicators?by=age_group*sex&area=XA")  # either order
    assert r.status_code == 200, r.text
    figs = [f for f in r.json() if f["indicator"] == 2 and f["statistic"] == "rate"
            and f["area"] == "XA"]
    cells = {(f["breakdown"]["sex"], f["breakdown"]["age_group"]): f for f in figs
             if len(f["breakdown"]) == 2}
    rows = {f["breakdown"]["sex"]: f for f in figs if set(f["breakdown"]) == {"sex"}}
    cols = {f["breakdown"]["age_group"]: f for f in figs if set(f["breakdown"]) == {"age_group"}}
    (total,) = [f for f in figs if not f["breakdown"]]
    assert {s for s, _ in cells} == set(rows) == {"f", "m", "u"}
    assert {a for _, a in cells} == set(cols)
    for f in [*cells.values(), *rows.values(), *cols.values(), total]:
        if f["suppressed"]:  # a withheld count is not given
            assert f["numerator"] is None and f["value"] is None
        else:
            assert f["numerator"] is not None
    # published margins add up from published cells where the whole row is published
    for s, margin in rows.items():
        row = [cells[(s, a)] for a in cols]
        if not margin["suppressed"] and not any(c["suppressed"] for c in row):
            assert margin["numerator"] == sum(c["numerator"] for c in row)
    assert not total["suppressed"]
    if not any(f["suppressed"] for f in rows.values()):
        assert total["numerator"] == sum(f["numerator"] for f in rows.values())


def test_bad_cross_breakdowns_are_refused_naming_what_is_allowed(web: WebCountry) -> None:  # noqa: F811
    for by, words in (("sex*sex", "two different"), ("sex*colour", "allowed: sex, age_group"),
                      ("sex*age_group*offence", "two dimensions")):
        r = web.client.get(f"/api/indicators?by={by}")
        assert r.status_code == 422 and words in r.json()["error"], (by, r.text)


def test_the_indicator_page_shows_the_cross_table_with_counts(web: WebCountry) -> None:  # noqa: F811
    page = web.session("anonymous").get("/indicators/2?by=sex*age_group&area=XA")
    assert page.status_code == 200, page.text
    text = page.text
    assert 'class="small cross"' in text
    # rows and columns by their labels, in the declared order
    head = text[text.index('class="small cross"'):text.index("</thead>", text.index("cross"))]
    assert head.index("Under 14") < head.index("14") < head.index("16")
    assert text.index(">Girls<") < text.index(">Boys<")
    released = web.client.get("/api/indicators?by=sex*age_group&area=XA").json()
    ind2 = [f for f in released if f["indicator"] == 2 and f["statistic"] == "rate"
            and f["area"] == "XA"]
    f_cell = next(f for f in ind2 if f["breakdown"] == {"sex": "f", "age_group": "14_15"})
    cells = _cells(text)
    assert len(cells) == 5 * 4  # 3 sexes and the margin, 4 age groups and the margin
    # row Girls, column 14-15: the value and its counts (or the mark where withheld)
    girls_14 = cells[1]
    if f_cell["suppressed"]:
        assert girls_14[0] in ("x", "<5")
        assert f"{f_cell['denominator']:,.0f}" in girls_14  # the population is public
    else:
        assert f"{f_cell['numerator']:,.0f}" in girls_14


def test_single_breakdowns_show_counts_beside_values(web: WebCountry) -> None:  # noqa: F811
    c = web.session("admin")
    text = c.get("/indicators/7?by=sex&area=XA").text
    section = text[text.index('id="by-h"'):text.index('id="cmp-h"')]
    assert "Numerator" in section and "Denominator" in section
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>.*?<td class="counts">(.*?)</td>',
                      section, re.S)
    assert [r[0] for r in rows][:2] == ["Girls", "Boys"]
    for _, counts in rows:
        assert re.fullmatch(r"[\d,]+ / [\d,]+|—|", counts.strip()), counts


def test_withheld_counts_are_shown_withheld() -> None:
    from datetime import date

    from jjis.indicators.results import Figure
    from jjis.notes import join, note
    from jjis.web.present import counts

    d = date(2025, 12, 31)
    f = Figure(3, "share_of_detained", "A", d, d, d, "percent", numerator=None, denominator=40,
               suppressed=True, note=join(note("withheld-primary", t=5, t1=4)))
    assert counts(f) == "<5 / 40" and shown_value(f) == "<5"
    f = Figure(1, "events", "A", d, d, d, "count", numerator=None, value=None, suppressed=True,
               note=join(note("withheld-secondary")))
    assert counts(f) == "x"
    f = Figure(7, "percent", "A", d, d, d, "percent", numerator=None, denominator=None,
               suppressed=True, note=join(note("withheld-primary", t=5, t1=4)))
    assert counts(f, "masqué") == "<5 / masqué"
    assert counts(Figure(2, "rate", "A", d, d, d, "per_100000", numerator=12,
                         denominator=3600, value=333.3)) == "12 / 3,600"


def test_dashboard_cards_show_counts_beside_the_bars(web: WebCountry) -> None:  # noqa: F811
    text = web.session("anonymous").get("/dashboard?by=sex*age_group&area=XA").text
    counts = re.findall(r'<td class="counts">(.*?)</td>', text, re.S)
    assert counts, "the cards' tables have counts"
    for c in counts:  # a published count, or the mark of a withheld one, never a small number
        c = htmllib.unescape(c).strip()
        assert re.fullmatch(r"(<5|x|[\d,]+|—)( / ([\d,]+|withheld))?|", c), c
        assert not re.match(r"[1-4] /|[1-4]$", c), c
