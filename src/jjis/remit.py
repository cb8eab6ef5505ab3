"""Who a user is and what part of the country they answer for: the roles, a user's remit
(areas and/or facilities) and the geography it is read against (areas and facilities, from the
registers). The web application's access rules (web/access.py) and the release workflow
(release/: who may approve, release or withdraw figures) both decide with these, so they live
below both layers; nothing here knows of HTTP or of pages.

Roles (architecture.md, "Access and privacy"): `admin` (everything), `analyst` (the indicators
of an area subtree; no areas means the whole country), `facility` (record level and uploads for
their facilities), `inspector` (action lists of the facilities they cover). A facility or
inspector user is scoped to named facilities, to every facility of an area subtree, or both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jjis.store import Store, registers

ROLES = ("admin", "analyst", "facility", "inspector")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    areas: tuple[str, ...] = ()
    facilities: tuple[str, ...] = ()
    active: bool = True

    def as_json(self) -> dict[str, object]:
        return {"username": self.username, "role": self.role, "areas": list(self.areas),
                "facilities": list(self.facilities), "active": self.active}


@dataclass
class Facility:
    facility_id: str
    name: str
    area_id: str
    kind: str
    holds_adults: bool | None


@dataclass
class Geography:
    """The area hierarchy and the facilities, read once per data version."""

    parents: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)  # the areas register's level column
    facilities: dict[str, Facility] = field(default_factory=dict)
    _below: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store) -> Geography:
        geo = cls()
        for area, name, level, parent in registers.areas(store):
            geo.parents[str(area)] = None if parent is None else str(parent)
            geo.names[str(area)] = str(name)
            geo.levels[str(area)] = str(level)
        for fid, name, area, kind, adults in registers.facilities(store):
            geo.facilities[str(fid)] = Facility(str(fid), str(name), str(area), str(kind),
                                                None if adults is None else bool(adults))
        return geo

    def chain(self, area: str) -> list[str]:
        """The area, its parent, ... up to the top (guarded against cycles)."""
        out: list[str] = []
        current: str | None = area
        while current is not None and current not in out:
            out.append(current)
            current = self.parents.get(current)
        return out

    def children(self, area: str) -> list[str]:
        return sorted(a for a, p in self.parents.items() if p == area)

    def top(self) -> list[str]:
        return sorted(a for a, p in self.parents.items() if p is None or p not in self.parents)

    def below(self, area: str) -> list[str]:
        """The area and every area under it (kept: the hierarchy changes only with imports,
        and a new import gives a new Geography)."""
        found = self._below.get(area)
        if found is None:
            found = [a for a in self.parents if area in self.chain(a)]
            self._below[area] = found
        return found


class Remit:
    """A user's remit over areas and facilities (None: the public). "In their areas" means the
    area or any area below it; an analyst without areas is national. A facility user's or
    inspector's areas stand for every facility in them."""

    def __init__(self, user: User | None, geo: Geography) -> None:
        self.user, self.geo = user, geo

    @property
    def role(self) -> str:
        return self.user.role if self.user else "public"

    @property
    def national(self) -> bool:
        u = self.user
        return u is not None and (u.role == "admin" or (u.role == "analyst" and not u.areas))

    def area_in(self, area: str) -> bool:
        if self.user is None:
            return False
        return self.national or bool(set(self.geo.chain(area)) & set(self.user.areas))

    def facility_in(self, facility_id: str) -> bool:
        if self.user is None:
            return False
        if self.national or facility_id in self.user.facilities:
            return True
        f = self.geo.facilities.get(facility_id)
        return f is not None and bool(self.user.areas) and self.area_in(f.area_id)
