"""The catalogue of notes on figures: each a code, the English text stored in a figure's note,
the message a reader sees (a gettext message id, with its plural where the note carries a count
`n`) and which of its values are counts of children.

The engine and the publication layer make notes with `note(code, **values)` and join them into
a figure's note (`join`); the stored text is the English template filled in, so results and
releases already written read as before. Whatever reads a note (disclosure control, the reports,
the command line, the web pages) reads it back as `Note`s with `parse` and works on the code and
the values: counts are masked by value, messages are rendered at the edge in the reader's
language (jjis.reports.notes.render). `jjis docs` lists the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

Message = str | tuple[str, str] | None  # a message, one with a plural on `n`, or None (shown
# elsewhere: the note is left out of the text)


@dataclass(frozen=True)
class NoteType:
    code: str
    template: str  # English, as stored in a figure's note; `str.format` over the values
    message: Message  # what a reader sees (gettext message id); `{name}` takes the values
    counts: tuple[str, ...] = ()  # values that are counts of children (disclosure control)


CATALOGUE: dict[str, NoteType] = {
    n.code: n
    for n in (
        NoteType("withheld-primary",
                 "<{t}: built on a count from 1 to {t1}, withheld (disclosure control)",
                 "<{t}: built on a count from 1 to {t1}, withheld (disclosure control)."),
        NoteType("withheld-secondary",
                 "x: withheld so that a withheld value cannot be worked out from totals "
                 "(disclosure control)",
                 "x: withheld so that a withheld value cannot be worked out from totals "
                 "(disclosure control)."),
        NoteType("withheld-fields", "{fields} withheld (disclosure control)",
                 "Withheld (disclosure control): {fields}."),
        NoteType("coverage", "coverage: {reported} of {expected} registered sources sent data",
                 None),
        NoteType("no-source", "no source of the kind this indicator needs is registered in "
                 "this area",
                 "No source of the kind this indicator needs is registered in this area."),
        NoteType("denominator-zero", "the denominator is 0: nothing to count",
                 "Nothing to count: the denominator is 0."),
        NoteType("population-zero", "the population is 0", "The population is 0."),
        NoteType("age-estimated", "age estimated from the age column for {n}",
                 ("Age worked out from the recorded age (no date of birth) for {n} child.",
                  "Age worked out from the recorded age (no date of birth) for {n} children."),
                 counts=("n",)),
        NoteType("aggregate-returns", "includes aggregate returns",
                 "Includes aggregate returns (counts sent without records)."),
        NoteType("records-and-return",
                 "{source} sent both records and an aggregate return of {measure} for {date}: "
                 "records counted",
                 "{source} sent both records and an aggregate return of {measure} for {date}; "
                 "the records were counted."),
        NoteType("no-population",
                 "no population for {areas} in {year}: import the population register for {year}",
                 "No population for {areas} in {year}: the population register for {year} is "
                 "needed."),
        NoteType("no-population-sex", "no population for sex '{value}'",
                 "No population is recorded for this sex, so no rate."),
        NoteType("no-population-age-group", "no population for age group '{value}'",
                 "No population is recorded for this age group, so no rate."),
        NoteType("no-rate-by-sex", "no rate by sex: {area} has population for both sexes "
                 "together only; import it by sex",
                 "No rate by sex: {area} has population for both sexes together only."),
        NoteType("population-as-of", "population as of {day}", "Population as of {day}."),
        NoteType("population-both-sexes", "population of both sexes together",
                 "Population of both sexes together."),
        NoteType("population-apportioned", "population apportioned from the age band {lo}–{hi}",
                 "Population apportioned from the age band {lo}–{hi}."),
        NoteType("arrests-without-children",
                 "no rate: sources in {areas} reported arrests (events), not the distinct "
                 "children arrested",
                 "No rate: sources in {areas} reported arrests, not the distinct children "
                 "arrested."),
        NoteType("children-without-arrests",
                 "no number of arrests: sources in {areas} reported the distinct children "
                 "arrested, not the arrests",
                 "No number of arrests: sources in {areas} reported the distinct children "
                 "arrested, not the arrests."),
        NoteType("no-checklist-answer", "no checklist item answered as of the census date",
                 "No checklist item was answered as of the census date."),
        NoteType("short-stays-left-out", "{n} children held less than three months left out",
                 ("{n} child held for less than three months was left out.",
                  "{n} children held for less than three months were left out."),
                 counts=("n",)),
    )
}
TEXT = "text"  # the code of a fragment no note type matches (shown as written)


@dataclass(frozen=True)
class Note:
    """One note: its type's code and its values."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> NoteType | None:
        return CATALOGUE.get(self.code)

    @property
    def text(self) -> str:
        """The note as stored (English)."""
        t = self.type
        return str(self.values.get("text", "")) if t is None else t.template.format(**self.values)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "values": dict(self.values)}


