"""What is checked before a release: the area, the date, the data, and who asks."""

from __future__ import annotations

from datetime import date

from jjis.errors import JjisError
from jjis.indicators.periods import Period
from jjis.remit import Geography, Remit, User
from jjis.store import Store, registers

CLI_ACTOR = "cli"  # the operator of `jjis release` without --user: holds the database itself


def resolve_area(geo: Geography, area: str | None) -> str:
    """The area asked for, or the top of the hierarchy; an unknown area is refused."""
    if not geo.parents:
        raise JjisError("no areas have been imported, so there is nothing to release; import "
                        "the registers first (`jjis import`)")
    if area is None:
        tops = geo.top()
        if len(tops) != 1:
            raise JjisError(f"the areas have {len(tops)} tops ({', '.join(tops)}); name the area "
                            "to release with --area")
        return tops[0]
    if area not in geo.parents:
        raise JjisError(f"there is no area {area!r}; the areas are listed by the areas register "
                        f"(the top is {', '.join(geo.top())})")
    return area


def check_date(census_date: date, today: date) -> None:
    if census_date > today:
        raise JjisError(f"the census date {census_date.isoformat()} is in the future (today is "
                        f"{today.isoformat()}); figures can be released only for a day that is "
                        "over")


def has_data(store: Store, geo: Geography, area: str, census_date: date) -> bool:
    """Whether any record or return of the area (and the areas below) falls in the year ending
    on the census date: an arrest, a decision, a stay overlapping it, an aggregate return."""
    below = set(geo.below(area))
    facilities = [f for f, fac in geo.facilities.items() if fac.area_id in below]
    return registers.has_records(store, facilities, sorted(below), Period(census_date).start,
                                 census_date)


def check_rights(user: User | None, geo: Geography, area: str, what: str = "release") -> str:
    """Admins may release (or approve) anything, analysts within their area remit, nobody else;
    None is the operator of the command line. Returns the name recorded."""
    if user is None:
        return CLI_ACTOR
    if not user.active:
        raise JjisError(f"the user {user.username} is disabled and cannot {what} figures")
    if user.role == "admin":
        return user.username
    if user.role == "analyst" and Remit(user, geo).area_in(area):
        return user.username
    if user.role == "analyst":
        raise JjisError(f"the area {area} is outside the remit of {user.username} "
                        f"({', '.join(user.areas)}); an admin or an analyst of {area} may "
                        f"{what} its figures")
    raise JjisError(f"a {user.role} user cannot {what} figures; admins and analysts can")
