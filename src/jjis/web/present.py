"""How a figure reads on a page: its value with its unit, its interval, its coverage, its chart
rows. Nothing here computes an indicator: it formats figures read from the results table."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from jjis.errors import JjisError
from jjis.indicators.base import check_by, parts
from jjis.indicators.catalogue import Catalogue, Indicator
from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.reports.i18n import N_
from jjis.schema import TABLES
from jjis.schema import codes as schema_codes
from jjis.web.charts import Bar, bar_chart
from jjis.web.i18n import words

# The words after a value, by unit ("%" is written without a space).
UNIT_SUFFIX = {"per_100000": N_("per 100,000"), "per_1000": N_("per 1,000"), "days": N_("days")}


def number(v: float, unit: str, lang: str = "en") -> str:
    """A value with the decimals of its unit, written the way the language writes numbers
    (English `1,234.5`, French `1 234,5`)."""
    if unit == "count":
        pattern = "#,##0"
    elif unit == "percent":
        pattern = "0.0"
    elif unit == "days":
        pattern = "#,##0" if float(v).is_integer() else "#,##0.0"
    else:
        pattern = "#,##0.0" if v >= 10 else "#,##0.00"
    if lang == "en":
        decimals = len(pattern.partition(".")[2])
        return f"{v:{',' if ',' in pattern else ''}.{decimals}f}"
    return str(format_decimal(v, pattern, locale=lang))


def shown(f: Figure | None, *, with_unit: bool = True, lang: str = "en") -> str:
    """The value as a page shows it: `<5` or `x` when withheld, `—` when not computable; an
    answer and the unit in the page's language."""
    if f is None:
        return "—"
    hidden = shown_value(f)
    if hidden is not None:
        return hidden
    if f.unit == "answer":
        return words(lang).answer(f.answer) if f.answer else words(lang)._("not measured")
    if f.value is None:
        return "—"
    if not with_unit:
        return number(f.value, f.unit, lang)
    if f.unit == "percent":
        return number(f.value, f.unit, lang) + ("%" if lang == "en" else "\u00a0%")
    suffix = UNIT_SUFFIX.get(f.unit)
    # a no-break space: the value and its unit stay on one line
    return number(f.value, f.unit, lang) + ("\u00a0" + words(lang)._(suffix) if suffix else "")


def interval(f: Figure | None, lang: str = "en") -> str:
    if f is None or f.ci_low is None or f.ci_high is None or f.suppressed:
        return ""
    return f"{number(f.ci_low, f.unit, lang)} – {number(f.ci_high, f.unit, lang)}"


def coverage(f: Figure | None) -> str:
    if f is None or f.coverage_expected is None:
        return ""
    return f"{f.coverage_reported} / {f.coverage_expected}"


def bar(f: Figure, label: str, href: str | None = None, current: bool = False,
        lang: str = "en") -> Bar:
    hidden = f.suppressed or f.value is None
    return Bar(label, None if hidden else f.value, shown(f, with_unit=False, lang=lang),
               None if hidden else f.ci_low, None if hidden else f.ci_high, href, current)


@dataclass
class Card:
    indicator: Indicator
    name: str
    headline: Figure | None
    statistic: str
    chart: Markup = Markup("")
    rows: list[dict[str, Any]] = field(default_factory=list)
    released_shown: str | None = None  # drafts: the value of the release served
    lang: str = "en"

    @property
    def value(self) -> str:
        return shown(self.headline, lang=self.lang)


def indicator_name(ind: Indicator, lang: str) -> str:
    return ind.name_fr if lang == "fr" and ind.name_fr else ind.name_en


def breakdown_label(breakdown: dict[str, str], lang: str = "en") -> str:
    L = words(lang)
    return ", ".join(L.breakdown_value(k, v) for k, v in sorted(breakdown.items())) \
        or L._("Total")


def value_label(dim: str, value: str, lang: str) -> str:
    """A breakdown's value as a page names it (never its code)."""
    return words(lang).breakdown_value(dim, value, short=True)


