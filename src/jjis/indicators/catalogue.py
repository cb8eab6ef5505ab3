"""The indicator catalogue (catalogue.toml), loaded and checked.

Every error names the entry and the field. `version` is a hash of the file, recorded with every
run so a figure can be traced to the definitions that produced it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from jjis.errors import JjisError

TYPES = ("rate", "share", "duration", "count", "policy")
TIMINGS = ("period", "snapshot")
UNITS = ("per_100000", "per_1000", "percent", "days", "count", "answer")
BREAKDOWNS = ("sex", "age_group", "offence", "facility_kind", "legal_status")
CORE = (2, 3, 9, 10, 14)

# The statistics of each indicator (architecture.md): the catalogue must declare exactly these.
_BANDS = ("0_6", "7_29", "30_89", "90_179", "180_364", "365_plus")
_DURATION = (
    "count", "median_days", "mean_days", *(f"band_{b}" for b in _BANDS),
    *(f"on_census_band_{b}" for b in _BANDS),
)
STATISTICS: dict[int, tuple[str, ...]] = {
    1: ("rate", "events"), 2: ("rate",), 3: ("rate", "share_of_detained"),
    4: _DURATION, 5: _DURATION,
    6: ("rate", "rate_census", "rate_average_daily_population"),
    7: ("percent",), 8: ("percent",), 9: ("percent",), 10: ("percent",), 11: ("percent",),
    12: ("part_a", "part_b"), 13: ("part_a", "part_b"), 14: ("answer",), 15: ("answer",),
}

_TEXT_FIELDS = ("name_en", "name_fr", "numerator", "denominator", "sdmx_code", "sentence",
                "rules_en")


@dataclass(frozen=True)
class Indicator:
    id: int
    name_en: str
    name_fr: str
    core: bool
    type: str
    timing: str
    statistics: dict[str, str]  # statistic -> unit, in the catalogue's order
    numerator: str
    denominator: str
    breakdowns: tuple[str, ...]
    sdmx_code: str
    sentence: str
    rules_en: str
    rules_fr: str = ""

    def unit(self, statistic: str) -> str:
        return self.statistics[statistic]

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.statistics.values()))


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[int, Indicator]
    version: str

    def __getitem__(self, id_: int) -> Indicator:
        if id_ not in self.indicators:
            raise JjisError(f"there is no indicator {id_}; the indicators are numbered 1 to 15")
        return self.indicators[id_]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.indicators.values())


def _fail(entry: str, field: str, message: str) -> JjisError:
    return JjisError(f"indicator catalogue, entry {entry}, field {field}: {message}")


def _check_entry(raw: dict[str, Any], position: int) -> Indicator:
    entry = str(raw.get("id", f"#{position}"))
    id_ = raw.get("id")
    if not isinstance(id_, int) or id_ not in STATISTICS:
        raise _fail(entry, "id", "must be a whole number from 1 to 15")
    for name in _TEXT_FIELDS:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise _fail(entry, name, "is required and must be text")
    if not isinstance(raw.get("core"), bool) or raw["core"] != (id_ in CORE):
        raise _fail(entry, "core", f"must be {str(id_ in CORE).lower()} (core: 2, 3, 9, 10, 14)")
    for name, allowed in (("type", TYPES), ("timing", TIMINGS)):
        if raw.get(name) not in allowed:
            raise _fail(entry, name, f"is {raw.get(name)!r}; allowed: {', '.join(allowed)}")
    stats = raw.get("statistics")
    if not isinstance(stats, dict) or tuple(stats) != STATISTICS[id_]:
        raise _fail(entry, "statistics", f"must declare exactly {', '.join(STATISTICS[id_])}")
    bad_units = [u for u in stats.values() if u not in UNITS]
    if bad_units:
        raise _fail(entry, "statistics", f"unit {bad_units[0]!r} is not one of {', '.join(UNITS)}")
    by = raw.get("breakdowns")
    if not isinstance(by, list) or any(b not in BREAKDOWNS for b in by):
        raise _fail(entry, "breakdowns", f"must be a list drawn from {', '.join(BREAKDOWNS)}")
    known = {*_TEXT_FIELDS, "id", "core", "type", "timing", "statistics", "breakdowns", "rules_fr"}
    extra = sorted(set(raw) - known)
    if extra:
        raise _fail(entry, extra[0], "is not a field of the catalogue")
    return Indicator(
        id=id_, name_en=raw["name_en"], name_fr=raw["name_fr"], core=raw["core"],
        type=raw["type"], timing=raw["timing"], statistics=dict(stats),
        numerator=raw["numerator"], denominator=raw["denominator"], breakdowns=tuple(by),
        sdmx_code=raw["sdmx_code"], sentence=raw["sentence"],
        rules_en=raw["rules_en"].strip(), rules_fr=str(raw.get("rules_fr", "")).strip(),
    )


def parse_catalogue(text: str) -> Catalogue:
    """Check the catalogue's text and build it; errors name the entry and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise JjisError(f"the indicator catalogue is not valid TOML ({exc})") from exc
    entries = data.get("indicator")
    if not isinstance(entries, list):
        raise JjisError("the indicator catalogue has no [[indicator]] entries")
    indicators: dict[int, Indicator] = {}
    for position, raw in enumerate(entries, start=1):
        ind = _check_entry(raw, position)
        if ind.id in indicators:
            raise _fail(str(ind.id), "id", "appears twice")
        indicators[ind.id] = ind
    missing = sorted(set(STATISTICS) - set(indicators))
    if missing:
        raise JjisError(f"the indicator catalogue lacks indicator(s) {missing}")
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Catalogue(dict(sorted(indicators.items())), version)


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    text = resources.files("jjis.indicators").joinpath("catalogue.toml").read_text("utf-8")
    return parse_catalogue(text)
