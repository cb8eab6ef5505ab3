"""Sign-off from the bottom up: an area approved for a census date, holding the hash of the
area's data as it was reviewed. New data for the area makes the approval lapse; approving is
refused unless the hash reviewed is the hash of the data now."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from hashlib import sha256
from typing import Any

from jjis.errors import JjisError
from jjis.publish.releases import ensure_tables, now
from jjis.release.checks import check_date, check_rights, resolve_area
from jjis.remit import Geography, User
from jjis.schema import TABLES
from jjis.settings import Config
from jjis.store import Store, releases
from jjis.store.fingerprints import Where, table_fingerprint

_FACILITY_TABLES = ("arrests", "detentions", "decisions", "family_contacts", "inspections")


def area_data_hash(store: Store, geo: Geography, area: str) -> str:
    """SHA-256 over the row counts and order-free sums (as the snapshot hash) of the rows of
    the area and the areas below it: their areas, facilities, population, the records of their
    facilities, their aggregate returns; the policy register for the top area only."""
    below = sorted(geo.below(area))
    facilities = sorted(f for f, fac in geo.facilities.items() if fac.area_id in set(below))
    in_areas, in_facilities = [("area_id", below)], [("facility_id", facilities)]
    where: dict[str, Where] = {
        "areas": in_areas, "facilities": in_areas, "population": in_areas,
        "aggregate_returns": [*in_facilities, *in_areas],
        "policy": None if geo.parents.get(area) is None else []}
    where.update({t: in_facilities for t in _FACILITY_TABLES})
    tables: dict[str, list[Any]] = {}
    for name in sorted(TABLES):
        tables[name] = table_fingerprint(store, name, where[name])
    return sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


@dataclass
class AreaApproval:
    area: str
    data_hash: str  # of the data now
    approved: bool  # approved, for the data as it is now
    approved_by: str | None = None
    approved_at: str | None = None
    lapsed: bool = False  # approved once, for data that has changed since

    def as_json(self) -> dict[str, Any]:
        return {"area": self.area, "data_hash": self.data_hash, "approved": self.approved,
                "approved_by": self.approved_by, "approved_at": self.approved_at,
                "lapsed": self.lapsed}


def area_approvals(store: Store, geo: Geography, areas: list[str],
                   census_date: date) -> list[AreaApproval]:
    ensure_tables(store)
    out = []
    for a in areas:
        current = area_data_hash(store, geo, a)
        rows = store.select("approvals", ["approved_by", "approved_at", "data_hash"],
                            {"area": a, "census_date": census_date}, order_by=["approved_at DESC"])
        match = next((r for r in rows if r[2] == current), None)
        if match is not None:
            out.append(AreaApproval(a, current, True, str(match[0]), str(match[1])))
        else:
            out.append(AreaApproval(a, current, False, lapsed=bool(rows)))
    return out


def approval_status(store: Store, geo: Geography, area: str, census_date: date) -> dict[str, list[str]]:
    """The areas below `area`, approved for the census date (for their data now) or not."""
    below = sorted(a for a in geo.below(area) if a != area)
    found = area_approvals(store, geo, below, census_date)
    return {"approved": [a.area for a in found if a.approved],
            "unapproved": [a.area for a in found if not a.approved]}


def check_required(config: Config, approvals: dict[str, list[str]], area: str) -> None:
    if config["release.require_approval"] and approvals["unapproved"]:
        names = approvals["unapproved"]
        raise JjisError(f"the release of {area} needs every area below it approved "
                        f"([release] require_approval); not approved: {', '.join(names)}")


def approve(store: Store, census_date: date, area: str, reviewed_hash: str, *,
            user: User | None = None, today: date | None = None) -> AreaApproval:
    """Approve the area for the census date, for the data whose hash was reviewed."""
    geo = Geography.load(store)
    area_id = resolve_area(geo, area)
    check_date(census_date, today or date.today())
    who = check_rights(user, geo, area_id, "approve")
    current = area_data_hash(store, geo, area_id)
    if reviewed_hash.strip() != current:
        raise JjisError(f"the data of {area_id} changed since it was reviewed (reviewed "
                        f"{reviewed_hash.strip()[:12] or 'nothing'}, now {current[:12]}): review "
                        "it again (`jjis approvals` shows the hash of the data now) and approve "
                        "that")
    ensure_tables(store)
    at = now()
    releases.insert_approval(store, area_id, census_date, who, at, current)
    return AreaApproval(area_id, current, True, who, at)
