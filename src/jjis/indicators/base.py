"""The register tables as the indicators see them, and the breakdown columns.

`Sources` holds one Ibis table per register, the facilities that count as places of detention
and the area closure (each area paired with itself and every area above it), built once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jjis.errors import JjisError
from jjis.indicators.periods import Period, age_on, is_child_expr
from jjis.lazy import lazy
from jjis.settings import Config, band_label

ibis = lazy("ibis")  # imported at the first expression built (jjis/lazy.py)

DIMENSIONS = ("sex", "age_group", "offence", "facility_kind", "legal_status")
CROSS = "*"  # a two-way breakdown is named `sex*age_group`, its values `f*14_15`


def parts(dim: str) -> tuple[str, ...]:
    """The dimensions of a breakdown: one for `sex`, two for the cross breakdown `sex*age_group`;
    none for the total ("")."""
    return tuple(dim.split(CROSS)) if dim else ()


def breakdown_of(dim: str, value: str) -> dict[str, str]:
    """A figure's breakdown: {"sex": "f"}, or {"sex": "f", "age_group": "14_15"} for the cell
    `f*14_15` of the cross breakdown `sex*age_group`; {} for the total."""
    if not dim:
        return {}
    names = parts(dim)
    if len(names) == 1:
        return {dim: value}
    return dict(zip(names, value.split(CROSS, len(names) - 1), strict=True))


def cross_name(dims: tuple[str, ...] | list[str]) -> str:
    """The canonical name of a breakdown by these dimensions (declared order: sex before age)."""
    return CROSS.join(sorted(dims, key=DIMENSIONS.index))


def check_by(by: Sequence[str]) -> tuple[str, ...]:
    """The breakdowns to compute for `--by`: each single one, and each two-way one (`sex*age_group`)
    in its canonical name after its margins (the two single breakdowns). Errors name what is
    allowed."""
    out: list[str] = []
    for b in by:
        names = tuple(p.strip() for p in b.split(CROSS))
        bad = [n for n in names if n not in DIMENSIONS]
        if bad:
            raise JjisError(f"cannot break down by {bad[0]!r} (in {b!r}); allowed: "
                            f"{', '.join(DIMENSIONS)}, or two of them crossed as sex{CROSS}age_group")
        if len(names) > 2:
            raise JjisError(f"cannot break down by {b!r}: a cross breakdown has two dimensions "
                            f"(such as sex{CROSS}age_group), not {len(names)}")
        if len(names) == 2 and names[0] == names[1]:
            raise JjisError(f"cannot break down by {b!r}: a cross breakdown needs two different "
                            f"dimensions (such as sex{CROSS}age_group)")
        out += [*names, cross_name(names)] if len(names) == 2 else list(names)
    return tuple(dict.fromkeys(out))


@dataclass
class Areas:
    """The hierarchy: parent of each area, children, and the ancestors of each (itself first)."""

    parent: dict[str, str | None]

    @property
    def ids(self) -> list[str]:
        return list(self.parent)

    def chain(self, area: str) -> list[str]:
        out, seen = [area], {area}
        while (p := self.parent.get(out[-1])) and p not in seen:
            out.append(p)
            seen.add(p)
        return out

    def children(self, area: str) -> list[str]:
        return [a for a, p in self.parent.items() if p == area]

    def subtree(self, area: str) -> list[str]:
        return [a for a in self.parent if area in self.chain(a)]

    def roots(self) -> list[str]:
        return [a for a, p in self.parent.items() if not p or p not in self.parent]


@dataclass
class Sources:
    con: Any
    config: Config
    period: Period
    areas: Areas
    scope: list[str]  # the areas computed: the chosen area and every area below it

    def table(self, name: str) -> Any:
        return self.con.table(name)

    def closure(self) -> Any:
        """(member, area): every member area paired with each computed area it lies in."""
        pairs = [(m, a) for m in self.areas.ids for a in self.areas.chain(m) if a in self.scope]
        return ibis.memtable(
            {"member": [p[0] for p in pairs], "area": [p[1] for p in pairs]},
            schema={"member": "string", "area": "string"},
        )

    def facilities(self, detention_only: bool = False) -> Any:
        f = self.table("facilities")
        if detention_only:
            f = f.filter(f.kind.isin(list(self.config["indicators.detention_kinds"])))
        return f

    def age_group(self, age: Any) -> Any:
        """The configured age band of `age`; `unknown` when outside every band or unknown (the
        first band listed wins where bands overlap).

        A simple CASE on the age, one branch per year of age: the age expression is evaluated
        once per row (PostgreSQL repeats an expression every time a searched CASE names it)."""
        label: dict[int, str] = {}
        for lo, hi in self.config["indicators.age_bands"]:
            for year in range(int(lo), int(hi) + 1):
                label.setdefault(year, band_label(lo, hi))
        if not label:
            return ibis.literal("unknown", type="string")
        return age.cases(*label.items(), else_="unknown")


def offence_section(code: Any) -> Any:
    """ICCS section (first two digits) or `unknown`."""
    return ibis.coalesce(code.substr(0, 2), ibis.literal("unknown"))


def sex_code(sex: Any) -> Any:
    return ibis.coalesce(sex, ibis.literal("u"))


def person_age(t: Any, ref: Any, row_date: Any, dob: Any = None, age: Any = None) -> dict[str, Any]:
    """Columns of a row about a person before its flags: `age_now` (age on `ref`), estimated,
    sex. The date of birth and age default to the row's own; `row_date` is the date `age` was
    taken. `person_flags` makes the rest from `age_now`."""
    age_now, estimated = age_on(
        t.date_of_birth if dob is None else dob, t.age if age is None else age, row_date, ref)
    return {"age_now": age_now, "estimated": estimated, "sex": sex_code(t.sex)}


def person_flags(src: Sources, age: Any) -> dict[str, Any]:
    """is_child, unknown_age and age_group of a person of age `age` (an unknown age: a child)."""
    return {"is_child": is_child_expr(age), "unknown_age": age.isnull(),
            "age_group": src.age_group(age)}


def spell_start_age(s: Any) -> dict[str, Any]:
    """`person_age` of a stay of the spells (spells.with_spells), on the spell's start: its
    `start_age` column, computed once with the spells."""
    return {"age_now": s.start_age, "estimated": s.first_dob.isnull() & s.first_age.notnull(),
            "sex": sex_code(s.sex)}


def spell_start_person(src: Sources, s: Any) -> dict[str, Any]:
    """`person_columns` of a stay of the spells on the spell's start, from `start_age`."""
    cols = spell_start_age(s)
    age_now = cols.pop("age_now")
    return {**cols, **person_flags(src, age_now)}


def person_columns(
    src: Sources, t: Any, ref: Any, row_date: Any, dob: Any = None, age: Any = None
) -> dict[str, Any]:
    """Columns of a row about a person: is_child, estimated, unknown_age, age_group (age on
    `ref`), sex. A person of unknown age is a child (the presumption of childhood).

    The age expression is written out in every flag (PostgreSQL then computes it once per flag):
    where the rows go through `counting.per_child`, give it `person_age`'s columns and
    `person_flags` instead, and the age is computed once per row."""
    cols = person_age(t, ref, row_date, dob, age)
    age_now = cols.pop("age_now")
    return {**cols, **person_flags(src, age_now)}
