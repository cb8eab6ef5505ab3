"""The pages' words: a thin adapter over the one gettext catalogue of jjis
(src/jjis/reports/locale/<lang>/LC_MESSAGES/jjis.po, shared with the reports and the command line).

Nothing here stores words. A request's language (publication.languages; `?lang=` or the language
cookie) picks a `Lang`, whose `_()` translates and whose labels name codes, statistics and
breakdowns. Mark a string for translation:

- in a template: `{{ _("Sign in") }}`, with placeholders `{{ _("{n} open", n=count) }}`, with a
  count `{{ n_("{n} error", "{n} errors", count) }}` (`t()` is the older spelling of `_()`);
- in Python of jjis.web: `N_("…")` where the text is declared (translated where it is shown,
  `ctx._(text, **fields)`), `ctx._("…")` where it is shown at once.

Then `python -m jjis.reports.i18n update`, fill in the French, `... compile`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from jjis.reports.formatting import Lang
from jjis.reports.i18n import N_

FORMS_INTRO = N_("Collection tools made from the register schema: the entry workbook (one sheet "
                 "per register, dropdowns for the codes), the XLSForms for ODK Collect and "
                 "KoboToolbox, and the paper registers to print. Fill them in, then send the "
                 "workbook or the exports on the Upload page.")


@lru_cache(maxsize=8)
def words(lang: str) -> Lang:
    """The words of one language (a language without a catalogue is refused by `Lang`)."""
    return Lang(lang)


def translator(lang: str) -> Callable[..., str]:
    """`_(message, **fields)` of a language: the translation, its placeholders filled in."""
    return words(lang)._


# The roles of users (users.ROLES) as pages name them.
ROLE_NAMES = {"admin": N_("admin"), "analyst": N_("analyst"), "facility": N_("facility staff"),
              "inspector": N_("inspector")}


def role_name(role: str, lang: str) -> str:
    return words(lang)._(ROLE_NAMES[role]) if role in ROLE_NAMES else role
