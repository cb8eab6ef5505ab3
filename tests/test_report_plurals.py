"""Plurals in both languages, from the shared gettext catalogue: English says "1 figure",
"2 figures"; French (CLDR rules) says "0 chiffre", "1 chiffre", "2 chiffres". The notes of the
report, the command line's counts and the shortened listing ("and 1 more") use them."""

from __future__ import annotations

from datetime import date

import pytest

from jjis.cli.common import n_
from jjis.indicators.results import Figure
from jjis.notes import join, note
from jjis.reports import i18n
from jjis.reports.formatting import Lang
from jjis.reports.notes import _listing, note_text


@pytest.mark.parametrize(("count", "en", "fr"), [
    (0, "0 errors", "0 erreur"),  # French: 0 and 1 are singular
    (1, "1 error", "1 erreur"),
    (2, "2 errors", "2 erreurs"),
    (1234, "1,234 errors", "1\u202f234 erreurs"),  # Babel's French groups with a narrow space
])
def test_counts_take_the_form_of_their_language(count: int, en: str, fr: str) -> None:
    assert i18n.ngettext("{n} error", "{n} errors", count) == en
    assert i18n.ngettext("{n} error", "{n} errors", count, lang="fr").replace(
        "\xa0", "\u202f") == fr
    assert n_("{n} error", "{n} errors", count) == en


def test_the_report_counts_in_french_with_french_numbers() -> None:
    fr = Lang("fr")
    one = fr.n_("{n} error", "{n} errors", 1)
    many = fr.n_("{n} error", "{n} errors", 1234)
    assert one == "1 erreur"
    assert many.startswith("1") and many.endswith("234 erreurs") and "," not in many


def test_a_note_about_one_child_is_singular_and_a_masked_count_plural() -> None:
    en, fr = Lang("en"), Lang("fr")
    one = join(note("short-stays-left-out", n=1))
    # threshold 1: nothing masked, the count of 1 is shown and is singular
    assert note_text(one, en, 1) == ["1 child held for less than three months was left out."]
    assert note_text(one, fr, 1) == ["1 enfant détenu depuis moins de trois mois a été exclu."]
    # threshold 5: the 1 is shown as <5, which reads as a plural
    assert note_text(one, en, 5) == [
        "<5 children held for less than three months were left out."]
    assert note_text(join(note("age-estimated", n=7)), en, 5) == [
        "Age worked out from the recorded age (no date of birth) for 7 children."]


def test_one_withheld_figure_is_one_figure() -> None:
    from jjis.reports.notes import _withheld

    class Section:
        day = date(2025, 12, 31)
        figures = [Figure(2, "rate", "XA", day, date(2025, 1, 1), day, "per_100000",
                          suppressed=True, note=join(note("withheld-primary", t=5, t1=4)))]

    class Model:
        threshold = 5

    for code, text in (("en", "1 figure of this section is shown as <5: it rests"),
                       ("fr", "1 chiffre de cette section est affiché « <5 » : il repose")):
        [said] = _withheld(Section(), Model(), Lang(code))  # type: ignore[arg-type]
        assert said.startswith(text), said


def test_and_one_more() -> None:
    names = [f"A{i}" for i in range(11)]
    assert _listing(names, Lang("en")).endswith("A9 and 1 more")
    assert _listing(names, Lang("fr")).endswith("A9 et 1 autre")
    assert _listing(names + ["B"], Lang("fr")).endswith("A9 et 2 autres")
