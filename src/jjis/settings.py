"""The settings, declared once as a table (name, type, default, help).

The TOML configuration file (`--config`, default `./jjis.toml`) sets any of them; the
documentation (docs/configuration.md) is generated from this table. Environment variables are
for secrets and connection URLs only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jjis.errors import JjisError
from jjis.schema import codes


@dataclass(frozen=True)
class Setting:
    name: str  # dotted: "population.ages" is [population] ages = ...
    type: str  # "int", "float", "str", "bool", "list[str]", "range", "ranges", "map[range]", "map[int]"
    default: Any
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("population.ages", "range", [0, 17],
            "Default denominator age range of indicators 1-3, inclusive."),
    Setting("population.ages_by_area", "map[range]", {},
            "Age range per area, inherited by the area's descendants (e.g. \"US-TX\" = [10, 16])."),
    Setting("indicators.detention_kinds", "list[str]", list(codes.PLACES_OF_DETENTION),
            "Facility kinds that count as places of detention.", codes.FACILITY_KINDS),
    Setting("indicators.age_bands", "ranges", [[0, 13], [14, 15], [16, 17]],
            "Age groups of the breakdowns, inclusive ranges; children outside every band and "
            "children of unknown age form the group `unknown`."),
    Setting("indicators.age_basis", "str", "reference",
            "Age of children in snapshots: `reference` = age on the census date; `admission` = "
            "everyone admitted as a child counts.", ("reference", "admission")),
    Setting("indicators.family_contact_leave_out_short_stays", "bool", False,
            "Indicator 8: leave out children held for less than three months on the census date."),
    Setting("indicators.extra", "str", "",
            "A TOML file of extra indicators, entries like those of the package's catalogue, "
            "each naming its query module (a .py file beside it); a relative path is read from "
            "the configuration file's folder. Empty: the fifteen indicators only "
            "(docs/indicators-engine.md)."),
    Setting("publication.disclosure_threshold", "int", 5,
            "Counts from 1 to this number minus one are withheld in every published output."),
    Setting("publication.languages", "list[str]", ["en", "fr"],
            "Languages of reports and pages.", ("en", "fr")),
    Setting("limits.pre_sentence_days", "int", 90,
            "Legal limit of pre-sentence detention in days (action lists)."),
    Setting("limits.pre_sentence_days_by_area", "map[int]", {},
            "Pre-sentence limit per area, inherited by descendants."),
    Setting("limits.police_custody_hours", "int", 48,
            "Legal limit of police custody in hours (action lists)."),
    Setting("limits.police_custody_hours_by_area", "map[int]", {},
            "Police custody limit per area, inherited by descendants."),
    Setting("limits.minimum_age", "int", 12,
            "Minimum age of criminal responsibility (action lists)."),
    Setting("limits.minimum_age_by_area", "map[int]", {},
            "Minimum age of criminal responsibility per area, inherited by descendants."),
    Setting("limits.pre_sentence_warning_days", "int", 10,
            "Action lists: warn when pre-sentence detention is this many days or fewer from its "
            "legal limit."),
    Setting("limits.aftercare_days", "int", 30,
            "Action lists: releases without aftercare are listed for this many days, the as-of "
            "date included."),
    Setting("import.workbook_max_rows", "int", 200_000,
            "Import: a workbook sheet with more rows than this (by its declared size or as read) "
            "is refused before its rows are read; larger registers go in CSV files."),
    Setting("import.workbook_max_cells", "int", 5_000_000,
            "Import: a workbook sheet with more cells than this is refused before its rows are "
            "read."),
    Setting("import.workbook_max_unpacked_mb", "int", 500,
            "Import: a workbook whose members unpack to more megabytes than this (read from the "
            "zip's directory before anything is parsed) is refused."),
    Setting("actions.juvenile_kinds", "list[str]",
            ["juvenile_detention", "juvenile_correctional", "closed_care"],
            "Action lists: facility kinds that are places for children only (a young person who "
            "has turned 18 there is listed).", codes.FACILITY_KINDS),
    Setting("key.file", "str", "",
            "The pseudonymisation key file (32 bytes, mode 0600); a relative path is read from "
            "the configuration file's folder. Empty: `<database>.key` beside a DuckDB file; a "
            "PostgreSQL database needs this setting or JJIS_KEY_FILE. JJIS_SECRET and "
            "JJIS_KEY_FILE come first (docs/security.md)."),
    Setting("audit.anchor_file", "str", "",
            "The audit log's anchor: a signed checkpoint of the chain's head kept outside the "
            "database; a relative path is read from the configuration file's folder. Empty: "
            "`<database>.audit-anchor` beside a DuckDB file; for PostgreSQL, this setting or "
            "JJIS_AUDIT_ANCHOR (without either the log is not anchored)."),
    Setting("web.trusted_proxies", "list[str]", [],
            "Web: addresses or networks (e.g. \"127.0.0.1\", \"10.0.0.0/8\") of the reverse "
            "proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed; from any "
            "other peer they are ignored. Default: none."),
    Setting("web.session_idle_minutes", "int", 30,
            "Web: a session with no request for this many minutes ends."),
    Setting("web.session_hours", "int", 12,
            "Web: a session ends this many hours after sign-in, however active."),
    Setting("web.token_hours", "int", 12,
            "Web: an API token ends this many hours after it was issued."),
    Setting("web.require_totp", "bool", False,
            "Web: admins and analysts must sign in with a one-time code (TOTP) as well as their "
            "password; those not yet enrolled (`jjis user totp NAME`) cannot sign in. A user "
            "who has enrolled always needs the code, whatever this says."),
    Setting("release.require_approval", "bool", False,
            "Refuse a release while any area below the released area is not approved for the "
            "census date (docs/release.md)."),
    Setting("release.deadline_days", "int", 30,
            "Timeliness: a source's data is timely when it arrived within this many days after "
            "the end of the period."),
    Setting("findings.outlier_z", "float", 3.5,
            "Outliers: a facility's monthly count whose modified z-score against its previous "
            "months is above this is a data-quality finding."),
)

BY_NAME = {s.name: s for s in SETTINGS}


class Config:
    """Resolved settings: the declared defaults, overridden by the TOML file."""

    def __init__(self, values: dict[str, Any] | None = None, source: str = "defaults") -> None:
        self.values = {s.name: s.default for s in SETTINGS}
        self.source = source
        for name, value in (values or {}).items():
            self.values[name] = _check(name, value)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)

    @property
    def age_group_labels(self) -> list[str]:
        return [band_label(lo, hi) for lo, hi in self["indicators.age_bands"]] + ["unknown"]


def band_label(lo: int, hi: int) -> str:
    """Name of an inclusive age band: [0, 13] is `under_14`, [14, 15] is `14_15`."""
    return f"under_{hi + 1}" if lo == 0 else f"{lo}_{hi}"


def _is_range(v: Any) -> bool:
    return (
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v) and v[0] <= v[1]
    )


def _check(name: str, value: Any) -> Any:
    setting = BY_NAME.get(name)
    if setting is None:
        raise JjisError(f"the configuration sets {name}, which is not a setting; see "
                        "docs/configuration.md for the settings there are")
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v > 0,
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "range": _is_range,
        "ranges": lambda v: isinstance(v, list) and all(_is_range(x) for x in v),
        "map[range]": lambda v: isinstance(v, dict) and all(_is_range(x) for x in v.values()),
        "map[int]": lambda v: isinstance(v, dict) and all(isinstance(x, int) for x in v.values()),
    }[setting.type](value)
    if not ok:
        raise JjisError(f"the configuration sets {name} = {value!r}, which is not a {setting.type}; "
                        f"example: {name} = {setting.default!r}")
    if setting.choices:
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in setting.choices]
        if bad:
            raise JjisError(f"the configuration sets {name} to {bad[0]!r}; allowed: "
                            f"{', '.join(setting.choices)}")
    return value


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in BY_NAME:
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def load_config(path: str | Path | None, *, explicit: bool = False) -> Config:
    """Read the TOML file. A file named explicitly must exist; the default path may be absent,
    in which case the declared defaults apply (documented in docs/configuration.md)."""
    if path is None:
        return Config()
    p = Path(path)
    if not p.exists():
        if explicit:
            raise JjisError(f"the configuration file {p} does not exist; give an existing file "
                            "with --config or leave it out to use the defaults")
        return Config()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise JjisError(f"the configuration file {p} is not valid TOML ({exc}); correct it") from exc
    return Config(_flatten(data), source=str(p))


def setting_path(config: Config, name: str) -> Path | None:
    """A path setting: None when empty; relative to the configuration file's folder."""
    text = str(config[name] or "").strip()
    if not text:
        return None
    p = Path(text).expanduser()
    if not p.is_absolute() and config.source != "defaults":
        p = Path(config.source).parent / p
    return p


def inherited(config: Config, setting: str, area_chain: list[str], default_setting: str) -> Any:
    """A per-area setting: the value of the nearest area in `area_chain` (the area first, then its
    parent, up to the country) that has one, else the default setting."""
    per_area = config[setting]
    for area in area_chain:
        if area in per_area:
            return per_area[area]
    return config[default_setting]
