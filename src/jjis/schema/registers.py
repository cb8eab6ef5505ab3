"""The registers, declared once.

Everything else is derived from these declarations: the database tables (store/ddl.py), the
import validation (ingest/), the CSV templates and the reference documentation (docs.py).
See data-model.md in the specification.
"""

from __future__ import annotations

from dataclasses import dataclass

from jjis.schema import codes

# Column kinds: how a value is read, checked and stored.
KINDS = ("text", "code", "date", "integer", "yesno", "child", "offence")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    help: str = ""
    codes: tuple[str, ...] = ()
    open_codes: bool = False  # codes listed are suggestions; any lower-case word is accepted
    references: str | None = None  # "areas" or "facilities": the value must exist there
    minimum: int | None = None
    maximum: int | None = None
    future_ok: bool = False  # a date that may lie after today
    codes_from: str | None = None  # codes come from the configuration ("age_groups")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: kind {self.kind!r} is not one of {KINDS}")
        if self.kind == "code" and not self.codes:
            raise ValueError(f"column {self.name}: a code column needs its code list")


@dataclass(frozen=True)
class DateOrder:
    """`earlier` must not be after `later` when both are given."""

    earlier: str
    later: str


@dataclass(frozen=True)
class RequiredWhen:
    """`column` is required when `when` is given (and, with `among`, has one of those values)."""

    column: str
    when: str
    among: tuple[str, ...] = ()


@dataclass(frozen=True)
class OnlyWhen:
    """`column` may only be given when `when` is given (and, with `among`, has one of those values)."""

    column: str
    when: str
    among: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberOrder:
    """`lower` must not be above `upper` when both are given (an age band's ends)."""

    lower: str
    upper: str


@dataclass(frozen=True)
class OneOf:
    """Exactly one of `columns` is given."""

    columns: tuple[str, ...]


Rule = DateOrder | NumberOrder | RequiredWhen | OnlyWhen | OneOf


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    help: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    load_order: int
    rules: tuple[Rule, ...] = ()
    facility_kinds: tuple[str, ...] | str | None = None  # "detention" = the configured set
    child_level: bool = False  # rows are about a child: pseudonymised, linked across registers
    notes: str = ""  # how the rows are read, beyond the columns (shown in docs/registers.md)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name}")


def _child_columns(date_help: str) -> tuple[Column, ...]:
    return (
        Column("child_id", "child", True,
               "the source's identifier of the child; replaced by a keyed hash on import"),
        Column("sex", "code", True, "f, m or u (unknown)", codes=codes.SEX),
        Column("date_of_birth", "date", False, "when known"),
        Column("age", "integer", False, f"whole years on {date_help}, where no date of birth is known",
               minimum=0, maximum=120),
    )


AREAS = Table(
    "areas",
    "Areas",
    "The administrative hierarchy: country, regions, districts (deeper levels allowed).",
    (
        Column("area_id", "text", True, "stable code, e.g. BJ, BJ-AL"),
        Column("name", "text", True, "the area's name"),
        Column("parent_id", "text", False, "the area it belongs to; empty for the country",
               references="areas"),
        Column("level", "code", True, "country, region, district or a deeper level",
               codes=codes.AREA_LEVELS, open_codes=True),
    ),
    key=("area_id",),
    load_order=0,
)

FACILITIES = Table(
    "facilities",
    "Facilities",
    "Every source of data and every place of detention.",
    (
        Column("facility_id", "text", True, "stable code"),
        Column("name", "text", True, "the facility's name"),
        Column("area_id", "text", True, "where it is", references="areas"),
        Column("kind", "code", True, "what it is", codes=codes.FACILITY_KINDS),
        Column("holds_adults", "yesno", False, "adults are held in the same place"),
        Column("complaints_system", "yesno", False, "a complaints system for children operates"),
        Column("opened", "date", False, "open from this day", future_ok=True),
        Column("closed", "date", False, "closed from this day (open while empty)", future_ok=True),
    ),
    key=("facility_id",),
    load_order=1,
    rules=(DateOrder("opened", "closed"),),
)

