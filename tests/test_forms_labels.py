"""Labels of the collection tools: every column, code and help text of the schema has its French."""

from __future__ import annotations

from jjis.forms.labels import Labels, missing
from jjis.schema import TABLES


def test_every_column_code_and_help_text_has_french() -> None:
    assert missing("fr") == []


def test_french_labels_are_french_and_english_are_readable() -> None:
    fr, en = Labels("fr"), Labels("en")
    stays = TABLES["detentions"]
    assert fr.column(stays.column("release_reason")) == "Motif de libération"
    assert en.column(stays.column("release_reason")) == "Release reason"
    assert fr.code("death") == "décès" and en.code("released_pending_trial") == "released pending trial"
    assert fr.hint(stays.column("release_date")) == "vide tant que l'enfant est détenu"
    # a text without a translation falls back to its English words, never to nothing
    assert fr.text("no such text") == "no such text"
