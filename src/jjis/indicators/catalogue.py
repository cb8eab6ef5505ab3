"""The indicator catalogue (catalogue.toml), loaded and checked.

Every entry declares everything the system does with its indicator: the query that counts it
(registered by name in `registry.QUERIES` by the entry's `module`), its type (which chooses the
function that turns counts into figures), its statistics and headline statistic, the kind of
source coverage counts, the aggregate-return measures that feed it, whether it counts people
(disclosure control), which other queries' counts it reads and which of its counts are the same
count as another figure's. Engine, figures, aggregates, coverage, disclosure groups, reports,
pages and the release review read these; nothing keeps a table of its own per indicator.

An extra catalogue (setting `indicators.extra`) adds indicators from outside the package: the same
fields, its `module` a Python file beside it (docs/indicators-engine.md).

Every error names the entry and the field. `version` is a hash of the text, recorded with every
run so a figure can be traced to the definitions that produced it.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jjis.errors import JjisError
from jjis.indicators import registry
from jjis.schema import codes
from jjis.settings import Config, setting_path


class Type(StrEnum):
    """What kind of figure an indicator is; chooses how its counts become figures
    (figures_by_indicator.maker_of)."""

    RATE = "rate"  # a count over the child population
    SHARE = "share"  # a count over another count, as a percentage
    DURATION = "duration"  # a cohort's count, median, mean and bands of days
    COUNT = "count"  # a plain count
    POLICY = "policy"  # a checklist answer, and for some a share of places of detention


TYPES = tuple(t.value for t in Type)
TIMINGS = ("period", "snapshot")
UNITS = ("per_100000", "per_1000", "percent", "days", "count", "answer")
BREAKDOWNS = ("sex", "age_group", "offence", "facility_kind", "legal_status")
# The kinds of source coverage counts (publish/coverage.py SOURCES says what each one is).
SOURCE_KINDS = ("arrests", "detentions", "sentencing", "deciding", "inspections", "complaints")
# The counts a figure shows, which `same_counts` may name (publish/groups.py).
COUNT_FIELDS = ("numerator", "denominator", "events", "unknown", "over_age", "unknown_age")
# The roles of query columns the type's figures read (`columns`).
COLUMN_ROLES = ("numerator", "denominator", "unknown")

# The statistics each type yields by itself (without a `figures` hook).
_BANDS = ("0_6", "7_29", "30_89", "90_179", "180_364", "365_plus")
DURATION_STATISTICS = (
    "count", "median_days", "mean_days", *(f"band_{b}" for b in _BANDS),
    *(f"on_census_band_{b}" for b in _BANDS),
)
_ONE = {Type.RATE: ("per_100000", "per_1000"), Type.SHARE: ("percent",), Type.COUNT: ("count",)}
_NEEDS_COLUMNS = {Type.RATE: ("numerator",), Type.SHARE: ("numerator", "denominator"),
                  Type.COUNT: ("numerator",), Type.POLICY: ("numerator", "denominator"),
                  Type.DURATION: ()}

_TEXT_FIELDS = ("name_en", "name_fr", "numerator", "denominator", "sdmx_code", "sentence",
                "rules_en", "headline")
_FIELDS = {*_TEXT_FIELDS, "id", "core", "type", "timing", "statistics", "breakdowns", "rules_fr",
           "query", "module", "source", "measures", "counts_people", "shares", "columns",
           "figures", "same_counts", "census_bands_total"}


@dataclass(frozen=True)
class CountRef:
    """One count of one figure: indicator, statistic, field, and a breakdown value it is taken
    at where the figure has no breakdown of that dimension (e.g. legal_status = pre_sentence)."""

    indicator: int
    statistic: str
    field: str
    where: tuple[str, str] | None = None


@dataclass(frozen=True)
class Indicator:
    id: int
    name_en: str
    name_fr: str
    core: bool
    type: Type
    timing: str
    statistics: dict[str, str]  # statistic -> unit, in the catalogue's order
    numerator: str
    denominator: str
    breakdowns: tuple[str, ...]
    sdmx_code: str
    sentence: str
    rules_en: str
    rules_fr: str = ""
    headline: str = ""
    query: str | None = None  # its registered query; None: answered from the checklist alone
    source: str | None = None  # the kind of source coverage counts (SOURCE_KINDS)
    measures: tuple[str, ...] = ()  # aggregate-return measures that feed it
    counts_people: bool = True
    shares: tuple[str, ...] = ()  # other queries whose counts it reads
    columns: dict[str, str] = field(default_factory=dict)  # role -> query column
    same_counts: dict[tuple[str, str], CountRef] = field(default_factory=dict)
    census_bands_total: CountRef | None = None  # what a duration's census bands add up to
    hook: Callable[..., Any] | None = field(default=None, compare=False, repr=False)

    def unit(self, statistic: str) -> str:
        return self.statistics[statistic]

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.statistics.values()))

    @property
    def reads(self) -> tuple[str, ...]:
        """Every query whose counts its figures read: its own first."""
        return (*((self.query,) if self.query else ()), *self.shares)


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[int, Indicator]
    version: str

    def __getitem__(self, id_: int) -> Indicator:
        if id_ not in self.indicators:
            raise JjisError(f"there is no indicator {id_}; the indicators are "
                            f"{', '.join(map(str, self.indicators))}")
        return self.indicators[id_]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def queries(self) -> tuple[str, ...]:
        """The queries the entries name, in the order of the entries."""
        return tuple(dict.fromkeys(i.query for i in self if i.query))

    def reading(self, query: str) -> tuple[int, ...]:
        """The indicators whose figures read the counts of `query`."""
        return tuple(i.id for i in self if query in i.reads)

    def of_type(self, type_: Type) -> tuple[int, ...]:
        return tuple(i.id for i in self if i.type is type_)


def _fail(entry: str, field: str, message: str) -> JjisError:
    return JjisError(f"indicator catalogue, entry {entry}, field {field}: {message}")


def _text_list(raw: dict[str, Any], entry: str, name: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(entry, name, "must be a list of names")
    return tuple(value)


def _count_ref(entry: str, name: str, text: Any) -> CountRef:
    """`indicator.statistic.field`, optionally followed by ` dimension=value`."""
    if not isinstance(text, str):
        raise _fail(entry, name, "must be text like \"2.rate.numerator\"")
    ref, _, where = text.strip().partition(" ")
    parts = ref.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or parts[2] not in COUNT_FIELDS:
        raise _fail(entry, name, f"{text!r} is not indicator.statistic.field (a field is one of "
                                 f"{', '.join(COUNT_FIELDS)})")
    at = None
    if where:
        dim, eq, value = where.partition("=")
        if not eq or dim not in BREAKDOWNS or not value:
            raise _fail(entry, name, f"{where!r} is not dimension=value (a dimension is one of "
                                     f"{', '.join(BREAKDOWNS)})")
        at = (dim, value)
    return CountRef(int(parts[0]), parts[1], parts[2], at)


def _import_module(entry: str, name: str, base: Path | None) -> Any:
    """A dotted module name, or a `.py` file relative to the catalogue's folder."""
    if name.endswith(".py"):
        path = Path(name) if base is None else base / name
        if not path.is_file():
            raise _fail(entry, "module", f"there is no file {path}")
        key = "jjis_extra_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
        if key in sys.modules:
            return sys.modules[key]
        spec = importlib.util.spec_from_file_location(key, path)
        if spec is None or spec.loader is None:
            raise _fail(entry, "module", f"{path} cannot be loaded as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[key]
            raise _fail(entry, "module", f"{path} failed to load ({exc})") from exc
        return module
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise _fail(entry, "module", f"there is no module {name!r} ({exc})") from exc


def _hook(entry: str, ref: Any, module: Any) -> Callable[..., Any]:
    """`module:function`, or a bare function name of the entry's own module."""
    if not isinstance(ref, str) or not ref.strip():
        raise _fail(entry, "figures", "must name a function, as module:function")
    mod_name, colon, fn_name = ref.rpartition(":")
    where = _import_module(entry, mod_name, None) if colon else module
    if where is None:
        raise _fail(entry, "figures", f"{ref!r} names no module and the entry has none")
    fn = getattr(where, fn_name, None)
    if not callable(fn):
        raise _fail(entry, "figures", f"{ref!r}: the module has no function {fn_name!r}")
    return fn  # type: ignore[no-any-return]


def _check_statistics(entry: str, type_: Type, stats: dict[str, str], query: str | None,
                      hooked: bool) -> None:
    """The statistics a type yields by itself; an entry with a `figures` hook may declare any."""
    if hooked:
        return
    if type_ is Type.DURATION:
        if tuple(stats) != DURATION_STATISTICS:
            raise _fail(entry, "statistics", "a duration yields exactly "
                                             f"{', '.join(DURATION_STATISTICS)}")
    elif type_ is Type.POLICY:
        want = ("part_a", "part_b") if query else ("answer",)
        if tuple(stats) != want:
            raise _fail(entry, "statistics", f"a policy indicator {'with' if query else 'without'}"
                                             f" a query yields exactly {', '.join(want)}")
    elif len(stats) != 1 or next(iter(stats.values())) not in _ONE[type_]:
        raise _fail(entry, "statistics", f"a {type_.value} yields one statistic in "
                                         f"{' or '.join(_ONE[type_])} (or give a figures hook)")


def _check_description(raw: dict[str, Any], entry: str) -> tuple[Type, dict[str, str]]:
    """The fields that say what the indicator is: texts, flags, type, timing, statistics."""
    extra = sorted(set(raw) - _FIELDS)
    if extra:
        raise _fail(entry, extra[0], "is not a field of the catalogue")
    for name in _TEXT_FIELDS:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise _fail(entry, name, "is required and must be text")
    if not isinstance(raw.get("core"), bool):
        raise _fail(entry, "core", "must be true or false")
    if not isinstance(raw.get("counts_people", True), bool):
        raise _fail(entry, "counts_people", "must be true or false")
    for name, allowed in (("type", TYPES), ("timing", TIMINGS)):
        if raw.get(name) not in allowed:
            raise _fail(entry, name, f"is {raw.get(name)!r}; allowed: {', '.join(allowed)}")
    stats = raw.get("statistics")
    if not isinstance(stats, dict) or not stats:
        raise _fail(entry, "statistics", "must be a table statistic = unit")
    bad_units = [u for u in stats.values() if u not in UNITS]
    if bad_units:
        raise _fail(entry, "statistics", f"unit {bad_units[0]!r} is not one of {', '.join(UNITS)}")
    if raw["headline"] not in stats:
        raise _fail(entry, "headline", f"{raw['headline']!r} is not among its statistics "
                                       f"({', '.join(stats)})")
    by = raw.get("breakdowns")
    if not isinstance(by, list) or any(b not in BREAKDOWNS for b in by):
        raise _fail(entry, "breakdowns", f"must be a list drawn from {', '.join(BREAKDOWNS)}")
    return Type(raw["type"]), dict(stats)


def _check_query(raw: dict[str, Any], entry: str, type_: Type, base: Path | None
                 ) -> tuple[Any, str | None, tuple[str, ...]]:
    """The entry's module (imported, so its queries register), query and shared queries."""
    module = None
    if "module" in raw:
        if not isinstance(raw["module"], str) or not raw["module"].strip():
            raise _fail(entry, "module", "must be a module name or a .py file")
        module = _import_module(entry, raw["module"], base)
    query = raw.get("query")
    if query is None:
        if type_ is not Type.POLICY:
            raise _fail(entry, "query", "is required (only a policy indicator answered from the "
                                        "checklist alone has none)")
    elif not isinstance(query, str) or query not in registry.QUERIES:
        known = ", ".join(sorted(registry.QUERIES)) or "none"
        raise _fail(entry, "query", f"no query {query!r} is registered (by the entry's module: "
                                    f"{raw.get('module', 'none')}); registered: {known}")
    shares = _text_list(raw, entry, "shares")
    unknown = [s for s in shares if s not in registry.QUERIES]
    if unknown:
        raise _fail(entry, "shares", f"no query {unknown[0]!r} is registered")
    return module, query, shares


def _check_sources(raw: dict[str, Any], entry: str, query: str | None
                   ) -> tuple[str | None, tuple[str, ...]]:
    source = raw.get("source")
    if source is not None and source not in SOURCE_KINDS:
        raise _fail(entry, "source", f"is {source!r}; allowed: {', '.join(SOURCE_KINDS)}")
    if source is None and query is not None:
        raise _fail(entry, "source", f"is required with a query; one of {', '.join(SOURCE_KINDS)}")
    measures = _text_list(raw, entry, "measures")
    bad = [m for m in measures if m not in codes.MEASURES]
    if bad:
        raise _fail(entry, "measures", f"{bad[0]!r} is not an aggregate-return measure; allowed: "
                                       f"{', '.join(codes.MEASURES)}")
    return source, measures


def _check_figures(raw: dict[str, Any], entry: str, type_: Type, stats: dict[str, str],
                   query: str | None, module: Any
                   ) -> tuple[dict[str, str], Callable[..., Any] | None]:
    """The columns its type reads, its hook, and the statistics they make."""
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or any(k not in COLUMN_ROLES or not isinstance(v, str)
                                            for k, v in columns.items()):
        raise _fail(entry, "columns", f"must be a table of {', '.join(COLUMN_ROLES)} = column")
    hook = _hook(entry, raw["figures"], module) if "figures" in raw else None
    missing = [r for r in _NEEDS_COLUMNS[type_] if r not in columns]
    if query is not None and hook is None and missing:
        raise _fail(entry, "columns", f"a {type_.value} needs the column of its {missing[0]}")
    _check_statistics(entry, type_, stats, query, hook is not None)
    return dict(columns), hook


def _check_same(raw: dict[str, Any], entry: str, type_: Type, stats: dict[str, str]
                ) -> tuple[dict[tuple[str, str], CountRef], CountRef | None]:
    same = raw.get("same_counts", {})
    if not isinstance(same, dict):
        raise _fail(entry, "same_counts", "must be a table statistic.field = indicator.statistic."
                                          "field")
    same_counts: dict[tuple[str, str], CountRef] = {}
    for key, target in same.items():
        stat, _, fld = key.partition(".")
        if stat not in stats or fld not in COUNT_FIELDS:
            raise _fail(entry, "same_counts", f"{key!r} is not one of its statistics, a dot and "
                                              f"a field ({', '.join(COUNT_FIELDS)})")
        same_counts[(stat, fld)] = _count_ref(entry, "same_counts", target)
    bands_total = None
    if "census_bands_total" in raw:
        if type_ is not Type.DURATION:
            raise _fail(entry, "census_bands_total", "only a duration has census bands")
        bands_total = _count_ref(entry, "census_bands_total", raw["census_bands_total"])
    return same_counts, bands_total


def _check_entry(raw: dict[str, Any], position: int, base: Path | None, where: str = ""
                 ) -> Indicator:
    entry = str(raw.get("id", f"#{position}")) + where
    id_ = raw.get("id")
    if not isinstance(id_, int) or isinstance(id_, bool) or id_ < 1:
        raise _fail(entry, "id", "must be a whole number from 1")
    type_, stats = _check_description(raw, entry)
    module, query, shares = _check_query(raw, entry, type_, base)
    source, measures = _check_sources(raw, entry, query)
    columns, hook = _check_figures(raw, entry, type_, stats, query, module)
    same_counts, bands_total = _check_same(raw, entry, type_, stats)
    return Indicator(
        id=id_, name_en=raw["name_en"], name_fr=raw["name_fr"], core=raw["core"],
        type=type_, timing=raw["timing"], statistics=stats,
        numerator=raw["numerator"], denominator=raw["denominator"],
        breakdowns=tuple(raw["breakdowns"]), sdmx_code=raw["sdmx_code"],
        sentence=raw["sentence"], rules_en=raw["rules_en"].strip(),
        rules_fr=str(raw.get("rules_fr", "")).strip(), headline=raw["headline"], query=query,
        source=source, measures=measures, counts_people=raw.get("counts_people", True),
        shares=shares, columns=columns, same_counts=same_counts, census_bands_total=bands_total,
        hook=hook,
    )


def _check_refs(indicators: dict[int, Indicator]) -> None:
    for ind in indicators.values():
        refs = [("same_counts", r) for r in ind.same_counts.values()]
        if ind.census_bands_total:
            refs.append(("census_bands_total", ind.census_bands_total))
        for name, ref in refs:
            other = indicators.get(ref.indicator)
            if other is None or ref.statistic not in other.statistics:
                raise _fail(str(ind.id), name, f"indicator {ref.indicator} has no statistic "
                                               f"{ref.statistic!r}")


def _entries(text: str, what: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise JjisError(f"{what} is not valid TOML ({exc})") from exc
    entries = data.get("indicator")
    if not isinstance(entries, list) or not entries:
        raise JjisError(f"{what} has no [[indicator]] entries")
    return entries


def parse_catalogue(text: str, extra: str | None = None, extra_base: Path | None = None,
                    extra_name: str = "the extra indicator catalogue") -> Catalogue:
    """Check the catalogue's text (and an extra catalogue's) and build it; errors name the entry
    and the field. An extra entry's `module` file is read from `extra_base`."""
    indicators: dict[int, Indicator] = {}
    sources: list[tuple[list[dict[str, Any]], Path | None, str]] = [
        (_entries(text, "the indicator catalogue"), None, "")]
    if extra is not None:
        sources.append((_entries(extra, extra_name), extra_base, f" (in {extra_name})"))
    for entries, base, where in sources:
        for position, raw in enumerate(entries, start=1):
            if not isinstance(raw, dict):
                raise _fail(f"#{position}{where}", "id", "an entry must be a table")
            ind = _check_entry(raw, position, base, where)
            if ind.id in indicators:
                raise _fail(f"{ind.id}{where}", "id", "appears twice")
            indicators[ind.id] = ind
    _check_refs(indicators)
    digest = hashlib.sha256(text.encode("utf-8"))
    if extra is not None:
        digest.update(b"\0" + extra.encode("utf-8"))
    return Catalogue(dict(sorted(indicators.items())), digest.hexdigest()[:16])


def builtin_text() -> str:
    return resources.files("jjis.indicators").joinpath("catalogue.toml").read_text("utf-8")


@lru_cache(maxsize=8)
def _load(extra: str | None) -> Catalogue:
    if extra is None:
        return parse_catalogue(builtin_text())
    path = Path(extra)
    what = f"the extra indicator catalogue {path} (setting indicators.extra)"
    try:
        extra_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise JjisError(f"{what} cannot be read ({exc.strerror or exc}); give the path of a TOML "
                        "file, relative to the configuration file's folder") from exc
    return parse_catalogue(builtin_text(), extra_text, path.parent, what)


def load_catalogue(config: Config | None = None) -> Catalogue:
    """The catalogue: the package's, plus the extra catalogue the configuration names."""
    extra = setting_path(config, "indicators.extra") if config is not None else None
    return _load(None if extra is None else str(extra.resolve()))
