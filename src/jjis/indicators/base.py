"""The register tables as the indicators see them, and the breakdown columns.

`Sources` holds one Ibis table per register, the facilities that count as places of detention
and the area closure (each area paired with itself and every area above it), built once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis

from jjis.errors import JjisError
from jjis.indicators.periods import Period, age_on, is_child_expr
from jjis.settings import Config, band_label

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
        """The configured age band of `age`; `unknown` when outside every band or unknown."""
        branches = [((age >= lo) & (age <= hi), band_label(lo, hi))
                    for lo, hi in self.config["indicators.age_bands"]]
        return ibis.cases(*branches, else_="unknown")


def offence_section(code: Any) -> Any:
    """ICCS section (first two digits) or `unknown`."""
    return ibis.coalesce(code.substr(0, 2), ibis.literal("unknown"))


def sex_code(sex: Any) -> Any:
    return ibis.coalesce(sex, ibis.literal("u"))


def person_columns(
    src: Sources, t: Any, ref: Any, row_date: Any, dob: Any = None, age: Any = None
) -> dict[str, Any]:
    """Columns of a row about a person: is_child, estimated, unknown_age, age_group (age on
    `ref`), sex. A person of unknown age is a child (the presumption of childhood).

    The date of birth and age default to the row's own; `row_date` is the date `age` was taken."""
    age, estimated = age_on(
        t.date_of_birth if dob is None else dob, t.age if age is None else age, row_date, ref)
    return {
        "is_child": is_child_expr(age),
        "estimated": estimated,
        "unknown_age": age.isnull(),
        "age_group": src.age_group(age),
        "sex": sex_code(t.sex),
    }
