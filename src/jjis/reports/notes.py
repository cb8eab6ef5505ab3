"""The notes of published figures, in the report's language.

A figure's note joins fragments with "; " (the engine's, the publication layer's). Each fragment
the program writes is declared here as a pattern and the message it becomes; a fragment no
pattern matches is shown as written. Coverage is shown from the figure's own fields, so its
fragment is dropped here.
"""

from __future__ import annotations

import re

from jjis.reports.formatting import Lang
from jjis.reports.i18n import N_, Np_
from jjis.reports.model import ReportModel, Section

FIELDS = {"events": N_("the number of arrests"), "unknown": N_("the number left out as unknown"),
          "over_age": N_("the number left out as 18 or older"),
          "unknown_age": N_("the number of children of unknown age")}

Message = str | tuple[str, str] | None  # a message, one with a plural, or None (left out)

PATTERNS: tuple[tuple[str, Message], ...] = (
    (r"<(?P<t>\d+): built on a count from 1 to (?P<t1>\d+), withheld \(disclosure control\)",
     N_("<{t}: built on a count from 1 to {t1}, withheld (disclosure control).")),
    (r"x: withheld so that a withheld value cannot be worked out from totals "
     r"\(disclosure control\)",
     N_("x: withheld so that a withheld value cannot be worked out from totals "
        "(disclosure control).")),
    (r"(?P<fields>[a-z_, ]+) withheld \(disclosure control\)",
     N_("Withheld (disclosure control): {fields}.")),
    (r"coverage: \d+ of \d+ registered sources sent data", None),
    (r"no source of the kind this indicator needs is registered in this area",
     N_("No source of the kind this indicator needs is registered in this area.")),
    (r"the denominator is 0: nothing to count", N_("Nothing to count: the denominator is 0.")),
    (r"the population is 0", N_("The population is 0.")),
    (r"age estimated from the age column for (?P<n>\d+)",
     Np_("Age worked out from the recorded age (no date of birth) for {n} child.",
         "Age worked out from the recorded age (no date of birth) for {n} children.")),
    (r"includes aggregate returns",
     N_("Includes aggregate returns (counts sent without records).")),
    (r"(?P<source>\S+) sent both records and an aggregate return of (?P<measure>\S+) for "
     r"(?P<date>\S+): records counted",
     N_("{source} sent both records and an aggregate return of {measure} for {date}; the "
        "records were counted.")),
    (r"no population for (?P<areas>.+) in (?P<year>\d{4}): import the population register "
     r"for \d{4}",
     N_("No population for {areas} in {year}: the population register for {year} is "
        "needed.")),
    (r"no population for sex '(?P<value>[^']*)'",
     N_("No population is recorded for this sex, so no rate.")),
    (r"no population for age group '(?P<value>[^']*)'",
     N_("No population is recorded for this age group, so no rate.")),
    (r"no checklist item answered as of the census date",
     N_("No checklist item was answered as of the census date.")),
    (r"(?P<n>\d+) children held less than three months left out",
     Np_("{n} child held for less than three months was left out.",
         "{n} children held for less than three months were left out.")),
)
_COMPILED = tuple((re.compile(p), m) for p, m in PATTERNS)


def fragments(note: str | None) -> list[str]:
    return [p.strip() for p in (note or "").split(";") if p.strip()]


def _mask(kw: dict[str, str], threshold: int) -> tuple[dict[str, str], int]:
    """Counts of children in a note follow disclosure control too: 1 to t - 1 become `<t`.
    Also the count that chooses the plural form (a masked count reads as a plural)."""
    count = int(kw["n"]) if "n" in kw else 0
    if "n" in kw and 0 < count < threshold:
        kw["n"], count = f"<{threshold}", threshold
    return kw, count


def translate(fragment: str, lang: Lang, threshold: int) -> str | None:
    """One fragment in the report's language (None: shown elsewhere, leave it out)."""
    for pattern, message in _COMPILED:
        m = pattern.fullmatch(fragment)
        if not m:
            continue
        if message is None:
            return None
        kw, count = _mask(m.groupdict(), threshold)
        if "fields" in kw:
            kw["fields"] = ", ".join(lang.gettext(FIELDS.get(f.strip(), f.strip()))
                                     for f in kw["fields"].split(","))
        if isinstance(message, tuple):
            return lang.n_(*message, count, **kw)
        return lang._(message, **kw)
    return fragment


def note_text(note: str | None, lang: Lang, threshold: int) -> list[str]:
    """The fragments of a figure's note to show, translated, in order, without repeats."""
    out: list[str] = []
    for frag in fragments(note):
        text = translate(frag, lang, threshold)
        if text and text not in out:
            out.append(text)
    return out


def _listing(names: list[str], lang: Lang, limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " " + lang.n_("and {n} more", "and {n} more", len(names) - limit)
    return shown


def _withheld(section: Section, model: ReportModel, lang: Lang) -> list[str]:
    shown = list(section.figures)
    primary = sum(1 for f in shown if f.suppressed and (f.note or "").startswith("<"))
    secondary = sum(1 for f in shown if f.suppressed) - primary
    out = []
    if primary:
        out.append(lang.n_("{n} figure of this section is shown as {mark}: it rests on a count "
                           "from 1 to {t1} (disclosure control).",
                           "{n} figures of this section are shown as {mark}: they rest on a "
                           "count from 1 to {t1} (disclosure control).", primary,
                           mark="<" + str(model.threshold), t1=model.threshold - 1))
    if secondary:
        out.append(lang.n_("{n} figure of this section is shown as x: withheld so that a "
                           "withheld value cannot be worked out from totals.",
                           "{n} figures of this section are shown as x: withheld so that a "
                           "withheld value cannot be worked out from totals.", secondary))
    return out


def _areas(section: Section, model: ReportModel, lang: Lang) -> list[str]:
    """Where coverage is below full, and where no figure could be computed (and why)."""
    low: list[str] = []
    missing: dict[str, list[str]] = {}
    for level in section.levels:
        for row in level.rows:
            f = row.get(section.headline)
            if f is None:
                continue
            name = model.areas[row.code].name
            if f.coverage_expected and (f.coverage_reported or 0) < f.coverage_expected:
                low.append(f"{name} ({lang.coverage(f)})")
            if f.value is None and f.answer is None and not f.suppressed:
                for text in note_text(f.note, lang, model.threshold) or [lang._("No figure.")]:
                    missing.setdefault(text, []).append(name)
    out = []
    if low:
        out.append(lang._("Not every registered source sent data in: {areas}.",
                          areas=_listing(low, lang)))
    out += [f"{text.rstrip('.')} – {_listing(names, lang)}." for text, names in missing.items()]
    return out


def section_notes(section: Section, model: ReportModel, lang: Lang) -> list[str]:
    """The notes under an indicator: the report area's own notes, what is withheld, where
    coverage is below full and where no figure could be computed."""
    out: list[str] = []
    for f in section.key:
        if f.suppressed:
            continue
        out += [t for t in note_text(f.note, lang, model.threshold) if t not in out]
    return out + _withheld(section, model, lang) + _areas(section, model, lang)
