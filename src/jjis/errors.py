"""The catalogue of import errors: each a type, a title and a message template.

A message names the row, the column and the value (the row and column travel beside it) and
says what is allowed. Templates are `str.format` strings over the error's fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


class JjisError(Exception):
    """The command could not run: one plain sentence saying what to do (exit code 2)."""


@dataclass(frozen=True)
class ErrorType:
    type: str
    title: str
    template: str
    scope: str = "row"  # "row": the row is rejected; "file": the whole file is refused


CATALOGUE: dict[str, ErrorType] = {
    e.type: e
    for e in (
        ErrorType("unreadable-file", "File cannot be read",
                  "{value} cannot be read, and nothing of it is stored: {detail}", "file"),
        ErrorType("unknown-table", "File is not a register",
                  "{value} does not name a register; name the file after its table "
                  "({allowed}), optionally followed by '-' and a label", "file"),
        ErrorType("missing-column", "Required column missing",
                  "column {column} is required in {table} and is missing from the header", "file"),
        ErrorType("unknown-column", "Unknown column",
                  "column {column} is not a column of {table}; allowed columns: {allowed}", "file"),
        ErrorType("duplicate-column", "Column given twice",
                  "column {column} appears more than once in the header", "file"),
        ErrorType("direct-identifier", "Direct identifier refused",
                  "column {column} holds a direct identifier (a name, address, phone number or "
                  "similar); registers must not carry them (data minimisation): delete the column "
                  "and import again. Children are linked by child_id, which is pseudonymised on "
                  "import", "file"),
        ErrorType("malformed-row", "Row cannot be read",
                  "the row cannot be read as CSV ({detail}); correct it in the file"),
        ErrorType("formula-without-value", "Formula without a computed value",
                  "{column} in cell {detail} is a formula that holds no computed value (the "
                  "program that wrote the workbook did not calculate it); open the workbook in a "
                  "spreadsheet program, let it calculate and save it, or type the value"),
        ErrorType("required-value", "Required value missing",
                  "{column} is required and is empty"),
        ErrorType("invalid-date", "Not a date",
                  "{column} is {value!r}, which is not a date written YYYY-MM-DD"),
        ErrorType("invalid-integer", "Not a whole number",
                  "{column} is {value!r}, which is not a whole number"),
        ErrorType("out-of-range", "Number out of range",
                  "{column} is {value!r}; allowed: {allowed}"),
        ErrorType("invalid-code", "Code not allowed",
                  "{column} is {value!r}, which is not an allowed code; allowed: {allowed}"),
        ErrorType("invalid-yes-no", "Not yes, no or unknown",
                  "{column} is {value!r}; allowed: yes, no, unknown (or true/false, 1/0, empty)"),
        ErrorType("invalid-offence", "Not an ICCS code",
                  "{column} is {value!r}, which is not an ICCS code; allowed: a section 01 to 11 "
                  "or a deeper code whose first two digits are the section, e.g. 0501"),
        ErrorType("unknown-reference", "Unknown reference",
                  "{column} is {value!r}, which is not in {target}; import {target} first or "
                  "correct the code"),
        ErrorType("wrong-facility-kind", "Facility of the wrong kind",
                  "{column} is {value!r}, a {detail}; {table} rows must name a facility of kind: "
                  "{allowed}"),
        ErrorType("date-order", "Dates in the wrong order",
                  "{column} is {value}, before {other} {other_value}; {other} must not be after "
                  "{column}"),
        ErrorType("date-out-of-range", "Date out of range",
                  "{column} is {value}; allowed: dates {allowed} (an earlier year is a typing "
                  "error)"),
        ErrorType("number-order", "Band ends in the wrong order",
                  "{column} is {value}, below {other} {other_value}; {column} is the last age of "
                  "the band that starts at {other}"),
        ErrorType("overlapping-population", "Population rows for the same ages",
                  "{column} {value} overlaps the ages of row {detail} (same area, year, reference "
                  "day and sex); give each age once, as single years or as one band"),
        ErrorType("future-date", "Date in the future",
                  "{column} is {value}, after today ({today}); dates of events cannot be in the future"),
        ErrorType("required-with", "Value required with another",
                  "{column} is required when {detail}"),
        ErrorType("only-with", "Value given where it does not apply",
                  "{column} is {value!r}, but may only be given when {detail}"),
        ErrorType("one-of", "Exactly one of two columns",
                  "give exactly one of {allowed}"),
        ErrorType("area-cycle", "Area its own ancestor",
                  "{column} is {value!r}, which makes the area its own ancestor ({detail}); "
                  "rows {rows} of this file are on the cycle: give each area the area it belongs "
                  "to, and the country no parent"),
        ErrorType("duplicate-id", "Identifier repeated in the file",
                  "{column} {value!r} appears on more than one row of this file (rows {detail}); "
                  "each row needs its own identifier"),
        ErrorType("geojson-unreadable", "Boundaries file cannot be read",
                  "{value} cannot be read as GeoJSON, and nothing of it is stored: {detail}",
                  "file"),
        ErrorType("geojson-too-large", "Boundaries file too large",
                  "{value} holds {detail}; allowed: {allowed}. Simplify the boundaries (e.g. with "
                  "mapshaper) and import again; nothing of it is stored", "file"),
        ErrorType("geojson-not-collection", "Not a GeoJSON FeatureCollection",
                  "{column} is {value!r}; a boundaries file is a GeoJSON object with \"type\": "
                  "\"FeatureCollection\" and a list of \"features\", each a \"Feature\"",
                  "file"),
        ErrorType("boundary-without-area", "Boundary without an area",
                  "{column} is missing or empty; every feature needs properties.area_id, the "
                  "area_id of an area in areas", "file"),
        ErrorType("boundary-unknown-area", "Boundary of an unknown area",
                  "{column} is {value!r}, which is not in areas; import areas first or correct "
                  "the code", "file"),
        ErrorType("boundary-twice", "Area given twice",
                  "{column} {value!r} is the area of more than one feature (features {detail}); "
                  "give each area one feature (a MultiPolygon for an area in several parts)",
                  "file"),
        ErrorType("boundary-geometry", "Geometry not a polygon",
                  "{column} is {value}; allowed: Polygon or MultiPolygon", "file"),
        ErrorType("boundary-coordinates", "Coordinates not allowed",
                  "{column} is {value}; allowed: {allowed}", "file"),
        ErrorType("already-recorded", "Record already recorded (web entry)",
                  "{column} {value!r} is already recorded; give a new {column}, or open the "
                  "recorded one to change it"),
    )
}


@dataclass(frozen=True)
class Refusal:
    """A command refused before it changed anything: one sentence saying what to do."""

    type: str
    title: str
    template: str


# Refusals of a whole database (store/versions.py, store/url.py); `{db}` is the --db value, password masked.
REFUSALS: dict[str, Refusal] = {
    r.type: r
    for r in (
        Refusal("schema-older", "Database of an earlier schema version",
                "{db} was made by jjis schema version {found}; this jjis uses version {current}: "
                "run `jjis upgrade --db {db}` (or restore a backup made with schema version "
                "{current})"),
        Refusal("schema-newer", "Database of a later schema version",
                "{db} was made by jjis schema version {found}; this jjis uses version {current}: "
                "use a jjis of schema version {found} (or restore a backup made with schema "
                "version {current})"),
        Refusal("upgrade-impossible", "Upgrade not possible in place",
                "{db} cannot be upgraded in place from schema version {found} to {current}, "
                "because {reason}; nothing was changed: make a new database with `jjis init` "
                "and import the registers into it again"),
        Refusal("engine-cannot", "Command not available on this engine",
                "`jjis {command}` does not work on {db}, a {engine}: {instead}"),
        Refusal("upgrade-no-tables", "Nothing to upgrade",
                "{db} has no jjis tables, so there is nothing to upgrade; make the database with "
                "`jjis init --db {db}`"),
    )
}


def refusal(type_: str, **fields: object) -> JjisError:
    """The error of a catalogued refusal, its sentence filled from the template."""
    return JjisError(REFUSALS[type_].template.format(**fields))


@dataclass
class RowError:
    """One error of one row (or of the whole file, with row 1 = the header)."""

    row: int
    column: str
    value: str
    type: str
    message: str
    # what the message template was filled with (column and value included), so that the message
    # can be said in another language: `message_in`
    fields: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def message_in(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of `gettext` (the catalogue's template of this type,
        translated, filled with the same fields); the English when it cannot be."""
        entry = CATALOGUE.get(self.type)
        if entry is None or not self.fields:
            return self.message
        try:
            return gettext(entry.template).format(**self.fields)
        except (KeyError, IndexError, ValueError):
            return self.message

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "type": self.type,
            "message": self.message,
        }


def make_error(type_: str, row: int, column: str, value: object, **fields: object) -> RowError:
    """Build an error of a catalogued type, its message filled from the template."""
    entry = CATALOGUE[type_]
    shown = "" if value is None else str(value)
    filled = {"column": column, "value": shown, **fields}
    message = entry.template.format(**filled)
    return RowError(row=row, column=column, value=shown, type=type_, message=message,
                    fields=filled)


@dataclass
class Finding:
    """A data-quality finding: not an import failure, but worth a person's look."""

    type: str
    table: str
    message: str
    detail: dict[str, object] = field(default_factory=dict)
