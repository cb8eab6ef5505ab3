"""Releases: the published figures of one census date and area, stored once and never changed.

A release holds its id, census date, area, who made it and when, the note, the run manifest
(data snapshot, catalogue and program version, settings), the approvals of the areas below, and
the disclosure-controlled figures themselves (`release_figures`). The public reads releases only.
A withdrawal is a row of its own (`release_withdrawals`); the newest release of a census date and
area that is not withdrawn is the one served. When a release replaces an earlier one, each figure
whose published value changed is marked `revised`, with `revised_from` the earlier published
value (None when it was withheld). The tables are declared in store/ddl.py.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jjis.errors import JjisError
from jjis.indicators.results import RESULTS_COLUMNS, Figure
from jjis.store import Store
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


def _select(store: Store, where: str = "", params: list[Any] | None = None,
            order: str = "r.released_at DESC, r.census_date DESC, r.area, r.seq DESC"
            ) -> list[Release]:
    ensure_tables(store)
    cols = ", ".join(f"r.{c}" for c in _RELEASE_COLUMNS)
    rows = store.fetchall(
        f"SELECT {cols}, w.withdrawn_at, w.withdrawn_by, w.reason FROM releases r "
        f"LEFT JOIN release_withdrawals w ON w.release_id = r.release_id {where} ORDER BY {order}",
        params or [])
    n = len(_RELEASE_COLUMNS)
    return [_release(r[:n], r[n:] if r[n] is not None else None) for r in rows]


def list_releases(store: Store) -> list[Release]:
    """Every release, withdrawn ones too, newest first."""
    return _select(store)


def get_release(store: Store, rid: str) -> Release | None:
    found = _select(store, "WHERE r.release_id = ?", [rid])
    return found[0] if found else None


def served(store: Store, census_date: date, area: str) -> Release | None:
    """The release of the census date and area that is served: the newest not withdrawn."""
    found = _select(store, "WHERE r.census_date = ? AND r.area = ? AND w.release_id IS NULL",
                    [census_date, area], order="r.seq DESC")
    return found[0] if found else None


def served_all(store: Store) -> list[Release]:
    """The releases served now (one per census date and area), newest census date first."""
    out: dict[tuple[date, str], Release] = {}
    for rel in _select(store, "WHERE w.release_id IS NULL", order="r.seq DESC"):
        out.setdefault((rel.census_date, rel.area), rel)
    return sorted(out.values(), key=lambda r: (r.census_date, r.released_at), reverse=True)


def next_seq(store: Store, census_date: date, area: str) -> int:
    ensure_tables(store)
    rows = store.fetchall("SELECT coalesce(max(seq), 0) FROM releases WHERE census_date = ? "
                          "AND area = ?", [census_date, area])
    return int(rows[0][0]) + 1


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
    import pyarrow as pa

    types = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
             "DOUBLE PRECISION": pa.float64(), "DATE": pa.date32(), "BOOLEAN": pa.bool_()}
    cols: dict[str, list[Any]] = {c: [getattr(f, c) for f in figures]
                                  for c, _ in RESULTS_COLUMNS if c != "breakdown"}
    cols["breakdown"] = [f.breakdown_json for f in figures]
    cols["release_id"] = [rid] * len(figures)
    cols["revised"] = [f.revised for f in figures]
    cols["revised_from"] = [json.dumps(f.revised_from) if f.revised else None for f in figures]
    schema = pa.schema([(c, types[t]) for c, t in FIGURE_COLUMNS])
    return pa.table({c: cols[c] for c, _ in FIGURE_COLUMNS}, schema=schema)


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
        store.execute(
            f"INSERT INTO releases ({', '.join(_RELEASE_COLUMNS)}) VALUES "
            "(?, CAST(? AS DATE), ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values)
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
    where = " AND revised" if revised_only else ""
    rows = store.fetchall(
        f"SELECT {', '.join(names)} FROM release_figures WHERE release_id = ?{where} "
        "ORDER BY indicator, statistic, area, breakdown", [rid])
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
    store.execute("INSERT INTO release_withdrawals VALUES (?, CAST(? AS TIMESTAMP), ?, ?)",
                  [rid, now(), by, reason.strip()])
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
    rows = store.fetchall(
        "SELECT r.release_id, r.census_date, r.area, r.released_by, r.released_at, r.seq "
        "FROM releases r LEFT JOIN release_withdrawals w ON w.release_id = r.release_id "
        "WHERE w.release_id IS NULL ORDER BY r.census_date DESC, r.area, r.seq DESC")
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
