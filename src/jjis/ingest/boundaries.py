"""Boundaries for maps: `areas.geojson`, a GeoJSON FeatureCollection of one feature per area.

Each feature carries `properties.area_id` (an area of the areas register) and a Polygon or
MultiPolygon geometry in longitude/latitude (WGS 84, as GeoJSON is). The file is checked in
full before anything is written: any error refuses the whole file, with a message naming the
file, the feature (its index in `features`, from 0), the field and the value. An accepted file
replaces every boundary stored before, in one transaction, and is logged like a register.
The size is bounded (bytes, features, positions) so a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from jjis.errors import RowError, make_error
from jjis.ingest.report import FileReport
from jjis.store import Store, registers
from jjis.store.ddl import MAP_TABLES

SUFFIX = ".geojson"
TABLE = "boundaries"
MAX_BYTES = 20_000_000
MAX_FEATURES = 20_000
MAX_POSITIONS = 2_000_000  # every position of every ring of every feature
MAX_ERRORS = 100  # a file with more is refused on the first ones
POLYGONS = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Boundary:
    area_id: str
    geometry: str  # the GeoJSON geometry, as compact JSON text


class _TooMany(Exception):
    pass


class _Check:
    """Collects the errors of one file (row = the feature's index + 1; 1 for the whole file)."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.positions = 0

    def add(self, type_: str, index: int, column: str, value: object, **fields: object) -> None:
        self.errors.append(make_error(type_, index + 1, column, value, **fields))
        if len(self.errors) >= MAX_ERRORS:
            raise _TooMany


def is_boundaries(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX


def boundary_files(paths: list[str | Path]) -> list[tuple[Path, str]]:
    """The boundaries files among the paths: those given, and those in the folders given (with
    their subfolders), as (path, the name shown)."""
    out: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw).absolute()
        if p.is_file() and is_boundaries(p):
            out.append((p, p.name))
        elif p.is_dir():
            out += [(f, f.relative_to(p).as_posix()) for f in sorted(p.rglob(f"*{SUFFIX}"))
                    if f.is_file() and is_boundaries(f)]
    return out


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _shown(v: Any) -> str:
    """A value as an error shows it: JSON, cut short."""
    try:
        text = json.dumps(v, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _ring(ring: Any, index: int, where: str, check: _Check) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        check.add("boundary-coordinates", index, where, _shown(ring),
                  allowed="a closed ring: a list of at least 4 [longitude, latitude] positions")
        return
    check.positions += len(ring)
    if check.positions > MAX_POSITIONS:
        return  # refused as too large once counted
    for i, pos in enumerate(ring):
        at = f"{where}[{i}]"
        if (not isinstance(pos, list) or len(pos) not in (2, 3)
                or not all(_number(x) for x in pos)):
            check.add("boundary-coordinates", index, at, _shown(pos),
                      allowed="a position [longitude, latitude] of two finite numbers")
        elif not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            check.add("boundary-coordinates", index, at, _shown(pos),
                      allowed="longitude -180 to 180 and latitude -90 to 90 (WGS 84 degrees, "
                              "longitude first)")
    if isinstance(ring[0], list) and ring[0][:2] != ring[-1][:2]:
        check.add("boundary-coordinates", index, where, f"a ring from {_shown(ring[0])} to "
                  f"{_shown(ring[-1])}", allowed="a closed ring: its last position is its first")


def _polygon(rings: Any, index: int, where: str, check: _Check) -> None:
    if not isinstance(rings, list) or not rings:
        check.add("boundary-coordinates", index, where, _shown(rings),
                  allowed="a list of rings (the outer ring first, then any holes)")
        return
    for r, ring in enumerate(rings):
        _ring(ring, index, f"{where}[{r}]", check)


def _geometry(geom: Any, index: int, check: _Check) -> dict[str, Any] | None:
    where = f"features[{index}].geometry"
    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind not in POLYGONS:
        check.add("boundary-geometry", index, f"{where}.type" if isinstance(geom, dict) else where,
                  _shown(kind if isinstance(geom, dict) else geom))
        return None
    assert isinstance(geom, dict)
    coords = geom.get("coordinates")
    before = len(check.errors)
    if kind == "Polygon":
        _polygon(coords, index, f"{where}.coordinates", check)
    elif not isinstance(coords, list) or not coords:
        check.add("boundary-coordinates", index, f"{where}.coordinates", _shown(coords),
                  allowed="a list of polygons")
    else:
        for p, rings in enumerate(coords):
            _polygon(rings, index, f"{where}.coordinates[{p}]", check)
    return {"type": kind, "coordinates": coords} if len(check.errors) == before else None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _features(data: bytes, label: str) -> tuple[list[Any], list[RowError]]:
    """The features of a FeatureCollection's bytes, or the one error that refuses the file."""
    if len(data) > MAX_BYTES:
        return [], [make_error("geojson-too-large", 1, "", label, detail=f"{len(data):,} bytes",
                               allowed=f"at most {MAX_BYTES:,} bytes")]
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # JSON, UTF-8 and NaN errors are ValueErrors
        detail = "it nests too deeply" if isinstance(exc, RecursionError) else str(exc)
        return [], [make_error("geojson-unreadable", 1, "", label, detail=detail)]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        shown = _shown(doc.get("type")) if isinstance(doc, dict) else f"a JSON {_kind(doc)}"
        return [], [make_error("geojson-not-collection", 1, "type", shown)]
    features = doc.get("features")
    if not isinstance(features, list):
        return [], [make_error("geojson-not-collection", 1, "features", _shown(features))]
    if len(features) > MAX_FEATURES:
        return features, [make_error("geojson-too-large", 1, "features", label,
                                     detail=f"{len(features):,} features",
                                     allowed=f"at most {MAX_FEATURES:,} features")]
    return features, []


def _area(feat: Any, i: int, areas: set[str], check: _Check) -> str | None:
    """The feature's area, when it names one of `areas` (else its error is recorded)."""
    props = feat.get("properties")
    area = props.get("area_id") if isinstance(props, dict) else None
    if isinstance(area, int) and not isinstance(area, bool):
        area = str(area)  # a numeric code written as a number
    where = f"features[{i}].properties.area_id"
    if area is None or (isinstance(area, str) and not area.strip()):
        check.add("boundary-without-area", i, where, "")
    elif not isinstance(area, str):
        check.add("boundary-unknown-area", i, where, _shown(area))
    elif area.strip() not in areas:
        check.add("boundary-unknown-area", i, where, area.strip())
    else:
        return area.strip()
    return None


def parse(data: bytes, label: str, areas: set[str]) -> tuple[list[Boundary], list[RowError], int]:
    """The boundaries of a file's bytes, or the errors that refuse it; and its feature count."""
    features, refused = _features(data, label)
    if refused:
        return [], refused, len(features)
    check = _Check()
    found: list[Boundary] = []
    seen: dict[str, list[int]] = {}
    try:
        for i, feat in enumerate(features):
            if not isinstance(feat, dict) or feat.get("type") != "Feature":
                check.add("geojson-not-collection", i, f"features[{i}].type",
                          _shown(feat.get("type")) if isinstance(feat, dict) else
                          f"a JSON {_kind(feat)}")
                continue
            geometry = _geometry(feat.get("geometry"), i, check)
            area = _area(feat, i, areas, check)
            if area is None:
                continue
            seen.setdefault(area, []).append(i)
            if geometry is not None:
                found.append(Boundary(area, json.dumps(geometry, separators=(",", ":"))))
        if check.positions > MAX_POSITIONS:
            return [], [make_error("geojson-too-large", 1, "", label,
                                   detail=f"more than {MAX_POSITIONS:,} positions",
                                   allowed=f"at most {MAX_POSITIONS:,} positions in all")], \
                len(features)
        for area, where in seen.items():
            if len(where) > 1:
                check.add("boundary-twice", where[1], f"features[{where[1]}].properties.area_id",
                          area, detail=", ".join(str(w) for w in where))
    except _TooMany:
        pass
    return ([] if check.errors else found), check.errors, len(features)


def _kind(v: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number",
            type(None): "null", dict: "object"}.get(type(v), type(v).__name__)


def read_bytes(path: Path) -> bytes:
    """At most MAX_BYTES + 1 bytes of the file: a larger one is refused unread."""
    with path.open("rb") as fh:
        return fh.read(MAX_BYTES + 1)


def import_boundaries(store: Store, path: Path, import_id: int, shown: str = "") -> FileReport:
    """Check a boundaries file against the areas stored and, when every feature is valid,
    replace the stored boundaries with its own (one transaction, logged in import_log)."""
    label = shown or path.name
    rep = FileReport(label, TABLE)
    try:
        data = read_bytes(path)
    except OSError as exc:
        rep.errors, rep.refused = [make_error("geojson-unreadable", 1, "", label,
                                              detail=exc.strerror or str(exc))], True
        return rep
    areas = {str(a) for (a,) in store.select("areas", ["area_id"])}
    found, errors, rep.rows = parse(data, label, areas)
    store.ensure_tables(MAP_TABLES)
    with store.transaction():
        if errors:
            rep.errors, rep.refused, rep.rejected = errors, True, rep.rows
        else:
            before = {str(a) for (a,) in store.select(TABLE, ["area_id"])}
            store.delete_all(TABLE)
            store.insert_arrow(TABLE, pa.table(
                {"area_id": [b.area_id for b in found],
                 "geometry": [b.geometry for b in found],
                 "import_id": [int(import_id)] * len(found)},
                schema=pa.schema([("area_id", pa.string()), ("geometry", pa.string()),
                                  ("import_id", pa.int64())])))
            rep.updated = sum(b.area_id in before for b in found)
            rep.inserted = len(found) - rep.updated
        registers.log_import(store, import_id, label, TABLE, hashlib.sha256(data).hexdigest(),
                             rep.rows, rep.inserted, rep.updated, rep.rejected, rep.refused)
    return rep


def boundaries(store: Store) -> dict[str, dict[str, Any]]:
    """Each area's stored boundary (a GeoJSON geometry); empty before any import (and in a
    database made before boundaries existed)."""
    if not store.table_exists(TABLE):
        return {}
    return {str(a): json.loads(g) for a, g in
            store.select(TABLE, ["area_id", "geometry"], order_by=["area_id"])}