POPULATION = Table(
    "population",
    "Population",
    "Denominators: persons by area, year (or reference day), sex and age, as statistics offices "
    "publish them: single years of age or age bands, each sex or both sexes together.",
    (
        Column("area_id", "text", True, "the area", references="areas"),
        Column("year", "integer", True, "calendar year", minimum=1900, maximum=2100),
        Column("reference_date", "date", False,
               "the day the estimate is for (e.g. 30 June or 31 December); empty = the year",
               future_ok=True),
        Column("sex", "code", False, "f or m; empty = both sexes together",
               codes=codes.POPULATION_SEX),
        Column("age", "integer", True, "single year of age, or the first age of a band",
               minimum=0, maximum=120),
        Column("age_to", "integer", False, "the last age of a band (inclusive); empty = `age` only",
               minimum=0, maximum=120),
        Column("population", "integer", True, "persons", minimum=0),
    ),
    key=("area_id", "year", "reference_date", "sex", "age"),
    load_order=2,
    rules=(NumberOrder("age", "age_to"),),
    notes=(
        "Two rows of one file for the same area, year, reference day and sex whose ages overlap "
        "(a band and single years inside it, or two bands) are both rejected, each naming the "
        "other. The denominator of an area is the rows whose reference day is nearest the "
        "census date (rows without a reference day: the census date's year), over the area's "
        "age range: rows inside the range count whole; a band that straddles the range's edge "
        "is apportioned uniformly over its single years (a band 15–19 gives 3/5 of its persons "
        "to a range ending at 17). Totals use the both-sexes rows where the area has them, else "
        "the sum of the sexes; the sex breakdown needs rows of that sex. Figures say in their "
        "note when their denominator was apportioned or taken from both-sexes rows, and name the "
        "reference day used. See docs/indicators-engine.md."),
)

ARRESTS = Table(
    "arrests",
    "Arrests",
    "Police register: one row per arrest of a child.",
    (
        Column("arrest_id", "text", True, "unique within the source"),
        *_child_columns("the arrest date"),
        Column("arrest_date", "date", True, "day of the arrest"),
        Column("facility_id", "text", True, "the arresting police station", references="facilities"),
        Column("offence_code", "offence", False, "ICCS code: section 01-11 or a deeper code"),
        Column("outcome", "code", False, "what happened at the arrest", codes=codes.ARREST_OUTCOMES),
    ),
    key=("facility_id", "arrest_id"),
    load_order=3,
    rules=(DateOrder("date_of_birth", "arrest_date"),),
    facility_kinds=codes.ARRESTING_KINDS,
    child_level=True,
)

DETENTIONS = Table(
    "detentions",
    "Detentions",
    "One row per stay of a child in one place of detention.",
    (
        Column("stay_id", "text", True, "the register's reference of the stay"),
        *_child_columns("the admission date"),
        Column("facility_id", "text", True, "a place of detention", references="facilities"),
        Column("admission_date", "date", True, "first day of the stay"),
        Column("status_at_admission", "code", True, "legal status on admission",
               codes=codes.LEGAL_STATUS),
        Column("sentence_date", "date", False, "when a pre-sentence child was sentenced during the stay"),
        Column("release_date", "date", False, "empty while still held"),
        Column("release_reason", "code", False, "required when release_date is set",
               codes=codes.RELEASE_REASONS),
        Column("death_cause", "code", False, "only when release_reason is death",
               codes=codes.DEATH_CAUSES),
        Column("aftercare", "yesno", False, "aftercare at release"),
        Column("wholly_separated", "yesno", False, "wholly separated from adults during the stay"),
        Column("offence_code", "offence", False, "ICCS code of the most serious offence"),
    ),
    key=("facility_id", "stay_id"),
    load_order=3,
    rules=(
        DateOrder("date_of_birth", "admission_date"),
        DateOrder("admission_date", "sentence_date"),
        DateOrder("sentence_date", "release_date"),
        DateOrder("admission_date", "release_date"),
        RequiredWhen("release_reason", "release_date"),
        OnlyWhen("release_reason", "release_date"),
        OnlyWhen("sentence_date", "status_at_admission", ("pre_sentence",)),
        OnlyWhen("death_cause", "release_reason", ("death",)),
    ),
    facility_kinds="detention",
    child_level=True,
)

