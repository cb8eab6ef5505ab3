"""Words for people: the labels and help texts of the collection tools, in English and French.

Declared once in labels.toml beside this module, keyed by the schema's column names, codes and
English texts, so that every tool (workbook, XLSForm, paper, web entry) says the same thing.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jjis.errors import JjisError
from jjis.schema import TABLES, Column, Table

LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
FILE = Path(__file__).with_name("labels.toml")


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    with FILE.open("rb") as f:
        return tomllib.load(f)


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise JjisError(f"the forms are written in English or French: give --lang en or --lang fr, "
                        f"not {lang!r}")
    return lang


class Labels:
    """The labels of one language; anything without a label falls back to its English words."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        data = _table()
        self._en, self._own = data.get("en", {}), data.get(lang, {})

    def text(self, english: str) -> str:
        if self.lang == "en":
            return english
        return str(self._own.get("texts", {}).get(english, english))

    def table(self, table: Table) -> str:
        return self.text(table.title)

    def table_help(self, table: Table) -> str:
        return self.text(table.help)

    def column(self, col: Column) -> str:
        own = self._own.get("columns", {}).get(col.name)
        if own:
            return str(own)
        english = self._en.get("columns", {}).get(col.name)
        return str(english or col.name.replace("_", " ").capitalize())

    def hint(self, col: Column) -> str:
        return self.text(col.help)

    def code(self, code: str) -> str:
        own = self._own.get("codes", {}).get(code)
        if own:
            return str(own)
        return str(self._en.get("codes", {}).get(code) or code.replace("_", " "))

    def age_group(self, group: str) -> str:
        """`under_14` = under 14, `14_15` = 14–15, `unknown` (settings.band_label)."""
        if group.startswith("under_"):
            return self.text("under {age}").format(age=group.removeprefix("under_"))
        if group == "unknown":
            return self.code(group)
        return group.replace("_", "–")

    def yes_no(self) -> list[tuple[str, str]]:
        return [(c, self.code(c)) for c in ("yes", "no", "unknown")]


def missing(lang: str) -> list[str]:
    """What of the schema has no label in `lang`: `column:<name>`, `code:<code>`, `text:<English>`."""
    if lang == "en":
        return []
    own = _table().get(lang, {})
    out: set[str] = set()
    for t in TABLES.values():
        for english in (t.title, t.help):
            if english not in own.get("texts", {}):
                out.add(f"text:{english}")
        for c in t.columns:
            if c.name not in own.get("columns", {}):
                out.add(f"column:{c.name}")
            if c.help and c.help not in own.get("texts", {}):
                out.add(f"text:{c.help}")
            for code in c.codes:
                if code not in own.get("codes", {}):
                    out.add(f"code:{code}")
    return sorted(out)
