"""Translations of the reports: Babel gettext catalogues under locale/<lang>/LC_MESSAGES/jjis.po.

Adding a language means adding a catalogue: `python -m jjis.reports.i18n init es` writes
locale/es/LC_MESSAGES/jjis.po from the template; translate it and run `... compile`. No code
changes. This is the one catalogue of jjis: the reports, the web application (jjis.web, through
the thin adapter jjis.web.i18n) and the command line's human output. The message ids are the
English texts of the templates (`_()`), of the Python modules of this package and of jjis.web
(`_()`, `N_()`, `n_()`), of the indicator catalogue (names, sentences, numerators, denominators,
counting rules), of the ICCS section names and of the catalogue of import errors (errors.py).

    python -m jjis.reports.i18n update    # re-extract the template, merge it into every .po
    python -m jjis.reports.i18n compile   # .po -> .mo (the .mo files are shipped)

A catalogue is read from its .mo when that is at least as new as the .po, else compiled from
the .po in memory, so an edited .po is never silently ignored.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from jjis.errors import JjisError

PACKAGE = Path(__file__).parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "jjis"
SOURCE_LANGUAGE = "en"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "n_": (1, 2),
            "Np_": (1, 2)}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]
# The command line's human output shares the catalogue: its messages with a count (`n_()` of
# jjis.cli.common) are extracted from the cli package too.
CLI_PACKAGE = PACKAGE.parent / "cli"
CLI_KEYWORDS = {"n_": (1, 2)}
# The web application's words are in the same catalogue: its Python (`_()`, `N_()`, `n_()`) and
# its templates (`{{ _("…") }}`, `{{ n_("…", "…", count) }}`; `t()` is the older spelling of `_()`).
WEB_PACKAGE = PACKAGE.parent / "web"
WEB_TEMPLATE_KEYWORDS = {**KEYWORDS, "t": None}


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a message with a plural for extraction without translating it here."""
    return singular, plural


def ngettext(singular: str, plural: str, count: int, *, lang: str = SOURCE_LANGUAGE,
             **kw: Any) -> str:
    """The form of a message for `count` in `lang`, with {n} the count (and `kw`) filled in."""
    from babel.numbers import format_decimal

    kw.setdefault("n", format_decimal(count, "#,##0", locale=lang))
    return str(translations(lang).ngettext(singular, plural, count)).format(**kw)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """The languages that have a catalogue."""
    if not LOCALE_DIR.is_dir():
        return []
    return sorted(p.name for p in LOCALE_DIR.iterdir() if po_path(p.name).exists())


def check_language(lang: str) -> str:
    if lang not in languages():
        raise JjisError(f"there is no report catalogue for the language {lang!r}; available: "
                        f"{', '.join(languages())}. Add one with `python -m jjis.reports.i18n "
                        f"init {lang}`")
    return lang


@lru_cache(maxsize=8)
def translations(lang: str) -> Translations:
    """The gettext translations of one language."""
    check_language(lang)
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return Translations(fp=f, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, _read(po, lang))
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _read(po: Path, lang: str) -> Catalog:
    with po.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


# -- extraction ---------------------------------------------------------------------------------

def _data_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    """Messages that live in declared data: the indicator catalogue, the ICCS sections, the
    notes (notes.py) and the catalogue of import errors (titles and message templates, errors.py)."""
    from jjis import notes
    from jjis.errors import CATALOGUE
    from jjis.indicators.catalogue import load_catalogue
    from jjis.schema.codes import ICCS_SECTIONS

    for ind in load_catalogue():
        for field in ("name_en", "sentence", "numerator", "denominator", "rules_en"):
            yield getattr(ind, field), f"indicator catalogue: {ind.id}.{field}"
    for code, name in ICCS_SECTIONS.items():
        yield name, f"ICCS section {code}"
    yield from notes.messages()
    for e in CATALOGUE.values():
        yield e.title, f"error {e.type}: title"
        yield e.template, f"error {e.type}: message"


