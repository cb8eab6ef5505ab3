"""Releases: the published figures of one census date and area, stored once and never changed.

A release holds its id, census date, area, who made it and when, the note, the run manifest
(data snapshot, catalogue and program version, settings), the approvals of the areas below, and
the disclosure-controlled figures themselves (`release_figures`). The public reads releases only.
A withdrawal is a row of its own (`release_withdrawals`); the newest release of a census date and
area that is not withdrawn is the one served. When a release replaces an earlier one, each figure
whose published value changed is marked `revised`, with `revised_from` the earlier published
value (None when it was withheld). The tables are declared in store/ddl.py, their queries
are store/releases.py's.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jjis.errors import JjisError
from jjis.indicators.results import RESULTS_COLUMNS, Figure, result_columns
from jjis.store import Store
from jjis.store import releases as queries
from jjis.store.arrow import arrow_schema, arrow_table
from jjis.store.ddl import RELEASE_TABLES

FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("release_id", "VARCHAR"), *RESULTS_COLUMNS, ("revised", "BOOLEAN"),
    ("revised_from", "VARCHAR"))
_RELEASE_COLUMNS = ("release_id", "census_date", "area", "seq", "released_by", "released_at",
                    "note", "run_id", "snapshot", "manifest", "figures", "revisions", "replaces",
                    "approvals", "withheld")


class ReleaseConflict(JjisError):
    """Another release of the same census date and area was stored first."""


@dataclass
class Release:
    release_id: str
    census_date: date
    area: str
    seq: int
    released_by: str
    released_at: str  # ISO 8601, UTC, seconds
    note: str
    run_id: str
    snapshot: str
    manifest: dict[str, Any]
    figures: int
    revisions: int
    replaces: str | None
    approvals: dict[str, list[str]] = field(default_factory=dict)  # approved / unapproved areas
    withheld: int = 0
    withdrawn: dict[str, str] | None = None  # at, by, reason

    def as_json(self) -> dict[str, Any]:
        return {"release_id": self.release_id, "census_date": self.census_date.isoformat(),
                "area": self.area, "seq": self.seq, "released_by": self.released_by,
                "released_at": self.released_at, "note": self.note, "run_id": self.run_id,
                "snapshot": self.snapshot, "figures": self.figures, "revisions": self.revisions,
                "replaces": self.replaces, "approvals": self.approvals,
                "withheld": self.withheld, "withdrawn": self.withdrawn,
                "manifest": self.manifest}


def release_id(census_date: date, area: str, seq: int) -> str:
    return f"{census_date.isoformat()}-{area}-{seq}"


def now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def ensure_tables(store: Store) -> None:
    """Create the release tables of a database made before they existed (once per store)."""
    if getattr(store, "_release_tables", False):
        return
    store.ensure_tables(RELEASE_TABLES)
    store._release_tables = True  # type: ignore[attr-defined]


def _release(row: tuple[Any, ...], withdrawn: tuple[Any, ...] | None) -> Release:
    d = dict(zip(_RELEASE_COLUMNS, row, strict=True))
    d["census_date"] = d["census_date"] if isinstance(d["census_date"], date) else \
        date.fromisoformat(str(d["census_date"]))
    d["released_at"] = d["released_at"].isoformat(timespec="seconds") \
        if isinstance(d["released_at"], datetime) else str(d["released_at"])
    d["manifest"] = json.loads(d["manifest"])
    d["approvals"] = json.loads(d["approvals"])
    for k in ("seq", "figures", "revisions", "withheld"):
        d[k] = int(d[k])
    rel = Release(**d)
    if withdrawn is not None:
        at, by, reason = withdrawn
        rel.withdrawn = {"at": at.isoformat(timespec="seconds") if isinstance(at, datetime)
                         else str(at), "by": str(by), "reason": str(reason)}
    return rel


def _releases(rows: list[tuple[Any, ...]]) -> list[Release]:
    n = len(_RELEASE_COLUMNS)
    return [_release(r[:n], r[n:] if r[n] is not None else None) for r in rows]


def list_releases(store: Store) -> list[Release]:
    """Every release, withdrawn ones too, newest first."""
    ensure_tables(store)
    return _releases(queries.all_releases(store, _RELEASE_COLUMNS))


def get_release(store: Store, rid: str) -> Release | None:
    ensure_tables(store)
    found = _releases(queries.release(store, _RELEASE_COLUMNS, rid))
    return found[0] if found else None


def served(store: Store, census_date: date, area: str) -> Release | None:
    """The release of the census date and area that is served: the newest not withdrawn."""
    ensure_tables(store)
    found = _releases(queries.served(store, _RELEASE_COLUMNS, census_date, area))
    return found[0] if found else None


def served_all(store: Store) -> list[Release]:
    """The releases served now (one per census date and area), newest census date first."""
    ensure_tables(store)
    out: dict[tuple[date, str], Release] = {}
    for rel in _releases(queries.served_all(store, _RELEASE_COLUMNS)):
        out.setdefault((rel.census_date, rel.area), rel)
    return sorted(out.values(), key=lambda r: (r.census_date, r.released_at), reverse=True)


def next_seq(store: Store, census_date: date, area: str) -> int:
    ensure_tables(store)
    return queries.last_seq(store, census_date, area) + 1


def published_value(f: Figure) -> float | str | None:
    """What a reader sees: the value (the answer of a policy question); None when withheld."""
    if f.suppressed:
        return None
    if f.unit == "answer":
        return f.answer
    return None if f.value is None else round(float(f.value), 9)


def _key(f: Figure) -> tuple[int, str, str, str]:
    return (f.indicator, f.statistic, f.area, f.breakdown_json)


def mark_revisions(new: list[Figure], old: list[Figure]) -> int:
    """Mark the figures of `new` whose published value differs from the same figure of `old`
    (same indicator, statistic, area and breakdown); figures new to the release are not
    revisions. Returns how many were marked."""
    before = {_key(f): published_value(f) for f in old}
    n = 0
    for f in new:
        k = _key(f)
        if k in before and before[k] != published_value(f):
            f.revised, f.revised_from = True, before[k]
            n += 1
        else:
            f.revised, f.revised_from = False, None
    return n


def _arrow(rid: str, figures: list[Figure]) -> Any:
    cols = result_columns(figures)
    cols["release_id"] = [rid] * len(figures)
    cols["revised"] = [f.revised for f in figures]
    cols["revised_from"] = [json.dumps(f.revised_from) if f.revised else None for f in figures]
    return arrow_table(cols, arrow_schema(FIGURE_COLUMNS))


def store_release(store: Store, rel: Release, figures: list[Figure]) -> None:
    """Write the release and its figures in one transaction. When another release of the same
    census date and area took the same number first, nothing is written and ReleaseConflict
    names the one that won."""
    ensure_tables(store)
    for f in figures:
        f.release_id = rel.release_id
    values = [rel.release_id, rel.census_date, rel.area, rel.seq, rel.released_by,
              rel.released_at, rel.note, rel.run_id, rel.snapshot,
              json.dumps(rel.manifest, sort_keys=True, default=str), rel.figures, rel.revisions,
              rel.replaces, json.dumps(rel.approvals, sort_keys=True), rel.withheld]
    store.begin()
    try:
        queries.insert_release(store, _RELEASE_COLUMNS, values)
        store.insert_arrow("release_figures", _arrow(rel.release_id, figures))
        store.commit()
    except BaseException:
        store.rollback()
        won = get_release(store, rel.release_id)  # ours was rolled back: any found is another's
        if won is not None:
            raise ReleaseConflict(
                f"release {won.release_id} of {won.census_date.isoformat()} for {won.area} was "
                f"stored first (by {won.released_by} at {won.released_at}); yours was not stored: "
                "look at it with `jjis releases show " + won.release_id + "` and release again "
                "if it is not what you meant") from None
        raise


def release_figures(store: Store, rid: str, *, revised_only: bool = False) -> list[Figure]:
    """The figures of a release, as published, with their revision marks."""
    ensure_tables(store)
    names = [c for c, _ in FIGURE_COLUMNS]
    rows = queries.figures(store, names, rid, revised_only=revised_only)
    return [_figure(dict(zip(names, row, strict=True))) for row in rows]


def _figure(d: dict[str, Any]) -> Figure:
    d["breakdown"] = json.loads(d["breakdown"] or "{}")
    d["suppressed"] = bool(d["suppressed"])
    d["revised"] = bool(d["revised"])
    d["revised_from"] = json.loads(d["revised_from"]) if d["revised_from"] is not None else None
    for k in ("indicator", "unknown", "over_age", "events", "coverage_reported",
              "coverage_expected", "timely_reported"):
        d[k] = None if d[k] is None else int(d[k])
    for k in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        v = d[k]
        d[k] = None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
    return Figure(**d)


def withdraw(store: Store, rid: str, by: str, reason: str) -> Release:
    """Stop serving a release (the one before it of the same date and area is served again)."""
    rel = get_release(store, rid)
    if rel is None:
        raise JjisError(f"there is no release {rid!r}; `jjis releases` lists them")
    if rel.withdrawn is not None:
        raise JjisError(f"release {rid} was already withdrawn on {rel.withdrawn['at']} by "
                        f"{rel.withdrawn['by']}")
    if not reason.strip():
        raise JjisError("say why the release is withdrawn with --reason TEXT")
    queries.insert_withdrawal(store, rid, now(), by, reason.strip())
    found = get_release(store, rid)
    assert found is not None
    return found


@dataclass(frozen=True)
class Served:
    """The few fields the public pages need to pick the release to show."""

    release_id: str
    census_date: date
    area: str
    released_by: str
    released_at: str


def served_index(store: Store) -> list[Served]:
    """The releases served now, one per census date and area, newest census date first."""
    ensure_tables(store)
    rows = queries.served_index(store)
    out: dict[tuple[date, str], Served] = {}
    for rid, day, area, by, at, _seq in rows:
        at_text = at.isoformat(timespec="seconds") if isinstance(at, datetime) else str(at)
        out.setdefault((day, str(area)), Served(str(rid), day, str(area), str(by), at_text))
    return list(out.values())


def covering(index: list[Served], chain: list[str], census_date: date | None) -> Served | None:
    """The release the public reads for an area (chain: the area, its parent, ... the top) on
    the census date, or without one on the newest census date released for it: a release of
    the area itself or of an area above it, the newest made."""
    found = [s for s in index if s.area in chain
             and (census_date is None or s.census_date == census_date)]
    if not found:
        return None
    day = max(s.census_date for s in found)
    return max((s for s in found if s.census_date == day), key=lambda s: s.released_at)