def note(code: str, **values: Any) -> Note:
    """A note of a catalogued type; every value its template names must be given."""
    t = CATALOGUE[code]
    wanted = set(_fields(t.template))
    if set(values) != wanted:
        raise ValueError(f"note {code} takes {sorted(wanted)}, not {sorted(values)}")
    return Note(code, values)


def join(*parts: Note | str | None) -> str | None:
    """A figure's note: the texts of the notes (and notes already joined), in order, `; `
    between them; None when there are none."""
    texts = [p.text if isinstance(p, Note) else p for p in parts]
    out = "; ".join(t for t in texts if t)
    return out or None


def _fields(template: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\{(\w+)\}", template)]


@cache
def _pattern(t: NoteType) -> re.Pattern[str]:
    """The stored text of notes of type `t`, as a pattern derived from the template."""
    out, seen, last = [], set(), 0
    for m in re.finditer(r"\{(\w+)\}", t.template):
        out.append(re.escape(t.template[last:m.start()]))
        name = m.group(1)
        if name in seen:
            out.append(f"(?P={name})")
        else:
            # a count is digits (or `<t` once masked); any other value holds no `;`
            out.append(rf"(?P<{name}><?\d+)" if name in t.counts else f"(?P<{name}>[^;]+?)")
            seen.add(name)
        last = m.end()
    out.append(re.escape(t.template[last:]))
    return re.compile("".join(out))


def read(fragment: str) -> Note:
    """One stored fragment as a note (of code `text` when no type matches)."""
    for t in CATALOGUE.values():
        m = _pattern(t).fullmatch(fragment)
        if m:
            values: dict[str, Any] = dict(m.groupdict())
            for c in t.counts:  # a count, or `<t` once masked
                values[c] = int(values[c]) if values[c].isdigit() else values[c]
            return Note(t.code, values)
    return Note(TEXT, {"text": fragment})


def parse(stored: str | None) -> list[Note]:
    """A figure's stored note as its notes, in order. Notes are joined by `; `, which a note's
    own text may hold too: the longest run of pieces that reads as a known note is taken."""
    pieces = [p.strip() for p in (stored or "").split(";") if p.strip()]
    out: list[Note] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            n = read("; ".join(pieces[i:j]))
            if n.code != TEXT or j == i + 1:
                out.append(n)
                i = j
                break
    return out


def mask_counts(notes: Iterable[Note], threshold: int) -> list[Note]:
    """Notes as published: a count of children from 1 to t - 1 becomes `<t`."""
    out = []
    for n in notes:
        t = n.type
        if t is None or not t.counts:
            out.append(n)
            continue
        values = dict(n.values)
        for c in t.counts:
            v = values[c]
            if isinstance(v, int) and 0 < v < threshold:
                values[c] = f"<{threshold}"
        out.append(Note(n.code, values))
    return out


def messages() -> Iterable[tuple[str | tuple[str, str], str]]:
    """Every reader's message of the catalogue, for the gettext catalogue."""
    for t in CATALOGUE.values():
        if t.message is not None:
            yield t.message, f"note {t.code}"
