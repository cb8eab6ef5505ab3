"""`--dirty`: the errors real registers arrive with, in a few percent of the record-level rows.

A mistyped code (`detaned`, `Male`, `pre-sentence`), admission and release dates swapped, a
facility that does not exist, a date that is no date (`2024-13-01`, `31/12/2024`), a required
value left empty. What can be damaged is read from the schema (code, date and required columns,
the date-order rules), so the errors follow the registers as they change. A visitors' log that
names the visitors is written beside the registers: import must refuse it whole.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jjis.schema import TABLES, Table
from jjis.schema.registers import DateOrder
from jjis.synth.country import CODE, REGIONS
from jjis.synth.render import Columns, numbered

RATE = 0.03
SEX_TYPOS = {"m": "Male", "f": "Female", "u": "Unknown"}
VISITOR_LOG = "family_contacts-visitor-log"
VISITOR_LOG_ROWS = 60
FIRST_NAMES = ("Amina", "Joseph", "Grace", "Peter", "Fatou", "Daniel", "Mariam", "Samuel")
LAST_NAMES = ("Okafor", "Mensah", "Diallo", "Haddad", "Kamau", "Petrov", "Santos", "Nguyen")

Damage = Callable[[Columns, int, np.random.Generator], None]


def typo(value: str, rng: np.random.Generator) -> str:
    """A code as a tired clerk writes it: a word for the sex, a hyphen, a letter dropped."""
    if value in SEX_TYPOS:
        return SEX_TYPOS[value]
    if "_" in value and rng.random() < 0.4:
        return value.replace("_", "-")
    i = int(rng.integers(1, len(value) - 1))
    return value[:i] + value[i + 1:]


def bad_date(value: str, rng: np.random.Generator) -> str:
    y, m, d = value.split("-")
    return [f"{d}/{m}/{y}", f"{y}-13-{d}", f"{y}-02-30", f"{y}{m}{d}"][int(rng.integers(0, 4))]


class Damages:
    """The kinds of damage one table can take, each a function of (columns, row, rng)."""

    def __init__(self, table: Table) -> None:
        cols = table.columns
        self.codes = [c.name for c in cols if c.kind == "code" and c.required]
        self.dates = [c.name for c in cols if c.kind == "date" and c.required]
        self.required = list(table.required_columns)
        self.facility = [c.name for c in cols if c.references == "facilities"]
        self.swaps = [(r.earlier, r.later) for r in table.rules
                      if isinstance(r, DateOrder) and r.earlier in self.dates]
        kinds: list[Damage] = [self.empty]
        kinds += [self.code] if self.codes else []
        kinds += [self.date] if self.dates else []
        kinds += [self.unknown_facility] if self.facility else []
        kinds += [self.swap] if self.swaps else []
        self.kinds = kinds

    def code(self, columns: Columns, row: int, rng: np.random.Generator) -> None:
        col = columns[self.codes[int(rng.integers(0, len(self.codes)))]]
        if col[row]:
            col[row] = typo(str(col[row]), rng)

    def date(self, columns: Columns, row: int, rng: np.random.Generator) -> None:
        col = columns[self.dates[int(rng.integers(0, len(self.dates)))]]
        col[row] = bad_date(str(col[row]), rng)

    def empty(self, columns: Columns, row: int, rng: np.random.Generator) -> None:
        columns[self.required[int(rng.integers(0, len(self.required)))]][row] = ""

    def unknown_facility(self, columns: Columns, row: int, rng: np.random.Generator) -> None:
        region = REGIONS[int(rng.integers(0, len(REGIONS)))][0]
        district = int(rng.integers(len(REGIONS[0][2]) + 1, 10))
        columns[self.facility[0]][row] = f"{CODE}-{region}-{district:02d}-PS1"

    def swap(self, columns: Columns, row: int, rng: np.random.Generator) -> None:
        pairs = [(a, b) for a, b in self.swaps if columns[b][row] not in ("", columns[a][row])]
        if not pairs:
            self.date(columns, row, rng)
            return
        a, b = pairs[int(rng.integers(0, len(pairs)))]
        columns[a][row], columns[b][row] = columns[b][row], columns[a][row]


def damage(table: str, columns: Columns, rng: np.random.Generator) -> int:
    """Damage about RATE of the rows in place; returns how many rows were damaged."""
    n = len(next(iter(columns.values())))
    rows = np.flatnonzero(rng.random(n) < RATE)
    if not len(rows):
        return 0
    for name in columns:  # wider strings than the clean values need object arrays
        columns[name] = columns[name].astype(object)
    damages = Damages(TABLES[table])
    for row, kind in zip(rows.tolist(), rng.integers(0, len(damages.kinds), len(rows)).tolist(),
                         strict=True):
        damages.kinds[kind](columns, row, rng)
    return len(rows)


def visitor_log(contacts: Columns, rng: np.random.Generator) -> tuple[list[str], Columns]:
    """A visits log kept with the visitors' names: family_contacts plus `visitor_name`."""
    header = [*TABLES["family_contacts"].column_names, "visitor_name"]
    n = min(VISITOR_LOG_ROWS, len(contacts["contact_id"]))
    log = {name: np.asarray(contacts[name][:n]) for name in TABLES["family_contacts"].column_names}
    log["contact_id"] = numbered("VL", 1, n)
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    log["visitor_name"] = np.char.add(np.char.add(first, " "), last)
    return header, log
