"""Who may see and do what: roles scoped to an area subtree or to facilities.

| what                          | admin | analyst        | facility         | inspector        | public |
|-------------------------------|-------|----------------|------------------|------------------|--------|
| exact indicators of an area   | all   | in their areas | -                | -                | -      |
| published indicators          | yes   | yes            | yes              | yes              | yes    |
| action list of a facility     | all   | in their areas | their facilities | facilities covered | -    |
| action summary (many lists)   | all   | in their areas | their facilities | facilities covered | -    |
| stays of a facility (records) | all   | in their areas | their facilities | -                | -      |
| upload registers              | all   | in their areas | their facilities | -                | -      |
| users, audit log              | yes   | -              | -                | -                | -      |

"In their areas" means the area or any area below it; an analyst without areas is national.
A facility user's or inspector's areas stand for every facility in them. The roles, the
remit and the geography are jjis.remit's (the release workflow decides with them too).
"""

from __future__ import annotations

from typing import TypeVar

from jjis.remit import Facility, Remit, User
from jjis.reports.i18n import N_

T = TypeVar("T")
ACTION_LIST_ROLES = ("admin", "analyst", "facility", "inspector")


class Denied(Exception):
    """A request that cannot be served, with its HTTP status and one plain sentence: 401 (no
    user), 403 (outside the user's remit), 404, 413 or 422. Rendered by errors.py. The sentence
    is a message id of the catalogue with `{placeholders}` filled from `fields`, so that a page
    says it in the user's language; `message` is the English."""

    def __init__(self, status: int, message: str, **fields: object) -> None:
        self.template, self.fields = message, fields
        self.message = message.format(**fields) if fields else message
        super().__init__(self.message)
        self.status = status


def need_user(user: User | None) -> User:
    if user is None:
        raise Denied(401, N_("sign in first: this needs a user (a session or a bearer token)"))
    return user


class Scope(Remit):
    """A user's remit over areas and facilities (None: the public), as the web application
    checks it: jjis.remit.Remit (what is in the remit) and the refusals of a request outside
    it."""

    @property
    def may_compute(self) -> bool:
        """Admins and analysts compute (and so publish) figures; everyone else reads the runs
        that exist."""
        return self.role in ("admin", "analyst")

    def exact_figures(self, area: str) -> bool:
        """Exact (not disclosure-controlled) figures of this area."""
        return self.role in ("admin", "analyst") and self.area_in(area)

    def sees_area(self, area: str) -> bool:
        """Whether figures of this area may be shown at all: an analyst scoped to areas sees
        those areas and the areas below them only (exact figures); everyone else sees every
        area, exactly (admins, national analysts) or as published."""
        if self.role == "analyst" and not self.national:
            return self.area_in(area)
        return True

    def visible(self, by_area: dict[str, T]) -> dict[str, T]:
        """The part of figures grouped by area this user may see: the one gate every page, chart,
        download and API answer of figures goes through (comparisons stay inside the remit)."""
        if self.role != "analyst" or self.national:
            return by_area
        return {a: v for a, v in by_area.items() if self.area_in(a)}

    def check_figures(self, area: str) -> None:
        """An analyst asking for an area outside their remit is refused (403)."""
        if self.role == "analyst" and not self.area_in(area):
            raise Denied(403, N_("the area {area} is outside your remit"), area=area)

    def check_action_list(self, facility_id: str) -> None:
        self._check_facility(facility_id, ACTION_LIST_ROLES)

    def check_stays(self, facility_id: str) -> None:
        self._check_facility(facility_id, ("admin", "analyst", "facility"))

    def check_upload(self) -> None:
        need_user(self.user)
        if self.role not in ("admin", "analyst", "facility"):
            raise Denied(403, N_("a {role} user cannot upload registers"), role=self.role)

    def check_admin(self) -> None:
        need_user(self.user)
        if self.role != "admin":
            raise Denied(403, N_("this needs an admin user"))

    def _check_facility(self, facility_id: str, roles: tuple[str, ...]) -> None:
        need_user(self.user)
        if self.role not in roles:
            raise Denied(403, N_("a {role} user cannot see this for a facility"), role=self.role)
        if not self.facility_in(facility_id):
            raise Denied(403, N_("the facility {facility_id} is outside your remit"),
                         facility_id=facility_id)
        if facility_id not in self.geo.facilities:  # only those with a national remit get here
            raise Denied(404, N_("there is no facility {facility_id}"), facility_id=facility_id)

    def action_list_facilities(self, places: set[str]) -> list[Facility]:
        """The places of detention (kinds in `places`) whose action lists this user may open:
        those the action summary counts."""
        need_user(self.user)
        if self.role not in ACTION_LIST_ROLES:
            raise Denied(403, N_("a {role} user cannot see action lists"), role=self.role)
        return [f for f in self.facilities() if f.kind in places]

    def facilities(self) -> list[Facility]:
        """The facilities this user may open, in name order."""
        return sorted((f for f in self.geo.facilities.values() if self.facility_in(f.facility_id)),
                      key=lambda f: (f.area_id, f.name))

    def areas(self) -> list[str]:
        """Areas with exact figures for this user (empty: published figures only)."""
        if self.role not in ("admin", "analyst"):
            return []
        return [a for a in self.geo.parents if self.area_in(a)]