def value_order(dim: str, value: str) -> tuple[int, float, str]:
    """The declared order of a breakdown's values: schema/codes.py's code lists; age groups by
    age (`under_14` first); ICCS sections by number; anything unknown last."""
    declared = {"sex": schema_codes.SEX, "facility_kind": schema_codes.FACILITY_KINDS,
                "legal_status": schema_codes.LEGAL_STATUS}.get(dim)
    if declared is not None and value in declared:
        return (0, declared.index(value), value)
    if dim == "age_group":
        m = re.fullmatch(r"under_(\d+)", value)
        if m:
            return (0, -1, value)
        m = re.fullmatch(r"(\d+)_(\d+|plus)", value) or re.fullmatch(r"(\d+)(?:_plus|\+)", value)
        if m:
            return (0, int(m.group(1)), value)
    if dim == "offence" and value.isdigit():
        return (0, int(value), value)
    return (1, 0, value)


def in_order(figures: Iterable[Figure], dim: str | None) -> list[Figure]:
    """Figures of one breakdown in the declared order of its values."""
    return sorted(figures, key=lambda f: value_order(dim or "", f.breakdown.get(dim or "", "")))


def statistics_in_order(figures: Iterable[Figure], ind: Indicator) -> list[Figure]:
    """Figures of an indicator in the catalogue's order of its statistics (duration bands from
    the shortest to the longest), not the order of their codes."""
    order = list(ind.statistics)
    return sorted(figures, key=lambda f: (order.index(f.statistic) if f.statistic in order
                                          else len(order), f.statistic))


_COLUMNS = sorted({c.name for t in TABLES.values() for c in t.columns if "_" in c.name},
                  key=len, reverse=True)
_NAMED = re.compile(r"`([^`]+)`|\b(" + "|".join(map(re.escape, _COLUMNS)) + r")\b")
_SIGNS = {"<=": "≤", ">=": "≥", "!=": "≠"}


def prose(text: str) -> Markup:
    """Catalogue text (hard-wrapped lines, blank lines between paragraphs) as HTML paragraphs:
    names of columns and codes (written `so` in the catalogue, or a register's column) as
    <code>, comparison signs as ≤ ≥ ≠; no backticks left."""
    out = []
    for para in text.split("\n\n"):
        plain = " ".join(para.split())
        if not plain:
            continue
        for sign, shown_as in _SIGNS.items():
            plain = plain.replace(f" {sign} ", f" {shown_as} ")
        html, last = [], 0
        for m in _NAMED.finditer(plain):
            html.append(str(escape(plain[last:m.start()])))
            html.append(f"<code>{escape(m.group(1) or m.group(2))}</code>")
            last = m.end()
        html.append(str(escape(plain[last:].replace("`", ""))))
        out.append("<p>" + "".join(html) + "</p>")
    return Markup("".join(out))


def cards(by_area: dict[str, list[Figure]], area: str, children: list[tuple[str, str]],
          by: str | None, lang: str, link: Any, catalogue: Catalogue) -> list[Card]:
    """One card per indicator: headline value, and bars by the chosen breakdown, or else by the
    areas below `area` (children: (area_id, name)); `link(area)` gives the bar's address."""
    mine = [f for f in by_area.get(area, [])]
    out, L = [], words(lang)
    for ind in catalogue:
        stat = ind.headline
        of_stat = [f for f in mine if f.indicator == ind.id and f.statistic == stat]
        head = next((f for f in of_stat if not f.breakdown), None)
        card = Card(ind, indicator_name(ind, lang), head, stat, lang=lang)
        if stat != "answer":
            shown_figures: list[Figure] = []
            if by:
                shown_figures = cross_in_order(
                    [f for f in of_stat if set(f.breakdown) == set(parts(by))], by)
                bars = [bar(f, ", ".join(value_label(d, f.breakdown[d], lang) for d in parts(by)),
                            lang=lang) for f in shown_figures]
            else:
                bars = []
                for child, name in children:
                    f = next((g for g in by_area.get(child, []) if g.indicator == ind.id
                              and g.statistic == stat and not g.breakdown), None)
                    if f is not None:
                        bars.append(bar(f, name, link(child), lang=lang))
                        shown_figures.append(f)
            card.chart = bar_chart(bars, f"{card.name}: {L.statistic_name(ind.id, stat)}",
                                   width=420)
            withheld = L._("withheld")
            card.rows = [{"label": b.label, "shown": b.shown, "counts": counts(f, withheld, lang)}
                         for b, f in zip(bars, shown_figures, strict=True)]
        out.append(card)
    return out


