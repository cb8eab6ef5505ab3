"""Boundaries (`areas.geojson`) and the choropleth drawn from them.

The synthetic country's boundaries are read back through the importer's checks, and the map of
its districts is parsed: one path per district, placed as the boundaries place them, shaded in
the order of the values, hatched exactly where the figure is withheld or has no source. Hostile
files always give a catalogued error naming the feature and field, and never half-write.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jjis.errors import CATALOGUE
from jjis.ingest import boundaries as bd
from jjis.reports.formatting import Lang
from jjis.reports.maps import MapArea, choropleth, legend_words
from jjis.store import Store
from jjis.synth.boundaries import FILE, write_boundaries
from jjis.synth.country import _areas

AREAS, _ = _areas(np.random.default_rng(0))  # the synthetic country's 17 areas
AREA_IDS = {a[0] for a in AREAS}
DISTRICTS = [a for a in AREAS if a[3] == "district"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_boundaries(tmp_path_factory.mktemp("maps"), AREAS)


def _collection(*features: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _square(area: object, w: float = 10, s: float = 40, size: float = 1) -> dict[str, object]:
    ring = [[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]
    return {"type": "Feature", "properties": {"area_id": area},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


# -- the synthetic country's boundaries -----------------------------------------------------------

def test_synthetic_boundaries_nest_and_pass_the_checks(synthetic: Path) -> None:
    assert synthetic.name == FILE
    found, errors, n = bd.parse(synthetic.read_bytes(), FILE, AREA_IDS)
    assert errors == [] and n == len(AREAS) == 17
    box = {}
    for b in found:
        ring = json.loads(b.geometry)["coordinates"][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        box[b.area_id] = (min(xs), min(ys), max(xs), max(ys))
    parent = {a[0]: a[2] for a in AREAS}
    for area, (w, s, e, n_) in box.items():  # every area inside its parent
        if parent[area]:
            pw, ps, pe, pn = box[parent[area]]
            assert pw <= w < e <= pe and ps <= s < n_ <= pn
    for level in ("region", "district"):  # each level tiles the country: areas add up
        total = sum((e - w) * (n_ - s) for a, (w, s, e, n_) in box.items()
                    if next(x[3] for x in AREAS if x[0] == a) == level)
        assert total == pytest.approx(4 * 3)


def _paths(svg: str) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
    """area name -> (fill, bounding box in SVG units) of each labelled path of the map."""
    out = {}
    for m in re.finditer(r'<path aria-label="([^"]*)"[^>]* d="([^"]+)"[^>]* fill="([^"]+)"', svg):
        name = m.group(1).split(":")[0]
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", m.group(2))]
        xs, ys = nums[0::2], nums[1::2]
        out[name] = (m.group(3), (min(xs), min(ys), max(xs), max(ys)))
    return out


def _luminance(fill: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", fill)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_district_map_matches_the_boundaries(synthetic: Path) -> None:
    shapes = {b.area_id: json.loads(b.geometry) for b in
              bd.parse(synthetic.read_bytes(), FILE, AREA_IDS)[0]}
    status = {"XA-N-03": "no_source", "XA-S-03": "no_source", "XA-E-01": "withheld",
              "XA-W-02": "withheld", "XA-E-03": "not_computed"}
    valued = [a for a in DISTRICTS if a[0] not in status]
    values = {a[0]: float(3 * i + 1) for i, a in enumerate(reversed(valued))}
    areas = [MapArea(a[0], a[1], shapes[a[0]], status.get(a[0], "value"), values.get(a[0]),
                     str(values.get(a[0], "x"))) for a in DISTRICTS]
    lang = Lang("en")
    svg = choropleth(areas, "Children in detention", legend_words(lang, "rate"), lang)
    paths = _paths(svg)
    names = {a[0]: a[1] for a in DISTRICTS}
    assert sorted(paths) == sorted(names.values())  # one path per district, no other
    # placed as the boundaries place them: west to east, north (top) to south
    for a, b in ((x, y) for x in DISTRICTS for y in DISTRICTS):
        (_, _, ae, an), (bw, bs, _, _) = (_bounds(shapes[a[0]]), _bounds(shapes[b[0]]))
        pa, pb = paths[a[1]][1], paths[b[1]][1]
        if ae <= bw:
            assert pa[2] <= pb[0] + 0.5
        if an <= bs:  # a lies south of b: lower on the page (larger y)
            assert pa[1] >= pb[3] - 0.5
    # shaded darker as the value grows
    shaded = sorted(values, key=values.get)  # type: ignore[arg-type]
    lum = [_luminance(paths[names[a]][0]) for a in shaded]
    assert all(x > y for x, y in zip(lum, lum[1:], strict=False)), lum
    # hatched exactly the withheld and the no-source districts, each with its own pattern
    for a, s in status.items():
        fill = paths[names[a]][0]
        if s in ("withheld", "no_source"):
            assert fill == f"url(#map-{s})"
    assert sum(f.startswith("url(#map-withheld)") for f, _ in paths.values()) == 2
    assert sum(f.startswith("url(#map-no_source)") for f, _ in paths.values()) == 2
    assert 'id="map-withheld"' in svg and 'id="map-no_source"' in svg
    for words in ("withheld (disclosure control)", "no source registered", "not computable"):
        assert words in svg  # the legend explains them
    assert "style=" not in svg  # the pages' content security policy forbids inline styles


def _bounds(geometry: dict[str, object]) -> tuple[float, float, float, float]:
    ring = geometry["coordinates"][0]  # type: ignore[index]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def test_map_legend_in_french() -> None:
    lang = Lang("fr")
    words = legend_words(lang, "taux")
    assert words["no_source"] != "no source registered"
    svg = choropleth([MapArea("XA-N-03", "Corran", _square("XA-N-03")["geometry"],  # type: ignore[arg-type]
                              "no_source")], "Carte", words, lang)
    assert words["no_source"] in svg


# -- hostile files --------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "type_", "shown"), [
    (b"{not json", "geojson-unreadable", "areas.geojson"),
    (b'{"type": "Feature"}', "geojson-not-collection", '"Feature"'),
    (b"[1, 2]", "geojson-not-collection", "a JSON list"),
    (b'{"type": "FeatureCollection", "features": {}}', "geojson-not-collection", "{}"),
    (_collection({"type": "Feature", "properties": {}, "geometry": _square("XA")["geometry"]}),
     "boundary-without-area", "features[0].properties.area_id"),
    (_collection(_square("XA-ZZ")), "boundary-unknown-area", "XA-ZZ"),
    (_collection(_square("XA"), _square("XA-N"), _square("XA")), "boundary-twice", "XA"),
    (_collection({**_square("XA"), "geometry": {"type": "Point", "coordinates": [1, 2]}}),
     "boundary-geometry", "Point"),
    (_collection(_square("XA", w=200)), "boundary-coordinates", "[200"),
    (_collection(_square("XA", s=-95)), "boundary-coordinates", "-95"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
     b'{"area_id": "XA"}, "geometry": {"type": "Polygon", "coordinates": [[[NaN, 1]]]}}]}',
     "geojson-unreadable", "NaN"),
    (_collection({**_square("XA"), "geometry": {"type": "Polygon",
                                                "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0.5]]]}}),
     "boundary-coordinates", "closed ring"),
    (b"[" * 100_000 + b"]" * 100_000, "geojson-unreadable", "nests too deeply"),
])
def test_hostile_file_is_refused_with_a_clear_error(data: bytes, type_: str, shown: str) -> None:
    found, errors, _ = bd.parse(data, "areas.geojson", AREA_IDS)
    assert found == []
    assert type_ in {e.type for e in errors}, errors
    assert any(shown in e.message or shown in e.value for e in errors), errors
    assert all(CATALOGUE[e.type].scope == "file" for e in errors)


def test_too_large_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bd, "MAX_BYTES", 100)
    found, errors, _ = bd.parse(_collection(*(_square("XA") for _ in range(5))), "big.geojson",
                                AREA_IDS)
    assert found == [] and errors[0].type == "geojson-too-large"
    assert "at most 100 bytes" in errors[0].message
    monkeypatch.setattr(bd, "MAX_BYTES", 20_000_000)
    monkeypatch.setattr(bd, "MAX_POSITIONS", 50)
    ring = [[10 + i / 1000, 40] for i in range(60)] + [[10, 41], [10, 40]]
    feature = {**_square("XA"), "geometry": {"type": "Polygon", "coordinates": [ring]}}
    found, errors, _ = bd.parse(_collection(feature), "big.geojson", AREA_IDS)
    assert found == [] and errors[0].type == "geojson-too-large"
    assert "positions" in errors[0].message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8)
    | st.sampled_from(sorted(AREA_IDS) + ["Polygon", "MultiPolygon", "Feature",
                                          "FeatureCollection"]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["type", "features", "properties", "area_id", "geometry",
                         "coordinates", "x"]), inner, max_size=4),
    max_leaves=40)
position = st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-400, 400)
                    | st.text(max_size=2), min_size=0, max_size=4)
features = st.fixed_dictionaries({
    "type": st.sampled_from(["Feature", "Feature", "feature", 3]),
    "properties": st.fixed_dictionaries({"area_id": st.sampled_from(sorted(AREA_IDS))
                                         | json_values}) | json_values,
    "geometry": st.fixed_dictionaries({
        "type": st.sampled_from(["Polygon", "MultiPolygon", "LineString"]),
        "coordinates": st.lists(st.lists(position, max_size=6), max_size=3) | json_values})})
documents = (st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                                    "features": st.lists(features, max_size=6)})
             | json_values)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents, cut=st.integers(0, 3))
def test_any_document_is_accepted_whole_or_refused_clearly(doc: object, cut: int) -> None:
    text = json.dumps(doc, allow_nan=True).encode()
    if cut:  # broken JSON: cut short, or bytes that are not UTF-8
        text = text[:len(text) * cut // 4] if cut < 3 else b"\xff" + text
    found, errors, _ = bd.parse(text, "areas.geojson", AREA_IDS)
    assert bool(found) + bool(errors) <= 1  # never some of both
    for e in errors:
        assert e.type in CATALOGUE and e.message and CATALOGUE[e.type].scope == "file"
        assert e.column.startswith("features[") or e.row == 1
    for b in found:
        geom = json.loads(b.geometry)
        assert geom["type"] in ("Polygon", "MultiPolygon") and b.area_id in AREA_IDS
        flat = json.dumps(geom["coordinates"])
        assert "NaN" not in flat and "Infinity" not in flat
    assert len({b.area_id for b in found}) == len(found)
    if not found and not errors:
        assert json.loads(text)["features"] == []
    assert all(math.isfinite(x) for b in found for x in _numbers(json.loads(b.geometry)))


def _numbers(v: object) -> list[float]:
    if isinstance(v, list):
        return [x for item in v for x in _numbers(item)]
    if isinstance(v, dict):
        return _numbers(v.get("coordinates"))
    return [float(v)] if isinstance(v, int | float) else []


# -- the store: all or nothing, replaced by the next import -----------------------------------------

def test_import_replaces_and_a_refused_file_writes_nothing(store: Store, tmp_path: Path,
                                                           synthetic: Path) -> None:
    """On DuckDB and PostgreSQL (the `store` fixture)."""
    for a in AREAS:
        store.execute("INSERT INTO areas VALUES (?, ?, ?, ?)", [a[0], a[1], a[2] or None, a[3]])
    assert bd.boundaries(store) == {}
    rep = bd.import_boundaries(store, synthetic, 1)
    assert (rep.inserted, rep.updated, rep.refused) == (17, 0, False)
    first = bd.boundaries(store)
    assert sorted(first) == sorted(AREA_IDS)
    bad = tmp_path / "areas-bad.geojson"
    bad.write_bytes(_collection(_square("XA", w=11), _square("XA-NOPE")))
    rep = bd.import_boundaries(store, bad, 2)
    assert rep.refused and [e.type for e in rep.errors] == ["boundary-unknown-area"]
    assert bd.boundaries(store) == first  # nothing of the refused file, nothing lost
    small = tmp_path / "areas-small.geojson"
    small.write_bytes(_collection(_square("XA", w=11)))
    rep = bd.import_boundaries(store, small, 3)
    assert (rep.inserted, rep.updated) == (0, 1)
    assert list(bd.boundaries(store)) == ["XA"]  # replaced, not merged
    logged = store.fetchall("SELECT import_id, table_name, refused FROM import_log "
                            "ORDER BY import_id")
    assert logged == [(1, "boundaries", False), (2, "boundaries", True),
                      (3, "boundaries", False)]


def test_import_command_takes_the_file_beside_the_areas(tmp_path: Path, synthetic: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`jjis import areas.csv areas.geojson`: the boundaries are checked once the areas are in,
    whatever the order given, and reported as their own table."""
    from jjis.api import import_registers, init_database
    from jjis.settings import Config
    from jjis.store import open_store

    monkeypatch.setenv("JJIS_SECRET", "ab" * 32)
    csv = tmp_path / "areas.csv"
    csv.write_text("area_id,name,parent_id,level\n" + "".join(
        f"{a},{n},{p},{lv}\n" for a, n, p, lv in AREAS), encoding="utf-8")
    db = str(tmp_path / "db.duckdb")
    init_database(db)
    with open_store(db) as store:
        report = import_registers(store, [synthetic, csv], Config())
        assert report.exit_code == 0, report.as_json()
        assert report.tables["boundaries"].accepted == 17 and report.tables["areas"].accepted == 17
        assert sorted(bd.boundaries(store)) == sorted(AREA_IDS)
