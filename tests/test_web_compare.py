"""The compare page (`/indicators/{n}/areas`): every area of a level side by side, sorted on the
server, "no source registered" never shown as a value, the public reading the release and the
signed-in their remit, and the map of the level drawn from the imported boundaries.

Which districts have no source for indicator 2 is worked out here from the registers (a district
with no facility of a detention kind and no aggregate return of its own), independently of
publish/coverage.py.
"""

from __future__ import annotations

import html
import re

import pytest

from jjis.publish.releases import release_figures
from jjis.settings import Config
from jjis.web.present import shown
from test_web_country import (
    ROLES,
    WebCountry,
    web,  # noqa: F401  (the module's fixture)
)

ROW = re.compile(r'<tr class="status-([a-z_]+)"><th scope="row"><a [^>]*>([^<]+)</a></th>\s*'
                 r'<td[^>]*>(.*?)</td>', re.S)


def _rows(text: str) -> list[tuple[str, str, str]]:
    """(status, area name, value cell as text) of the table's rows, in order."""
    return [(s, html.unescape(n), html.unescape(re.sub(r"<[^>]+>", "", v)).strip())
            for s, n, v in ROW.findall(text)]


def _country(web: WebCountry) -> tuple[dict[str, str], dict[str, str], set[str]]:  # noqa: F811
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    names = {str(a): str(n) for a, n in store.fetchall("SELECT area_id, name FROM areas")}
    levels = {str(a): str(lv) for a, lv in store.fetchall("SELECT area_id, level FROM areas")}
    kinds = list(Config()["indicators.detention_kinds"])
    held = {str(a) for (a,) in store.fetchall(
        f"SELECT DISTINCT area_id FROM facilities WHERE kind IN ({', '.join('?' * len(kinds))})",
        kinds)}
    returns = {str(a) for (a,) in store.fetchall(
        "SELECT DISTINCT area_id FROM aggregate_returns WHERE facility_id IS NULL "
        "AND measure = 'in_detention'")}
    bare = {a for a, lv in levels.items() if lv == "district"} - held - returns
    return names, levels, bare


def test_public_sees_every_district_of_the_release_and_no_source_as_such(
        web: WebCountry) -> None:  # noqa: F811
    names, levels, bare = _country(web)
    assert bare, "the synthetic country has districts without a place of detention"
    r = web.client.get("/indicators/2/areas?level=district&sort=name&order=asc")
    assert r.status_code == 200
    assert "Published figures" in r.text and "Exact figures" not in r.text
    rows = _rows(r.text)
    districts = {names[a] for a, lv in levels.items() if lv == "district"}
    assert {n for _, n, _ in rows} == districts
    assert [n for _, n, _ in rows] == sorted(districts, key=str.casefold)
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    (rid,) = [r for (r,) in store.fetchall("SELECT release_id FROM releases")]
    released = {f.area: f for f in release_figures(store, rid)
                if f.indicator == 2 and f.statistic == "rate" and not f.breakdown}
    by_name = {n: a for a, n in names.items()}
    for status, name, value in rows:
        area = by_name[name]
        if area in bare:
            assert status == "no_source" and value == "no source registered", (name, value)
            assert "0.00" not in value
        else:
            assert status != "no_source"
            assert value.split(" (")[0] == shown(released[area]), (name, value)
    # the sentence saying where children are counted
    assert "where the place of detention is" in r.text


def test_sorting_by_value_puts_the_areas_without_one_last(web: WebCountry) -> None:  # noqa: F811
    for order in ("desc", "asc"):
        r = web.client.get(f"/indicators/2/areas?level=district&sort=value&order={order}")
        rows = _rows(r.text)
        statuses = [s for s, _, _ in rows]
        n = statuses.count("value")
        assert statuses[:n] == ["value"] * n and "value" not in statuses[n:]
        values = [float(v.split()[0].replace(",", "")) for _, _, v in rows[:n]]
        assert values == sorted(values, reverse=order == "desc")
        # the header links sort the other way, without JavaScript
        flip = "asc" if order == "desc" else "desc"
        assert f"sort=value&amp;order={flip}" in r.text
    assert web.client.get("/indicators/2/areas?sort=colour").status_code == 422
    assert web.client.get("/indicators/2/areas?level=province").status_code == 422


def test_the_map_draws_each_district_and_hatches_the_no_source_ones(
        web: WebCountry) -> None:  # noqa: F811
    names, levels, bare = _country(web)
    r = web.client.get("/indicators/2/areas?level=district")
    svg = r.text.split('<figure class="map">', 1)[1].split("</svg>", 1)[0]
    paths = re.findall(r'<path aria-label="([^":]+):[^"]*"[^>]* fill="([^"]+)"', svg)
    assert sorted(n for n, _ in paths) == sorted(n for a, n in names.items()
                                                 if levels[a] == "district")
    status = {n: s for s, n, _ in _rows(r.text)}
    for name, fill in paths:
        if status[name] in ("no_source", "withheld"):
            assert fill == f"url(#map-{status[name]})", (name, fill)
        else:
            assert not fill.startswith("url("), (name, fill)
    assert {n for n, f in paths if f == "url(#map-no_source)"} == {names[a] for a in bare}


def test_the_indicator_page_maps_the_areas_just_below(web: WebCountry) -> None:  # noqa: F811
    """The indicator page of a region draws its districts, shaded and hatched as the compare
    page of that region's districts draws them."""
    names, levels, _ = _country(web)
    store = web.app.state.web.db.store()  # type: ignore[attr-defined]
    parent = {str(a): str(p) for a, p in store.fetchall("SELECT area_id, parent_id FROM areas")
              if p is not None}
    region = sorted(a for a, lv in levels.items() if lv == "region")[0]
    page = web.client.get(f"/indicators/2?area={region}").text
    compare = web.client.get(f"/indicators/2/areas?area={region}&level=district").text

    def paths(text: str) -> list[tuple[str, str]]:
        svg = text.split('<figure class="map">', 1)[1].split("</svg>", 1)[0]
        return sorted(re.findall(r'<path aria-label="([^":]+):[^"]*"[^>]* fill="([^"]+)"', svg))

    drawn = paths(page)
    assert [n for n, _ in drawn] == sorted(names[a] for a, lv in levels.items()
                                           if lv == "district" and parent.get(a) == region)
    assert drawn == paths(compare)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_compares_within_what_it_may_see(web: WebCountry, role: str) -> None:  # noqa: F811
    names, levels, _ = _country(web)
    c = web.session(role)
    r = c.get("/indicators/2/areas?area=XA&level=district")
    districts = {n for a, n in names.items() if levels[a] == "district"}
    if role == "analyst":  # scoped to the north: the country is outside the remit
        assert r.status_code == 403
        r = c.get("/indicators/2/areas?level=district")
        assert r.status_code == 200 and "Exact figures" in r.text
        shown_areas = {n for _, n, _ in _rows(r.text)}
        assert shown_areas == {n for a, n in names.items()
                               if levels[a] == "district" and a.startswith("XA-N-")}
        return
    assert r.status_code == 200
    assert {n for _, n, _ in _rows(r.text)} == districts
    exact = role in ("admin", "national")
    assert ("Exact figures" in r.text) == exact and ("Published figures" in r.text) != exact


def test_french_page(web: WebCountry) -> None:  # noqa: F811
    r = web.client.get("/indicators/2/areas?level=district&lang=fr")
    assert "Comparer les zones" in r.text and "aucune source enregistrée" in r.text
    assert "no source registered" not in r.text