def compare_card(card: Card, released: list[Figure], lang: str = "en") -> Card:
    """A draft's card with the released value of the same figure beside it (`released_shown`;
    None when there is no release to compare with)."""
    if card.headline is None:
        return card
    h = card.headline
    match = next((f for f in released if f.indicator == h.indicator and f.statistic == h.statistic
                  and f.breakdown == h.breakdown), None)
    card.released_shown = shown(match, lang=lang) if match is not None else None
    return card


def action_detail(item: Any, lang: str) -> str:
    """An action list item's detail in the page's language (codes named by their words)."""
    if not getattr(item, "template", ""):
        return str(item.detail)
    fields = dict(item.fields)
    if "reason" in fields:
        fields["reason"] = words(lang).code_label("release_reason", fields["reason"])
    return words(lang)._(item.template, **fields)


def note(f: Figure, lang: str, threshold: int) -> str:
    """A figure's note in the page's language, rendered from its notes' codes and values as the
    reports render them (reports/notes.py), counts of children below `threshold` shown as `<t`."""
    from jjis.reports.notes import note_text

    return "; ".join(note_text(f.note, words(lang), threshold))


# -- breakdowns: counts beside values, declared order, cross tables ---------------------------

CROSSED = ("sex*age_group",)  # the cross breakdown the pages offer (and every release holds)


def checked_by(by: str | None) -> str | None:
    """A page's or the API's `by`: one breakdown, or two crossed (`sex*age_group`, either order),
    in its canonical name; ValueError naming what is allowed."""
    if not by:
        return None
    try:
        return check_by([by])[-1]
    except JjisError as e:
        raise ValueError(str(e)) from None


def counts(f: Figure | None, withheld: str = "withheld", lang: str = "en") -> str:
    """The published counts behind a value, `numerator / denominator` (a count alone for a
    count): a withheld count is shown by the figure's mark (`<5`, `x`) for the numerator and
    `withheld` for a denominator, never as a number."""
    if f is None or f.unit in ("answer", "days"):
        return ""

    def one(v: float | None, mark: str) -> str:
        if v is not None:
            return number(v, "count", lang)
        return mark if f.suppressed else ""

    num = one(f.value if f.unit == "count" else f.numerator, shown_value(f) or withheld)
    if f.unit == "count":
        return num
    den = one(f.denominator, withheld)
    return f"{num or '—'} / {den}" if den else num


def values_in_order(dim: str, values: Iterable[str]) -> list[str]:
    """Values of a dimension in their declared order (value_order)."""
    return sorted(dict.fromkeys(values), key=lambda v: value_order(dim, v))


def cross_in_order(figures: Iterable[Figure], by: str) -> list[Figure]:
    """Figures of one breakdown, single or crossed, in the declared order of their values."""
    names = parts(by)
    return sorted(figures, key=lambda f: tuple(value_order(d, f.breakdown.get(d, ""))
                                               for d in names))


@dataclass
class CrossTable:
    """One statistic by two dimensions: cells, the single breakdowns as margins, the total."""

    rows: str  # dimension of the rows (sex)
    cols: str  # dimension of the columns (age_group)
    row_values: list[str]
    col_values: list[str]
    cells: dict[tuple[str, str], Figure]
    row_margins: dict[str, Figure]
    col_margins: dict[str, Figure]
    total: Figure | None


def cross_table(figures: list[Figure], statistic: str, by: str) -> CrossTable | None:
    """The cross table of `statistic` for the cross breakdown `by` (`sex*age_group`) from one
    area's figures; None when there is none (the indicator is not broken down by both)."""
    names = parts(by)
    if len(names) != 2:
        return None
    r, c = names
    of = [f for f in figures if f.statistic == statistic]
    cells = {(f.breakdown[r], f.breakdown[c]): f for f in of if set(f.breakdown) == {r, c}}
    if not cells:
        return None
    return CrossTable(
        r, c, values_in_order(r, [k[0] for k in cells]),
        values_in_order(c, [k[1] for k in cells]), cells,
        {f.breakdown[r]: f for f in of if set(f.breakdown) == {r}},
        {f.breakdown[c]: f for f in of if set(f.breakdown) == {c}},
        next((f for f in of if not f.breakdown), None))
