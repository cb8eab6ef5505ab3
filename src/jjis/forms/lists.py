"""What a clerk may choose in each column, the same for every tool: the schema's code lists,
yes/no/unknown, the configured age groups, and (from a database) the facilities and areas."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from jjis import __version__
from jjis.errors import JjisError
from jjis.forms.labels import Labels
from jjis.schema import TABLES, Column, Table
from jjis.settings import Config
from jjis.store import Store
from jjis.store import registers as stored

YES_NO = ("yes", "no", "unknown")
# The registers a facility keeps (forms are made for these; areas, facilities, population and the
# policy checklist are kept by the statistics office and stay in the workbook only).
FACILITY_REGISTERS = ("arrests", "detentions", "decisions", "family_contacts", "inspections",
                      "aggregate_returns")


def schema_version() -> str:
    """The schema's version: jjis's version and the first 8 hexadecimal digits of the SHA-256 of
    the register declarations, so that a column or code added changes it."""
    digest = hashlib.sha256(repr(sorted(TABLES.items())).encode()).hexdigest()[:8]
    return f"{__version__}-{digest}"


@dataclass
class References:
    """Facilities and areas a form may name; empty when no database was given."""

    facilities: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    areas: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the facilities the forms are for (--facility)

    @property
    def given(self) -> bool:
        return bool(self.facilities)


def references(store: Store | None, wanted: list[str]) -> References:
    """The facilities (all, or only `wanted`) and their areas. `wanted` without a database, or a
    facility the database does not know, cannot run: one sentence says so."""
    if store is None:
        if wanted:
            raise JjisError("--facility needs the database that knows the facilities: give it "
                            "with --db")
        return References()
    rows = [r[:3] for r in stored.facilities(store, ordered=True)]
    known = {r[0]: r for r in rows}
    unknown = [f for f in wanted if f not in known]
    if unknown:
        raise JjisError(f"the database knows no facility {', '.join(unknown)}; give --facility "
                        "the facility_id of a facility imported in the facilities register")
    chosen = [known[f] for f in wanted] if wanted else rows
    areas = [r[:2] for r in stored.areas(store, ordered=True)]
    if wanted:
        keep = {r[2] for r in chosen}
        areas = [a for a in areas if a[0] in keep]
    return References([(r[0], r[1]) for r in chosen], [(a[0], a[1]) for a in areas], list(wanted))


def choices(col: Column, labels: Labels, config: Config,
            refs: References) -> list[tuple[str, str]] | None:
    """(value, label) pairs a column takes, or None when it is free (text, number, date)."""
    if col.kind == "yesno":
        return labels.yes_no()
    if col.codes_from == "age_groups":
        return [(g, labels.age_group(g)) for g in config.age_group_labels]
    if col.kind == "code":
        return [(c, labels.code(c)) for c in col.codes]
    if col.references == "facilities" and refs.given:
        return refs.facilities
    if col.references == "areas" and refs.given:
        return refs.areas
    return None


def is_closed_list(col: Column) -> bool:
    """Whether only the listed values are accepted (open code lists take other lower-case words)."""
    return not col.open_codes


def registers(for_facility: bool) -> list[Table]:
    """All registers, or only those a facility keeps."""
    if for_facility:
        return [TABLES[n] for n in FACILITY_REGISTERS]
    return sorted(TABLES.values(), key=lambda t: (t.load_order, list(TABLES).index(t.name)))
