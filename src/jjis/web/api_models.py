"""The shapes the JSON API documents in its OpenAPI schema (responses are built directly; these
describe them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    error: str = Field(description="one plain sentence saying what is wrong and what to do")
    status: int
    detail: list[dict[str, Any]] | None = None


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds the token stays valid")


class TokenInfoOut(BaseModel):
    token_id: str = Field(description="the first 12 hex digits of the token's SHA-256")
    issued_at: int = Field(description="seconds since 1970")
    expires_at: int


class TokensOut(BaseModel):
    tokens: list[TokenInfoOut]


class RevokedOut(BaseModel):
    revoked: int = Field(description="how many tokens ended (0: none of that id)")


class NoteOut(BaseModel):
    code: str
    values: dict[str, Any]


class FigureOut(BaseModel):
    """One figure, as `jjis compute --format json` prints it."""

    indicator: int
    statistic: str
    area: str
    census_date: str
    period_start: str
    period_end: str
    unit: str
    breakdown: dict[str, str] = Field(description="{} for the total; one dimension "
                                      "({\"sex\": \"f\"}); two for a cell of a cross table "
                                      "({\"sex\": \"f\", \"age_group\": \"14_15\"})")
    numerator: float | None = Field(None, description="the count behind the value; null when "
                                    "withheld (disclosure control: see suppressed and note)")
    denominator: float | None = Field(None, description="the rate's population or the share's "
                                      "count of children; null when withheld")
    value: float | str | None = Field(None, description="a number; yes/partial/no for policy "
                                      "answers; null when withheld or not computable (see note)")
    ci_low: float | None = None
    ci_high: float | None = None
    unknown: int | None = None
    over_age: int | None = None
    unknown_age: int | None = Field(None, description="children counted whose age was unknown "
                                    "(presumed children)")
    events: int | None = None
    coverage_reported: int | None = None
    coverage_expected: int | None = None
    timely_reported: int | None = Field(None, description="of coverage_reported, the sources "
                                        "whose data arrived within [release] deadline_days")
    suppressed: bool
    note: str | None = Field(None, description="the figure's notes in English, rendered from "
                             "the catalogue of notes (`jjis docs`: notes.md)")
    notes: list[NoteOut] = Field(default_factory=list, description="the figure's notes as data: "
                                 "each a code of the catalogue of notes and its values")
    run_id: str | None = None
    release_id: str | None = Field(None, description="the release the figure belongs to "
                                   "(published figures)")
    revised: bool | None = Field(None, description="whether the published value differs from "
                                 "the release this one replaced")
    revised_from: float | str | None = Field(None, description="when revised: the earlier "
                                             "published value (null: it was withheld)")


class HandledOut(BaseModel):
    at: str
    by: str
    note: str


class ActionItemOut(BaseModel):
    stay_id: str = Field(description="the register's own reference of the stay")
    rule: str
    rule_label: str
    days_held: int
    detail: str
    handled: HandledOut | None = None


class ActionListOut(BaseModel):
    facility_id: str
    as_of: str
    limits: dict[str, Any]
    note: str | None = None
    items: list[ActionItemOut]


class FacilityOut(BaseModel):
    facility_id: str
    name: str
    area_id: str
    kind: str
    holds_adults: bool | None = None
    place_of_detention: bool = Field(description="whether it has an action list (its kind is "
                                     "one of the settings' indicators.detention_kinds)")


class FacilitiesOut(BaseModel):
    facilities: list[FacilityOut]


class RuleSummaryOut(BaseModel):
    rule: str
    rule_label: str
    facilities: int = Field(description="facilities with at least one open item of the rule")
    children: int = Field(description="children (stays) with an open item of the rule, summed "
                          "over the facilities")


class FacilitySummaryOut(BaseModel):
    facility_id: str
    name: str
    area_id: str
    kind: str
    open_items: int = Field(description="open items of the facility's action list, all rules")
    open: dict[str, int] = Field(description="rule -> children with an open item of the rule "
                                 "(rules with none are left out)")


class ActionSummaryOut(BaseModel):
    """Open (not handled) items of the action lists of the places of detention in the
    caller's remit."""

    as_of: str
    rules: list[RuleSummaryOut]
    facilities: list[FacilitySummaryOut]


class StayOut(BaseModel):
    stay_id: str
    sex: str | None = None
    age: int | None = Field(None, description="whole years on the as-of date")
    admission_date: str
    status_at_admission: str | None = None
    legal_status: str | None = None
    sentence_date: str | None = None
    release_date: str | None = None
    release_reason: str | None = None
    aftercare: bool | None = None
    wholly_separated: bool | None = None
    offence_code: str | None = None


class StaysOut(BaseModel):
    facility_id: str
    as_of: str
    stays: list[StayOut]


class ImportReportOut(BaseModel):
    """The import JSON report of `jjis import --json`, and the exit code import would give."""

    tables: dict[str, dict[str, Any]]
    findings: list[dict[str, Any]]
    exit_code: int


class ImportJobOut(BaseModel):
    """An upload's import job."""

    job_id: str
    status: str = Field(description="queued, running, done, refused or failed")
    files: list[str]
    submitted_at: str
    finished_at: str | None = None
    report: ImportReportOut | None = Field(None, description="when done: the import report")
    error: str | None = Field(None, description="when refused or failed: why")
    status_code: int | None = Field(None, description="200 done, 403 refused, 500 failed")
    refused_files: list[dict[str, str]] = Field(
        default_factory=list, description="files of the upload outside the sender's remit, "
        "not imported (the others are): `file` and `reason`, one sentence")


class AuditEntryOut(BaseModel):
    seq: int
    logged_at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditOut(BaseModel):
    intact: bool
    message: str
    entries: list[AuditEntryOut]
