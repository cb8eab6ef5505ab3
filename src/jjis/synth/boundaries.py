"""Boundaries of the synthetic country, written as `areas.geojson` beside its registers.

Xandria is a rectangle of four by three degrees: the Northern Region is its top band, the
Southern its bottom band, the Western and Eastern share the middle band (west, east), and each
region is cut into its three districts, west to east. Every district lies inside its region and
the regions tile the country, so a map of any level covers the country once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jjis.synth.country import CODE

FILE = "areas.geojson"
WEST, SOUTH, EAST, NORTH = 10.0, 40.0, 14.0, 43.0
# region code -> (west, south, east, north)
REGION_BOXES = {
    "N": (WEST, 42.0, EAST, NORTH),
    "S": (WEST, SOUTH, EAST, 41.0),
    "W": (WEST, 41.0, 12.0, 42.0),
    "E": (12.0, 41.0, EAST, 42.0),
}


def _polygon(box: tuple[float, float, float, float]) -> dict[str, Any]:
    w, s, e, n = (round(v, 6) for v in box)
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def boxes(areas: list[tuple[str, str, str, str]]) -> dict[str, tuple[float, float, float, float]]:
    """Each area's rectangle (west, south, east, north): the country, its regions, and each
    region's districts as equal strips in the order given."""
    out = {CODE: (WEST, SOUTH, EAST, NORTH)}
    for region, box in REGION_BOXES.items():
        rid = f"{CODE}-{region}"
        out[rid] = box
        districts = [a[0] for a in areas if a[2] == rid and a[3] == "district"]
        w, s, e, n = box
        step = (e - w) / max(1, len(districts))
        for k, d in enumerate(districts):
            out[d] = (w + k * step, s, w + (k + 1) * step, n)
    return out


def write_boundaries(out_dir: Path, areas: list[tuple[str, str, str, str]]) -> Path:
    """Write `areas.geojson`: one feature per area of `areas` (area_id, name, parent, level)."""
    found = boxes(areas)
    features = [{"type": "Feature", "properties": {"area_id": a, "name": name, "level": level},
                 "geometry": _polygon(found[a])}
                for a, name, _, level in areas if a in found]
    path = Path(out_dir) / FILE
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path
