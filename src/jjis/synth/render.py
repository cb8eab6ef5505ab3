"""From generated arrays to the text of the registers: ISO dates, lower-case codes, yes/no.

Each function returns the values of one table keyed by column name; the writer puts them in
the schema's column order. Identifiers are numbered on from `first`, so they stay unique over
the chunks of a file.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jjis.schema import codes
from jjis.synth.cases import OFFENCE_CODES
from jjis.synth.chunk import Chunk
from jjis.synth.country import Country
from jjis.synth.dates import MISSING, iso, whole_years
from jjis.synth.frames import labels

Columns = dict[str, np.ndarray]
YES_NO_UNKNOWN = ("yes", "no", "")  # unknown is written empty


def lookup(values: Sequence[str], index: np.ndarray) -> np.ndarray:
    """values[index], empty where index is -1."""
    return np.array([*values, ""])[index]


def numbered(prefix: str, first: int, n: int) -> np.ndarray:
    return labels(prefix, np.arange(first, first + n), 8)


def yes_no(flags: Sequence[bool | None]) -> np.ndarray:
    return np.array(["" if f is None else "yes" if f else "no" for f in flags])


def _child(chunk: Chunk, child: np.ndarray, on: np.ndarray, width: int) -> Columns:
    """The child as every row carries it: id, sex, date of birth or else age on the row's date."""
    kids = chunk.children
    known = kids.dob_known[child]
    born = kids.born[child]
    return {
        "child_id": kids.ids(child, width),
        "sex": lookup(codes.SEX, kids.sex[child]),
        "date_of_birth": iso(np.where(known, born, MISSING)),
        "age": np.where(known, "", whole_years(born, on).astype(str)),
    }


class Renderer:
    def __init__(self, country: Country, child_id_width: int) -> None:
        self.facility_ids = np.array([f.facility_id for f in country.facilities])
        self.width = child_id_width

    def arrests(self, chunk: Chunk, first: int) -> Columns:
        f = chunk.arrests
        return {
            "arrest_id": numbered("A", first, len(f)),
            **_child(chunk, f["child"], f["date"], self.width),
            "arrest_date": iso(f["date"]),
            "facility_id": self.facility_ids[f["facility"]],
            "offence_code": lookup(OFFENCE_CODES, f["offence"]),
            "outcome": lookup(codes.ARREST_OUTCOMES, f["outcome"]),
        }

    def decisions(self, chunk: Chunk, first: int) -> Columns:
        f = chunk.decisions
        days = f["sentence_days"]
        return {
            "decision_id": numbered("D", first, len(f)),
            **_child(chunk, f["child"], f["date"], self.width),
            "decision_date": iso(f["date"]),
            "facility_id": self.facility_ids[f["facility"]],
            "kind": lookup(codes.DECISION_KINDS, f["kind"]),
            "offence_code": lookup(OFFENCE_CODES, f["offence"]),
            "sentence_days": np.where(days >= 0, days.astype(str), ""),
        }

    def detentions(self, chunk: Chunk, first: int) -> Columns:
        f = chunk.stays
        return {
            "stay_id": numbered("S", first, len(f)),
            **_child(chunk, f["child"], f["admission"], self.width),
            "facility_id": self.facility_ids[f["facility"]],
            "admission_date": iso(f["admission"]),
            "status_at_admission": lookup(codes.LEGAL_STATUS, f["status"]),
            "sentence_date": iso(f["sentence_date"]),
            "release_date": iso(f["release"]),
            "release_reason": lookup(codes.RELEASE_REASONS, f["reason"]),
            "death_cause": lookup(codes.DEATH_CAUSES, f["cause"]),
            "aftercare": lookup(YES_NO_UNKNOWN, f["aftercare"]),
            "wholly_separated": lookup(YES_NO_UNKNOWN, f["separated"]),
            "offence_code": lookup(OFFENCE_CODES, f["offence"]),
        }

    def family_contacts(self, chunk: Chunk, first: int) -> Columns:
        f = chunk.contacts
        return {
            "contact_id": numbered("V", first, len(f)),
            "child_id": chunk.children.ids(f["child"], self.width),
            "facility_id": self.facility_ids[f["facility"]],
            "contact_date": iso(f["date"]),
            "kind": lookup(codes.CONTACT_KINDS, f["kind"]),
            "relation": lookup(codes.RELATIONS, f["relation"]),
        }


def areas_columns(country: Country) -> Columns:
    rows = np.array(country.areas)
    return {name: rows[:, i] for i, name in enumerate(("area_id", "name", "parent_id", "level"))}


def facilities_columns(country: Country) -> Columns:
    fs = country.facilities
    return {
        "facility_id": np.array([f.facility_id for f in fs]),
        "name": np.array([f.name for f in fs]),
        "area_id": np.array([f.area_id for f in fs]),
        "kind": np.array([f.kind for f in fs]),
        "holds_adults": yes_no([f.holds_adults for f in fs]),
        "complaints_system": yes_no([f.complaints_system for f in fs]),
        "opened": iso(np.array([f.opened for f in fs], dtype=np.int64)),
        "closed": iso(np.array([f.closed for f in fs], dtype=np.int64)),
    }