DECISIONS = Table(
    "decisions",
    "Decisions",
    "Decisions of police, prosecutors and courts.",
    (
        Column("decision_id", "text", True, "unique within the source"),
        *_child_columns("the decision date"),
        Column("decision_date", "date", True, "day of the decision"),
        Column("facility_id", "text", True, "the deciding authority", references="facilities"),
        Column("kind", "code", True, "what was decided", codes=codes.DECISION_KINDS),
        Column("offence_code", "offence", False, "ICCS code"),
        Column("sentence_days", "integer", False, "length of a custodial sentence", minimum=0),
    ),
    key=("facility_id", "decision_id"),
    load_order=3,
    rules=(
        DateOrder("date_of_birth", "decision_date"),
        OnlyWhen("sentence_days", "kind", ("custodial_sentence",)),
    ),
    facility_kinds=codes.DECIDING_KINDS,
    child_level=True,
)

FAMILY_CONTACTS = Table(
    "family_contacts",
    "Family contacts",
    "Visits log of places of detention.",
    (
        Column("contact_id", "text", True, "unique within the source"),
        Column("child_id", "child", True, "the source's identifier of the child; replaced by a keyed hash"),
        Column("facility_id", "text", True, "the place of detention", references="facilities"),
        Column("contact_date", "date", True, "day of the contact"),
        Column("kind", "code", True, "visit received or home visit", codes=codes.CONTACT_KINDS),
        Column("relation", "code", True, "who the child saw", codes=codes.RELATIONS),
    ),
    key=("facility_id", "contact_id"),
    load_order=3,
    facility_kinds="detention",
    child_level=True,
)

INSPECTIONS = Table(
    "inspections",
    "Inspections",
    "Visits to places of detention by inspecting bodies.",
    (
        Column("inspection_id", "text", True, "unique within the source"),
        Column("facility_id", "text", True, "the place inspected", references="facilities"),
        Column("inspection_date", "date", True, "day of the visit"),
        Column("body", "text", False, "who inspected"),
        Column("independent", "yesno", True, "the body does not answer to the authority running the place"),
    ),
    key=("inspection_id",),
    load_order=3,
    facility_kinds="detention",
)

POLICY = Table(
    "policy",
    "Policy checklist",
    "National checklists behind indicators 12a, 13a, 14 and 15.",
    (
        Column("indicator", "code", True, "12, 13, 14 or 15", codes=codes.POLICY_INDICATORS),
        Column("item", "text", True, "a short code, e.g. specialised_courts"),
        Column("answer", "code", True, "yes or no", codes=codes.YES_NO),
        Column("as_of", "date", True, "date the answer holds from", future_ok=True),
        Column("evidence", "text", False, "law, decree, document reference"),
    ),
    key=("indicator", "item", "as_of"),
    load_order=3,
)

AGGREGATE_RETURNS = Table(
    "aggregate_returns",
    "Aggregate returns",
    "Counts from sources without a record-level register.",
    (
        Column("return_id", "text", True, "unique identifier of the return line"),
        Column("facility_id", "text", False, "the source the counts are for", references="facilities"),
        Column("area_id", "text", False, "the area the counts are for", references="areas"),
        Column("measure", "code", True, "what is counted", codes=codes.MEASURES),
        Column("census_date", "date", False, "for snapshot measures"),
        Column("period_start", "date", False, "for period measures"),
        Column("period_end", "date", False, "for period measures"),
        Column("sex", "code", False, "empty = all", codes=codes.SEX),
        Column("age_group", "text", False, "an age group of the configuration; empty = all",
               codes_from="age_groups"),
        Column("value", "integer", True, "count", minimum=0),
    ),
    key=("return_id",),
    load_order=3,
    rules=(
        OneOf(("facility_id", "area_id")),
        DateOrder("period_start", "period_end"),
        RequiredWhen("census_date", "measure", codes.SNAPSHOT_MEASURES),
        RequiredWhen("period_start", "measure", codes.PERIOD_MEASURES),
        RequiredWhen("period_end", "measure", codes.PERIOD_MEASURES),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        AREAS,
        FACILITIES,
        POPULATION,
        ARRESTS,
        DETENTIONS,
        DECISIONS,
        FAMILY_CONTACTS,
        INSPECTIONS,
        POLICY,
        AGGREGATE_RETURNS,
    )
}
