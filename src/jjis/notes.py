"""The catalogue of notes on figures, and of a computation's warnings and problems: each a code,
its English template, the message a reader sees (a gettext message id, with its plural where the
note carries a count `n`) and which of its values are counts of children.

The engine and the publication layer make notes with `note(code, **values)` and join them into
a figure's note (`join`). A figure's note is stored as data, never as text: a JSON list of
`{"code": …, "values": {…}}` (`dump`; `load` reads it back). Whatever reads a note works on the
codes and the values: disclosure control masks counts by value (`mask_counts`, by the type's
`counts`), and the messages are rendered at the edge in the reader's language (`render`, with
the language's gettext; jjis.reports.notes.render for a report's language). The English
templates remain for one thing: `parse` reads the text notes of databases written before notes
were stored as data (schema version 2 and earlier), for `jjis upgrade` to convert them.
`jjis docs` lists the catalogue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
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
    kind: str = "figure"  # "figure" (on a figure), "warning" or "problem" (of a computation)
    lists: tuple[str, ...] = ()  # values that are lists of names (shown joined by ", ")


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
                 "Withheld (disclosure control): {fields}.", lists=("fields",)),
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
        # a computation's warnings and problems (jjis compute, jjis report; the exit code is 1
        # when there is a problem)
        NoteType("area-without-population",
                 "{area}: no population for {areas} in {year}: import the population register "
                 "for {year}",
                 "{area}: no population for {areas} in {year}: the population register for "
                 "{year} is needed.", kind="warning"),
        NoteType("no-headline-rate",
                 "indicators 1-3 have no rate for {area}: no population for {areas} in {year}: "
                 "import the population register for {year}",
                 "Indicators 1-3 have no rate for {area}: no population for {areas} in {year}; "
                 "the population register for {year} is needed.", kind="problem"),
    )
}
# The names of a figure's fields a note may list (withheld-fields), as a reader sees them.
FIELD_LABELS = {"events": "the number of arrests", "unknown": "the number left out as unknown",
                "over_age": "the number left out as 18 or older",
                "unknown_age": "the number of children of unknown age"}
NUMBERS = ("n", "t", "t1", "reported", "expected", "year", "lo", "hi")  # values given as numbers
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
        """The English template filled in: how such a note was stored before schema version 3,
        and what a note without a reader's message shows where every note is given."""
        t = self.type
        if t is None:
            return str(self.values.get("text", ""))
        return t.template.format(**_shown(t, self.values, lambda f: f))

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
    """A figure's note as stored: the notes given (and notes already joined, as stored), in
    order; None when there are none."""
    out: list[Note] = []
    for p in parts:
        if isinstance(p, Note):
            out.append(p)
        elif p:
            out += load(p)
    return dump(out)


def dump(items: Iterable[Note]) -> str | None:
    """Notes as a figure's note is stored: a JSON list of code and values (None: no note)."""
    data = [n.as_json() for n in items]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) \
        if data else None


def load(stored: str | None) -> list[Note]:
    """A figure's stored note as its notes, in order. Only the stored form (`dump`) is read; a
    text that is not (a note written by hand) is one note of code `text`, shown as written."""
    if not stored:
        return []
    if stored.startswith("["):
        try:
            data = json.loads(stored)
        except ValueError:
            data = None
        if isinstance(data, list):
            return [Note(str(d["code"]), dict(d.get("values") or {})) for d in data]
    return [Note(TEXT, {"text": stored})]


def is_stored(stored: str | None) -> bool:
    """Whether a stored note is in the stored form of notes as data (else: text of before)."""
    if not stored or not stored.startswith("["):
        return False
    try:
        return isinstance(json.loads(stored), list)
    except ValueError:
        return False


def _shown(t: NoteType, values: Mapping[str, Any], label: Callable[[str], str]
           ) -> dict[str, Any]:
    """The values as a message takes them: lists joined by `, ` (each name through `label`)."""
    out = dict(values)
    for name in t.lists:
        v = out.get(name)
        items = v if isinstance(v, list) else [x.strip() for x in str(v or "").split(",")]
        out[name] = ", ".join(label(x) for x in items if x)
    return out


def render(n: Note, threshold: int = 1, *, everything: bool = False,
           gettext: Callable[[str], str] = str,
           ngettext: Callable[[str, str, int], str] = lambda s, p, k: s if k == 1 else p,
           number: Callable[[Any], str] = str) -> str | None:
    """One note as a reader sees it, through a language's `gettext`/`ngettext` (English, the
    message ids, by default). None: shown elsewhere (coverage is shown from the figure's own
    fields), unless `everything`, when such a note is given by its template. Counts of children
    follow disclosure control: 1 to t - 1 read `<t` (and take the plural)."""
    t = n.type
    if t is None:
        return n.text
    if t.message is None:
        return n.text if everything else None
    (masked,) = mask_counts([n], threshold)
    kw = {k: v if isinstance(v, list) else str(v) for k, v in masked.values.items()}
    kw = _shown(t, kw, lambda f: gettext(FIELD_LABELS.get(f, f)))
    if isinstance(t.message, tuple):
        count = masked.values.get("n")
        k = count if isinstance(count, int) else threshold
        kw["n"] = number(count) if isinstance(count, int) else str(count)
        return ngettext(*t.message, k).format(**kw)
    return gettext(t.message).format(**kw)


def english(stored: str | None, threshold: int = 1) -> str | None:
    """A figure's note in English, every note given (the command line's and the API's
    `note`), `; ` between them; None when there is none."""
    out: list[str] = []
    for n in load(stored):
        text = render(n, threshold, everything=True)
        if text and text not in out:
            out.append(text)
    return "; ".join(out) or None


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
    """A note stored as text (databases of schema version 2 and earlier) as its notes, in order,
    for `jjis upgrade` to store them as data (`convert`). Notes were joined by `; `, which a
    note's own text may hold too: the longest run of pieces that reads as a known note is
    taken."""
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


def convert(stored: str | None) -> str | None:
    """A note stored as text, as stored now (`dump`); one already stored as data is kept. Values
    the engine gives as whole numbers (NUMBERS, the counts) become numbers; lists are split."""
    if not stored or is_stored(stored):
        return stored
    out = []
    for n in parse(stored):
        t = n.type
        values: dict[str, Any] = {}
        for k, v in n.values.items():
            if t is not None and k in t.lists:
                values[k] = [x.strip() for x in str(v).split(",") if x.strip()]
            elif isinstance(v, str) and v.isdigit() and t is not None and k in NUMBERS:
                values[k] = int(v)
            else:
                values[k] = v
        out.append(Note(n.code, values))
    return dump(out)


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
            yield t.message, f"{'note' if t.kind == 'figure' else t.kind} {t.code}"
    for name, label in FIELD_LABELS.items():
        yield label, f"note withheld-fields: the field {name}"
