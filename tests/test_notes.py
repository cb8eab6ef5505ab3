"""Notes are typed (jjis.notes): made from a code and values, stored as data (code and values),
read back as code and values. Disclosure control masks the counts of children by value, and the
reports render each note from its code in the reader's language, with its plural. The English
text notes of databases written before are read back (`parse`) only to be converted."""

from __future__ import annotations

import json
import string
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from jjis import notes
from jjis.indicators.results import Figure
from jjis.publish.disclosure import mask_note_counts, shown_value
from jjis.reports.formatting import Lang
from jjis.reports.i18n import translations
from jjis.reports.notes import note_text

WORD = st.text(string.ascii_letters + string.digits + "-_'", min_size=1, max_size=8)
VALUE = st.lists(WORD, min_size=1, max_size=3).map(", ".join)
C = date(2025, 12, 31)


def _figure(note: str | None, **kw: object) -> Figure:
    return Figure(8, "percent", "XA", C, date(2025, 1, 1), C, "percent", note=note, **kw)  # type: ignore[arg-type]


@given(st.sampled_from(sorted(notes.CATALOGUE)), st.data())
def test_a_stored_note_reads_back_as_its_code_and_values(code: str, data: st.DataObject) -> None:
    t = notes.CATALOGUE[code]
    values = {name: data.draw(st.integers(0, 10_000) if name in t.counts else
                              st.lists(WORD, min_size=1, max_size=3) if name in t.lists else VALUE)
              for name in dict.fromkeys(notes._fields(t.template))}
    made = notes.note(code, **values)
    stored = notes.join(made)
    assert stored is not None and json.loads(stored) == [{"code": code, "values": values}]
    assert notes.load(stored) == [made]
    # several notes joined in a figure's note come back in order, and joining stored notes
    # keeps them
    other = notes.note("aggregate-returns")
    assert notes.load(notes.join(made, other)) == [made, other]
    assert notes.load(notes.join(stored, other, None)) == [made, other]


@given(st.sampled_from(sorted(c for c, t in notes.CATALOGUE.items() if t.kind == "figure")),
       st.data())
def test_a_text_note_of_before_is_converted_to_the_same_code_and_values(
        code: str, data: st.DataObject) -> None:
    t = notes.CATALOGUE[code]
    values = {name: data.draw(st.integers(0, 10_000) if name in notes.NUMBERS else
                              st.lists(WORD, min_size=1, max_size=3) if name in t.lists else VALUE)
              for name in dict.fromkeys(notes._fields(t.template))}
    made = notes.note(code, **values)
    old = "; ".join([made.text, "includes aggregate returns"])  # as jjis stored it before
    converted = notes.convert(old)
    assert notes.load(converted) == [made, notes.note("aggregate-returns")]
    assert notes.convert(converted) == converted  # a note stored as data is kept


def test_a_note_must_have_the_values_its_type_names() -> None:
    try:
        notes.note("short-stays-left-out", count=3)
    except ValueError as e:
        assert "short-stays-left-out takes ['n']" in str(e)
    else:
        raise AssertionError("a note without its values was made")


def test_text_of_no_known_type_is_kept_as_written() -> None:
    (n,) = notes.load("a remark written by hand")
    assert n.code == notes.TEXT and n.text == "a remark written by hand"
    assert note_text("a remark written by hand", Lang("fr"), 5) == ["a remark written by hand"]
    # converting keeps it too, as one note of code `text`
    assert notes.load(notes.convert("a remark written by hand")) == [n]


def test_disclosure_masks_counts_of_children_by_value() -> None:
    stored = notes.join(notes.note("age-estimated", n=3),
                        notes.note("records-and-return", source="F12", measure="in_detention",
                                   date="2025-12-31"),
                        notes.note("short-stays-left-out", n=7))
    published = mask_note_counts(stored, 5)
    assert notes.load(published) == [
        notes.Note("age-estimated", {"n": "<5"}),
        notes.Note("records-and-return", {"source": "F12", "measure": "in_detention",
                                          "date": "2025-12-31"}),
        notes.Note("short-stays-left-out", {"n": 7})]  # 7 >= 5: shown
    # the date's digits and the facility's number are no counts of children
    assert mask_note_counts(stored, 1) == stored  # threshold 1: nothing to mask
    # a value that only looks like a small number is not masked: only the type's counts are
    odd = notes.join(notes.note("no-population", areas="3", year=2))
    assert mask_note_counts(odd, 5) == odd


