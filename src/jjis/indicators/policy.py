"""Policy answers: indicators 12(a), 13(a), 14 and 15 from the national checklist.

The answer to an item on C is its latest answer with as_of <= C. The indicator is yes when every
answered item is yes, partial when some are, no when none are, and null when none is answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jjis.indicators import backend
from jjis.indicators.periods import lit


def combine(answers: list[str]) -> str | None:
    if not answers:
        return None
    yes = sum(a == "yes" for a in answers)
    if yes == len(answers):
        return "yes"
    return "partial" if yes else "no"


def expression(con: Any, census: date) -> Any:
    p = con.table("policy")
    return p.filter(p.as_of <= lit(census)).select("indicator", "item", "answer", "as_of")


def answers(con: Any, census: date, indicators: Sequence[int]
            ) -> dict[int, tuple[str | None, int, int]]:
    """indicator -> (answer, items answered yes, items answered), for the policy indicators."""
    latest: dict[tuple[str, str], tuple[date, str]] = {}
    for r in backend.run_rows(con, "policy", lambda: expression(con, census)):
        key = (str(r["indicator"]), str(r["item"]))
        if key not in latest or r["as_of"] > latest[key][0]:
            latest[key] = (r["as_of"], str(r["answer"]).lower())
    out: dict[int, tuple[str | None, int, int]] = {}
    for ind in indicators:
        items = [a for (i, _), (_, a) in latest.items() if i == str(ind)]
        out[ind] = (combine(items), sum(a == "yes" for a in items), len(items))
    return out
