"""Disclosure control of figures: what every published output applies (indicators.md, "Quality
and publication"; the rules are explained in docs/publication.md).

`publish(figures, config, parents=...)` returns new figures in which
- every count from 1 to t - 1 (t = publication.disclosure_threshold) is withheld and shown as `<t`
  (primary suppression), with the rates, shares, intervals and durations built on it;
- further cells are withheld so that no withheld value can be worked out from a published total
  and the other published cells (secondary suppression), over the breakdown cells of a total, the
  child areas of a parent area and the duration bands of a cohort;
and lists what was withheld and why. A rate's denominator (population) is public and stays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from jjis import notes
from jjis.errors import JjisError
from jjis.indicators.catalogue import load_catalogue
from jjis.indicators.results import Figure
from jjis.publish import suppression as sup
from jjis.publish.groups import FIELDS, FigureKey, Model, build_model
from jjis.settings import Config

SECONDARY_MARK = "x"


def mask_note_counts(note: str | None, threshold: int) -> str | None:
    """A note as published: counts of children from 1 to t - 1 in it become `<t` (the notes'
    values that their type declares counts of children)."""
    return notes.join(*notes.mask_counts(notes.load(note), threshold)) if note else note


class Withheld(NamedTuple):
    """A figure of the published set whose value was withheld, and why."""

    figure: Figure
    reason: str  # "primary" or "secondary"


class WithheldField(NamedTuple):
    """A count beside a published value (events, unknown, over_age) that was withheld."""

    figure: Figure
    field: str
    reason: str


@dataclass
class PublishResult:
    figures: list[Figure]
    withheld: list[Withheld]
    withheld_fields: list[WithheldField]
    threshold: int
    unprotected: int = 0  # groups where nothing nonzero was left to withhold


def shown_value(figure: Figure) -> str | None:
    """How a withheld figure is shown: `<5` (primary) or `x` (secondary); None when shown."""
    if not figure.suppressed:
        return None
    for n in figure.notes:
        if n.code == "withheld-primary":
            return f"<{n.values['t']}"
    return SECONDARY_MARK


def publish(
    figures: list[Figure], config: Config, parents: Mapping[str, str | None] | None = None
) -> PublishResult:
    """Apply disclosure control; the figures given are not changed.

    `parents` maps each area to its parent (see `coverage.area_parents`). It is required when the
    figures cover more than one area: without it the child areas of a parent could not be
    protected against their parent's total."""
    threshold = int(config["publication.disclosure_threshold"])
    if threshold < 1:
        raise JjisError(f"publication.disclosure_threshold is {threshold}; it must be 1 or more")
    if parents is None and len({f.area for f in figures}) > 1:
        raise JjisError("publishing figures of several areas needs the area hierarchy "
                        "(parents); pass publish(..., parents=area_parents(store))")
    model = build_model(figures, threshold, parents or {}, load_catalogue(config))
    unprotected = sup.protect(model.variables, model.groups)
    out: list[Figure] = []
    withheld: list[Withheld] = []
    withheld_fields: list[WithheldField] = []
    for i, figure in enumerate(figures):
        new, reason, fields = _apply(model, i, figure, threshold)
        new.note = mask_note_counts(new.note, threshold)
        out.append(new)
        if reason:
            withheld.append(Withheld(new, reason))
        withheld_fields += [WithheldField(new, name, why) for name, why in fields]
    return PublishResult(out, withheld, withheld_fields, threshold, len(unprotected))


def _state(model: Model, key: FigureKey | None, field: str) -> str:
    var = model.var_of.get((key, field)) if key is not None else None
    return sup.PUBLISHED if var is None else model.variables.states[var]


def _reason(*states: str) -> str | None:
    if any(s in (sup.PRIMARY, sup.DEPENDENT) for s in states):
        return "primary"
    if sup.SECONDARY in states:
        return "secondary"
    return None


def _apply(
    model: Model, i: int, figure: Figure, threshold: int
) -> tuple[Figure, str | None, list[tuple[str, str]]]:
    key = model.keys[i]
    new = dataclasses.replace(figure, breakdown=dict(figure.breakdown))
    if figure.unit == "days":
        return _apply_days(model, key, new, threshold)
    num, den = _state(model, key, "numerator"), _state(model, key, "denominator")
    reason = _reason(num, den)
    if reason:
        _withhold_value(new, reason, threshold)
        if num in sup.WITHHELD:
            new.numerator = None
        if den in sup.WITHHELD:
            new.denominator = None
        if figure.unit == "count":
            new.value = None
    fields = []
    for name in FIELDS[2:]:
        why = _reason(_state(model, key, name))
        if why:
            setattr(new, name, None)
            fields.append((name, why))
    if fields:
        new.note = notes.join(new.note, notes.note("withheld-fields",
                                                   fields=[n for n, _ in fields]))
    return new, reason, fields


def _apply_days(
    model: Model, key: FigureKey, new: Figure, threshold: int
) -> tuple[Figure, str | None, list[tuple[str, str]]]:
    """Durations (median, mean) follow the size of their cohort: withheld with it when it is a
    count from 1 to t - 1; their own numerator and denominator go whenever the cohort's count
    is withheld, since they would show it."""
    cohort = model.cohort_of.get(key)
    if cohort is not None:
        state = _state(model, cohort, "numerator")
    else:
        size = new.denominator
        small = size is not None and model.variables.sensitive(size)
        state = sup.PRIMARY if small else sup.PUBLISHED
    reason = "primary" if state in (sup.PRIMARY, sup.DEPENDENT) else None
    if reason:
        _withhold_value(new, reason, threshold)
    if state in sup.WITHHELD:
        new.numerator = new.denominator = None
    return new, reason, []


def _withhold_value(figure: Figure, reason: str, threshold: int) -> None:
    figure.suppressed = True
    figure.value = figure.ci_low = figure.ci_high = None
    note = (notes.note("withheld-primary", t=threshold, t1=threshold - 1) if reason == "primary"
            else notes.note("withheld-secondary"))
    figure.note = notes.join(note, figure.note)
