"""The notes of published figures, in the report's language: rendered at the edge from the
notes' codes and values (jjis.notes), for the reports, the command line and the web pages.

A figure's note is stored as its notes (`jjis.notes.load`); each note type's message is the
text a reader sees, translated through the gettext catalogue, with the plural chosen by its
count `n`. A note written by hand (of no known type) is shown as written. Coverage is shown from
the figure's own fields, so its note has no message and is left out here.
"""

from __future__ import annotations

from jjis import notes
from jjis.reports.formatting import Lang
from jjis.reports.model import ReportModel, Section


def render(n: notes.Note, lang: Lang, threshold: int, *, everything: bool = False) -> str | None:
    """One note in the reader's language (None: shown elsewhere, leave it out; with
    `everything`, such a note is given by its template). Counts of children follow disclosure
    control: 1 to t - 1 read `<t` (and take the plural)."""
    return notes.render(n, threshold, everything=everything, gettext=lang.gettext,
                        ngettext=lang.ngettext, number=lang.number)


def note_text(note: str | None, lang: Lang, threshold: int, *, everything: bool = False
              ) -> list[str]:
    """The notes of a figure to show, translated, in order, without repeats."""
    out: list[str] = []
    for n in notes.load(note):
        text = render(n, lang, threshold, everything=everything)
        if text and text not in out:
            out.append(text)
    return out


def messages_text(items: list[notes.Note], lang: Lang) -> list[str]:
    """A computation's warnings or problems in the reader's language, in order."""
    return [render(n, lang, 1, everything=True) or "" for n in items]


def _listing(names: list[str], lang: Lang, limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " " + lang.n_("and {n} more", "and {n} more", len(names) - limit)
    return shown


def _withheld(section: Section, model: ReportModel, lang: Lang) -> list[str]:
    shown = list(section.figures)
    primary = sum(1 for f in shown if f.suppressed
                  and any(n.code == "withheld-primary" for n in f.notes))
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