def template_catalog() -> Catalog:
    """The .pot: every message id, from the code, the templates and the declared data."""
    cat = Catalog(domain=DOMAIN, project="jjis", charset="utf-8")
    for filename, lineno, message, comments, _ctx in extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        if isinstance(message, tuple):  # ngettext: singular and plural
            message = tuple(message[:2])
        cat.add(message, locations=[(filename, lineno)], auto_comments=comments)
    for filename, lineno, message, comments, _ctx in extract_from_dir(
        str(CLI_PACKAGE), [("**.py", "python")], keywords=CLI_KEYWORDS,
        comment_tags=("TRANSLATORS:",)):
        cat.add(tuple(message[:2]) if isinstance(message, tuple) else message,
                locations=[(f"../cli/{filename}", lineno)], auto_comments=comments)
    for method, keywords in (("python", KEYWORDS), ("jinja2.ext:babel_extract",
                                                     WEB_TEMPLATE_KEYWORDS)):
        pattern = "**.py" if method == "python" else "templates/**.html"
        for filename, lineno, message, comments, _ctx in extract_from_dir(
            str(WEB_PACKAGE), [(pattern, method)], keywords=keywords,
            comment_tags=("TRANSLATORS:",), options_map={pattern: {"extensions": "jinja2.ext.i18n"}}
            if method != "python" else {}):
            cat.add(tuple(message[:2]) if isinstance(message, tuple) else message,
                    locations=[(f"../web/{filename}", lineno)], auto_comments=comments)
    for message, where in _data_messages():
        cat.add(message, auto_comments=[where])
    return cat


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    """A message's id; a message with a plural is known by its singular."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    """A translation is there (every form of one with a plural)."""
    if not string:
        return False
    return isinstance(string, str) or all(string)


def messages() -> set[str]:
    """Every message id (the English texts a translated report must not show); a message with
    a plural gives its singular and its plural."""
    out: set[str] = set()
    for m in template_catalog():
        if m.id:
            out.update([m.id] if isinstance(m.id, str) else m.id)
    return out


def update() -> None:
    template = template_catalog()
    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    with pot.open("wb") as f:
        write_po(f, template, width=100)
    for lang in languages():
        cat = _read(po_path(lang), lang)
        cat.update(template_catalog(), no_fuzzy_matching=True)  # fresh: update shares messages
        if lang == SOURCE_LANGUAGE:  # the source language translates each message to itself
            for m in cat:
                if m.id and not _translated(m.string):
                    m.string = m.id
        with po_path(lang).open("wb") as f:
            write_po(f, cat, width=100, ignore_obsolete=True)


def init(lang: str) -> Path:
    po = po_path(lang)
    if po.exists():
        raise JjisError(f"{po} exists; run `update` to merge new messages into it")
    po.parent.mkdir(parents=True, exist_ok=True)
    cat = template_catalog()
    cat.locale = Locale.parse(lang)
    with po.open("wb") as f:
        write_po(f, cat, width=100)
    return po


def compile_all() -> list[Path]:
    out = []
    for lang in languages():
        mo = po_path(lang).with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, _read(po_path(lang), lang))
        out.append(mo)
    translations.cache_clear()
    return out


def untranslated(lang: str) -> list[str]:
    """Message ids of the template without a translation in `lang`'s catalogue."""
    cat = _read(po_path(lang), lang)
    done = {_key(m.id) for m in cat if m.id and not m.fuzzy and _translated(m.string)}
    return sorted(k for k in {_key(m.id) for m in template_catalog() if m.id} if k not in done)


def main(argv: list[str]) -> None:
    verb = argv[0] if argv else ""
    if verb == "update":
        update()
    elif verb == "compile":
        for mo in compile_all():
            print(mo)
    elif verb == "init" and len(argv) == 2:
        print(init(argv[1]))
    elif verb == "missing" and len(argv) == 2:
        print("\n---\n".join(untranslated(argv[1])))
    else:
        print("usage: python -m jjis.reports.i18n update | compile | init LANG | missing LANG")
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
