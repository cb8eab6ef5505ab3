"""The end of `jjis demo`: one demo user per role, the figures of the census date computed for
the public, and the application served on 127.0.0.1."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date

from jjis.settings import Config
from jjis.store import open_store, registers
from jjis.web.db import ensure_web_tables
from jjis.web.serve import serve_app
from jjis.web.users import add_user, get_user


def demo_users(db: str) -> list[tuple[str, str, str, str]]:
    """(name, role, scope, password) of a new user per role; a region and its remand centre
    (or another place of detention) are the scopes."""
    with open_store(db) as store:
        ensure_web_tables(store)
        regions = registers.areas_of_level(store, "region")
        region = regions[0] if regions else None
        place = registers.facility_in_or_below(
            store, region, ["remand_centre", "juvenile_detention", "police_lockup"])
        out = []
        plan = [("demo-admin", "admin", [], []),
                ("demo-analyst", "analyst", [region] if region else [], []),
                ("demo-facility", "facility", [], [place] if place else []),
                ("demo-inspector", "inspector", [region] if region else [], [])]
        for name, role, areas, facilities in plan:
            if role in ("facility", "inspector") and not (areas or facilities):
                continue
            if get_user(store, name) is not None:
                continue
            password = secrets.token_urlsafe(12)
            add_user(store, name, role, password, areas=areas, facilities=facilities)
            out.append((name, role, ", ".join(areas + facilities) or "everything", password))
    return out


def serve_demo(db: str, cfg: Config, census_date: date, host: str = "127.0.0.1",
               port: int = 8000, *, say: Callable[[str], None] = print) -> None:
    """Add the demo users, print them through `say`, and serve the application with the
    census date as today."""
    users = demo_users(db)
    say("Demo users (passwords are new each time the demo runs):")
    for name, role, scope, password in users:
        say(f"  {name:<15} {role:<10} scope: {scope:<12} password: {password}")
    serve_app(db, cfg, host, port, today=lambda: census_date, warm=census_date, say=say)
