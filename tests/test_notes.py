"""Notes are typed (jjis.notes): made from a code and values, stored as their English text,
read back as code and values. Disclosure control masks the counts of children by value, and the
reports render each note from its code in the reader's language, with its plural."""

from __future__ import annotations

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
    values = {name: data.draw(st.integers(0, 10_000) if name in t.counts else VALUE)
              for name in dict.fromkeys(notes._fields(t.template))}
    made = notes.note(code, **values)
    assert notes.read(made.text) == made
    # several notes joined in a figure's note come back in order
    other = notes.note("aggregate-returns")
    assert notes.parse(notes.join(made, other)) == [made, other]


def test_a_note_must_have_the_values_its_type_names() -> None:
    try:
        notes.note("short-stays-left-out", count=3)
    except ValueError as e:
        assert "short-stays-left-out takes ['n']" in str(e)
    else:
        raise AssertionError("a note without its values was made")


def test_text_of_no_known_type_is_kept_as_written() -> None:
    (n,) = notes.parse("a remark written by hand")
    assert n.code == notes.TEXT and n.text == "a remark written by hand"
    assert note_text("a remark written by hand", Lang("fr"), 5) == ["a remark written by hand"]


def test_disclosure_masks_counts_of_children_by_value() -> None:
    stored = notes.join(notes.note("age-estimated", n=3),
                        notes.note("records-and-return", source="F12", measure="in_detention",
                                   date="2025-12-31"),
                        notes.note("short-stays-left-out", n=7))
    published = mask_note_counts(stored, 5)
    assert notes.parse(published) == [
        notes.Note("age-estimated", {"n": "<5"}),
        notes.Note("records-and-return", {"source": "F12", "measure": "in_detention",
                                          "date": "2025-12-31"}),
        notes.Note("short-stays-left-out", {"n": 7})]  # 7 >= 5: shown
    # the date's digits and the facility's number are no counts of children
    assert "2025-12-31" in (published or "") and "F12" in (published or "")
    assert mask_note_counts(stored, 1) == stored  # threshold 1: nothing to mask


def test_the_shown_value_comes_from_the_withheld_note() -> None:
    primary = _figure(notes.join(notes.note("withheld-primary", t=10, t1=9), "includes "
                                 "aggregate returns"), suppressed=True)
    secondary = _figure(notes.note("withheld-secondary").text, suppressed=True)
    assert shown_value(primary) == "<10"
    assert shown_value(secondary) == "x"
    assert shown_value(_figure(None)) is None


def test_one_child_left_out_is_singular_in_both_languages() -> None:
    one = notes.note("short-stays-left-out", n=1).text  # stored: "1 children … left out"
    assert note_text(one, Lang("en"), 1) == [
        "1 child held for less than three months was left out."]
    assert note_text(one, Lang("fr"), 1) == [
        "1 enfant détenu depuis moins de trois mois a été exclu."]
    two = notes.note("short-stays-left-out", n=2).text
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
