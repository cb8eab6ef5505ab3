"""Words, numbers and dates of one language: gettext for the words, Babel for the rest.

A `Lang` is what every writer holds: `lang.gettext(...)` translates, `lang.value(figure)` shows a
published figure as the report shows it (`<5` or `x` when withheld, a dash when it could not be
computed), `lang.date(d)` writes a date the way the language does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from jjis.indicators.catalogue import Indicator
from jjis.indicators.results import Figure
from jjis.publish import shown_value
from jjis.reports import i18n, labels

NOT_COMPUTED = "–"

# Decimal places shown per unit (the exact value stays in data attributes, XLSX and SDMX).
DECIMALS = {"per_100000": 1, "per_1000": 1, "percent": 1, "days": 1, "count": 0}


class Lang:
    def __init__(self, code: str) -> None:
        self.code = i18n.check_language(code)
        self.locale = i18n.locale(code)
        self.translations = i18n.translations(code)
        pattern = str(self.locale.percent_formats[None].pattern)  # the locale's, one decimal
        last = pattern.rfind("0")
        self._percent = pattern[:last + 1] + ".0" + pattern[last + 1:]

    # -- words ---------------------------------------------------------------------------------
    def gettext(self, message: str) -> str:
        return str(self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(self.translations.ngettext(singular, plural, n))

    def n_(self, singular: str, plural: str, count: int, **kw: Any) -> str:
        """The form of a message for `count` (the language's plural rules: French says
        "0 chiffre", "1 chiffre", "2 chiffres"), with {n} the count written for the language
        unless given."""
        kw.setdefault("n", self.number(count))
        return self.ngettext(singular, plural, count).format(**kw)

    def _(self, message: str, **kw: Any) -> str:
        text = self.gettext(message)
        return text.format(**kw) if kw else text

    def indicator_text(self, ind: Indicator, field: str) -> str:
        """A text of the catalogue in this language: the catalogue's own `<field>_<lang>` when
        it has one, else the translation of the English text."""
        own = getattr(ind, f"{field}_{self.code}", None) if field in ("name", "rules") else None
        if own:
            return str(own)
        english = getattr(ind, f"{field}_en" if field in ("name", "rules") else field)
        return self.gettext(str(english))

    def statistic(self, indicator: int, statistic: str) -> str:
        msg = labels.STATISTICS_OF.get((indicator, statistic)) or labels.STATISTICS[statistic]
        return self.gettext(msg)

    def column(self, indicator: int, statistic: str) -> str:
        """The short heading of a table column."""
        msg = labels.COLUMNS_OF.get((indicator, statistic)) or labels.COLUMNS.get(statistic)
        return self.gettext(msg) if msg else self.statistic(indicator, statistic)

    def by(self, dim: str) -> str:
        return self.gettext(labels.BY[dim])

    def unit(self, unit: str) -> str:
        return self.gettext(labels.UNITS[unit])

    def dimension(self, dim: str) -> str:
        return self.gettext(labels.DIMENSIONS[dim])

    def breakdown_value(self, dim: str, value: str, short: bool = False) -> str:
        if (dim, value) in labels.VALUES:
            return self.gettext(labels.VALUES[(dim, value)])
        if dim == "age_group":
            m = re.fullmatch(r"under_(\d+)", value) or re.fullmatch(r"(\d+)_(\d+)", value)
            if m and value.startswith("under_"):
                return self._(labels.AGE_UNDER, n=m.group(1))
            if m:
                return self._(labels.AGE_RANGE, lo=m.group(1), hi=m.group(2))
        if dim in labels.CODES and value in labels.CODES[dim]:
            return self.gettext(labels.CODES[dim][value])
        if dim == "offence":
            from jjis.schema.codes import ICCS_SECTIONS

            if short and value in labels.ICCS_SHORT:
                return f"{value} {self.gettext(labels.ICCS_SHORT[value])}"
            if value in ICCS_SECTIONS:
                return f"{value} {self.gettext(ICCS_SECTIONS[value])}"
        return value

    def code_label(self, dim: str, value: str | None) -> str:
        """The word for a register's code (labels.CODES), the code itself if it has none."""
        if value is None:
            return ""
        msg = labels.CODES.get(dim, {}).get(value)
        return self.gettext(msg) if msg else value

    def breakdown_name(self, dim: str) -> str:
        """A breakdown's name; a cross breakdown (`sex*age_group`) names both, "sex × age group"."""
        if "*" in dim:
            return " × ".join(self.breakdown_name(d) for d in dim.split("*"))
        msg = labels.BREAKDOWN_NAMES.get(dim)
        return self.gettext(msg) if msg else dim.replace("_", " ")

    def statistic_name(self, indicator: int, statistic: str) -> str:
        """A statistic's label; one without a label is named by its code's words."""
        if (indicator, statistic) in labels.STATISTICS_OF or statistic in labels.STATISTICS:
            return self.statistic(indicator, statistic)
        return statistic.replace("_", " ")

    def level(self, level: str) -> str:
        if level in labels.LEVELS:
            return self.gettext(labels.LEVELS[level])
        return self._(labels.LEVEL_OTHER, level=level)

    def answer(self, answer: str | None) -> str:
        if answer is None:
            return NOT_COMPUTED
        return self.gettext(labels.ANSWERS.get(answer, answer))

    # -- numbers and dates -----------------------------------------------------------------------
    def number(self, value: float | None, decimals: int = 0) -> str:
        if value is None:
            return NOT_COMPUTED
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return str(format_decimal(value, pattern, locale=self.locale))

    def amount(self, value: float | None, unit: str) -> str:
        """A value in its unit: percentages with the locale's percent sign, others plain."""
        if value is None:
            return NOT_COMPUTED
        if unit == "percent":
            return str(format_percent(value / 100, self._percent, locale=self.locale))
        return self.number(value, DECIMALS.get(unit, 1))

    def value(self, f: Figure) -> str:
        """A published figure as every report shows it."""
        shown = shown_value(f)
        if shown is not None:
            return shown
        if f.unit == "answer":
            return self.answer(f.answer)
        return self.amount(f.value, f.unit)

    def interval(self, f: Figure) -> str:
        if f.ci_low is None or f.ci_high is None or f.suppressed:
            return ""
        return f"{self.amount(f.ci_low, f.unit)} – {self.amount(f.ci_high, f.unit)}"

    def count(self, value: float | None) -> str:
        if value is None:
            return NOT_COMPUTED
        return self.number(value, 0 if float(value).is_integer() else 1)

    def labelled(self, label: str, value: str) -> str:
        """`label: value`, punctuated the way the language does."""
        return self._("{label}: {value}", label=label, value=value)

    def coverage(self, f: Figure) -> str:
        if f.coverage_expected is None or f.coverage_reported is None:
            return ""
        return self._("{reported} of {expected}", reported=f.coverage_reported,
                      expected=f.coverage_expected)

    def timeliness(self, f: Figure) -> str:
        """Of the sources that sent data, those whose data came within the deadline."""
        if f.timely_reported is None or f.coverage_reported is None:
            return ""
        return self._("{timely} of {reported}", timely=f.timely_reported,
                      reported=f.coverage_reported)

    def date(self, d: dt.date, style: str = "long") -> str:
        return str(format_date(d, style, locale=self.locale))

    def short_date(self, d: dt.date) -> str:
        return str(format_date(d, "medium", locale=self.locale))


def figure_key(f: Figure) -> str:
    """The key of a figure in data attributes: indicator|statistic|area|census date|breakdown."""
    return f"{f.indicator}|{f.statistic}|{f.area}|{f.census_date.isoformat()}|{f.breakdown_json}"


def raw_value(f: Figure) -> str:
    """The exact published value, as data attributes carry it ('' when none)."""
    if f.unit == "answer":
        return f.answer or ""
    return "" if f.value is None else repr(float(f.value))
