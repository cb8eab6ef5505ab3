"""How a figure reads on a page: its value with its unit, its interval, its coverage, its chart
rows. Nothing here computes an indicator: it formats figures read from the results table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from jjis.errors import JjisError
from jjis.indicators.base import check_by, parts
from jjis.indicators.catalogue import Catalogue, Indicator
from jjis.indicators.figures import KNOWN_VALUES
from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.web.charts import Bar, bar_chart
from jjis.web.i18n import translator

UNIT_SUFFIX = {"per_100000": " per 100,000", "per_1000": " per 1,000", "percent": "%",
               "days": " days", "count": "", "answer": ""}


def number(v: float, unit: str) -> str:
    if unit == "count":
        return f"{v:,.0f}"
    if unit == "percent":
        return f"{v:.1f}"
    if unit == "days":
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return f"{v:,.1f}" if v >= 10 else f"{v:,.2f}"


def shown(f: Figure | None, *, with_unit: bool = True) -> str:
    """The value as a page shows it: `<5` or `x` when withheld, `—` when not computable."""
    if f is None:
        return "—"
    hidden = shown_value(f)
    if hidden is not None:
        return hidden
    if f.unit == "answer":
        return f.answer or "not measured"
    if f.value is None:
        return "—"
    return number(f.value, f.unit) + (UNIT_SUFFIX.get(f.unit, "") if with_unit else "")


def interval(f: Figure | None) -> str:
    if f is None or f.ci_low is None or f.ci_high is None or f.suppressed:
        return ""
    return f"{number(f.ci_low, f.unit)} – {number(f.ci_high, f.unit)}"


def coverage(f: Figure | None) -> str:
    if f is None or f.coverage_expected is None:
        return ""
    return f"{f.coverage_reported} / {f.coverage_expected}"


def bar(f: Figure, label: str, href: str | None = None, current: bool = False) -> Bar:
    hidden = f.suppressed or f.value is None
    return Bar(label, None if hidden else f.value, shown(f, with_unit=False),
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

    @property
    def value(self) -> str:
        return shown(self.headline)


def indicator_name(ind: Indicator, lang: str) -> str:
    return ind.name_fr if lang == "fr" and ind.name_fr else ind.name_en


def breakdown_label(breakdown: dict[str, str]) -> str:
    return ", ".join(v for _, v in sorted(breakdown.items())) or "total"


def cards(by_area: dict[str, list[Figure]], area: str, children: list[tuple[str, str]],
          by: str | None, lang: str, link: Any, catalogue: Catalogue) -> list[Card]:
    """One card per indicator: headline value, and bars by the chosen breakdown, or else by the
    areas below `area` (children: (area_id, name)); `link(area)` gives the bar's address."""
    mine = [f for f in by_area.get(area, [])]
    out = []
    for ind in catalogue:
        stat = ind.headline
        of_stat = [f for f in mine if f.indicator == ind.id and f.statistic == stat]
        head = next((f for f in of_stat if not f.breakdown), None)
        card = Card(ind, indicator_name(ind, lang), head, stat)
        if stat != "answer":
            shown_figures: list[Figure] = []
            if by:
                shown_figures = [f for f in of_stat if set(f.breakdown) == set(parts(by))]
                bars = [bar(f, ", ".join(f.breakdown[d] for d in parts(by)))
                        for f in shown_figures]
            else:
                bars = []
                for child, name in children:
                    f = next((g for g in by_area.get(child, []) if g.indicator == ind.id
                              and g.statistic == stat and not g.breakdown), None)
                    if f is not None:
                        bars.append(bar(f, name, link(child)))
                        shown_figures.append(f)
            card.chart = bar_chart(bars, f"{card.name}: {stat}", width=420)
            withheld = translator(lang)("withheld")
            card.rows = [{"label": b.label, "shown": b.shown, "counts": counts(f, withheld)}
                         for b, f in zip(bars, shown_figures, strict=True)]
        out.append(card)
    return out


def compare_card(card: Card, released: list[Figure]) -> Card:
    """A draft's card with the released value of the same figure beside it (`released_shown`;
    None when there is no release to compare with)."""
    if card.headline is None:
        return card
    h = card.headline
    match = next((f for f in released if f.indicator == h.indicator and f.statistic == h.statistic
                  and f.breakdown == h.breakdown), None)
    card.released_shown = shown(match) if match is not None else None
    return card


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


def counts(f: Figure | None, withheld: str = "withheld") -> str:
    """The published counts behind a value, `numerator / denominator` (a count alone for a
    count): a withheld count is shown by the figure's mark (`<5`, `x`) for the numerator and
    `withheld` for a denominator, never as a number."""
    if f is None or f.unit in ("answer", "days"):
        return ""

    def one(v: float | None, mark: str) -> str:
        if v is not None:
            return f"{v:,.0f}"
        return mark if f.suppressed else ""

    num = one(f.value if f.unit == "count" else f.numerator, shown_value(f) or withheld)
    if f.unit == "count":
        return num
    den = one(f.denominator, withheld)
    return f"{num or '—'} / {den}" if den else num


def value_order(dim: str, values: list[str], age_groups: list[str]) -> list[str]:
    """Values of a dimension in their code list's declared order, others after, sorted."""
    declared = age_groups if dim == "age_group" else KNOWN_VALUES.get(dim, [])
    rank = {v: i for i, v in enumerate(declared)}
    return sorted(dict.fromkeys(values), key=lambda v: (rank.get(v, len(rank)), v))


def in_order(figures: list[Figure], dim: str, age_groups: list[str]) -> list[Figure]:
    """Figures of one breakdown, in the declared order of its values."""
    order = value_order(dim, [f.breakdown[dim] for f in figures], age_groups)
    return sorted(figures, key=lambda f: order.index(f.breakdown[dim]))


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


def cross_table(figures: list[Figure], statistic: str, by: str,
                age_groups: list[str]) -> CrossTable | None:
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
        r, c, value_order(r, [k[0] for k in cells], age_groups),
        value_order(c, [k[1] for k in cells], age_groups), cells,
        {f.breakdown[r]: f for f in of if set(f.breakdown) == {r}},
        {f.breakdown[c]: f for f in of if set(f.breakdown) == {c}},
        next((f for f in of if not f.breakdown), None))
