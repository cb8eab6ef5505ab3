"""Where queries register themselves by name.

A query module decorates each of its query functions with `@query("name")`; an entry of the
indicator catalogue names its query and the module that registers it (`module`), and
`catalogue.load_catalogue` imports that module and checks the name is registered. The engine
builds exactly the queries the catalogue names (engine.build_queries).

A query function takes the run's `Inputs` (the sources and the detention spells, built on first
use and shared by every query) and returns the `Units` to sum per area and breakdown: the unit
table, the columns summed and any other statistics (name -> function of the joined table, e.g. a
median). The engine sums them over the area closure for the breakdowns the entries allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Units:
    """What a query counts: one row per counting unit, the columns summed, other statistics."""

    table: Any
    sums: tuple[str, ...]
    stats: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


class Inputs:
    """What every query reads: the run's sources and the detention spells (made once, lazily)."""

    def __init__(self, src: Any, make_spells: Callable[[], Any]) -> None:
        self.src = src
        self._make_spells = make_spells
        self._spells: Any = None

    @property
    def spells(self) -> Any:
        if self._spells is None:
            self._spells = self._make_spells()
        return self._spells


QueryFunction = Callable[[Inputs], Units]
QUERIES: dict[str, QueryFunction] = {}


def query(name: str) -> Callable[[QueryFunction], QueryFunction]:
    """Register the decorated function as the query `name` (one function per name)."""

    def register(fn: QueryFunction) -> QueryFunction:
        known = QUERIES.get(name)
        if known is not None and (known.__module__, known.__qualname__) != (
                fn.__module__, fn.__qualname__):
            raise ValueError(f"two queries are registered as {name!r}: "
                             f"{known.__module__}.{known.__qualname__} and "
                             f"{fn.__module__}.{fn.__qualname__}")
        QUERIES[name] = fn
        return fn

    return register