def test_the_shown_value_comes_from_the_withheld_note() -> None:
    primary = _figure(notes.join(notes.note("withheld-primary", t=10, t1=9),
                                 notes.note("aggregate-returns")), suppressed=True)
    secondary = _figure(notes.join(notes.note("withheld-secondary")), suppressed=True)
    assert shown_value(primary) == "<10"
    assert shown_value(secondary) == "x"
    assert shown_value(_figure(None)) is None


def test_one_child_left_out_is_singular_in_both_languages() -> None:
    one = notes.join(notes.note("short-stays-left-out", n=1))
    assert note_text(one, Lang("en"), 1) == [
        "1 child held for less than three months was left out."]
    assert note_text(one, Lang("fr"), 1) == [
        "1 enfant détenu depuis moins de trois mois a été exclu."]
    two = notes.join(notes.note("short-stays-left-out", n=2))
    assert note_text(two, Lang("en"), 1) == [
        "2 children held for less than three months were left out."]
    # published with threshold 5, the 1 reads <5, a plural
    assert note_text(mask_note_counts(one, 5), Lang("en"), 5) == [
        "<5 children held for less than three months were left out."]


def test_every_note_a_reader_sees_is_in_french() -> None:
    fr = translations("fr")
    for message, _where in notes.messages():
        if isinstance(message, tuple):
            assert fr.ngettext(*message, 2) != message[1], message
        else:
            assert fr.gettext(message) != message, message


def test_a_note_is_rendered_in_english_and_french_from_its_code() -> None:
    stored = notes.join(notes.note("population-apportioned", lo=12, hi=17),
                        notes.note("withheld-fields", fields=["events", "unknown"]),
                        notes.note("coverage", reported=3, expected=4))
    f = _figure(stored)
    # what the figure stores is data, no English text
    assert [n.code for n in f.notes] == ["population-apportioned", "withheld-fields", "coverage"]
    assert json.loads(f.note or "")[0] == {"code": "population-apportioned",
                                          "values": {"lo": 12, "hi": 17}}
    assert note_text(f.note, Lang("en"), 5) == [
        "Population apportioned from the age band 12–17.",
        "Withheld (disclosure control): the number of arrests, the number left out as unknown."]
    assert note_text(f.note, Lang("fr"), 5) == [
        "Population répartie à partir de la tranche d'âge 12–17.",
        "Masqué (contrôle de la divulgation) : le nombre d'arrestations, le nombre d'exclus pour "
        "valeur inconnue."]
    # the command line's and the API's JSON: the English messages, every note, and the data
    row = f.as_json()
    assert row["note"] == ("Population apportioned from the age band 12–17.; Withheld "
                           "(disclosure control): the number of arrests, the number left out as "
                           "unknown.; coverage: 3 of 4 registered sources sent data")
    assert row["notes"][2] == {"code": "coverage", "values": {"reported": 3, "expected": 4}}


def test_warnings_and_problems_are_typed_and_rendered_from_the_catalogue() -> None:
    w = notes.note("area-without-population", area="BJ-S", areas="BJ-S", year=2025)
    p = notes.note("no-headline-rate", area="BJ", areas="BJ-S", year=2025)
    assert notes.render(w) == ("BJ-S: no population for BJ-S in 2025: the population register "
                               "for 2025 is needed.")
    assert notes.render(p, gettext=translations("fr").gettext) == (
        "Les indicateurs 1 à 3 n'ont pas de taux pour BJ : aucune population pour BJ-S en 2025 ; "
        "le registre de la population de 2025 est nécessaire.")
