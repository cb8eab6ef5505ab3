"""`make_release`: compute (or reuse the run of the current data and settings), apply
disclosure control, mark revisions and store the release; `withdraw_release`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from jjis.errors import JjisError
from jjis.indicators.base import DIMENSIONS
from jjis.indicators.results import Figure
from jjis.publish import area_parents, load_results, publish, snapshot_hash
from jjis.publish import releases as rel
from jjis.release.checks import check_date, check_rights, has_data, resolve_area
from jjis.remit import Geography, User
from jjis.settings import Config
from jjis.store import Store, manifests

Audit = Callable[[str, str, str, dict[str, Any]], None]  # actor, action, target, detail
# a release holds the totals, one set of figures per breakdown and the cross table sex x age
# group, protected together (its margins are the single breakdowns: docs/publication.md)
RELEASED_BY = (*DIMENSIONS, "sex*age_group")


def _settings(config: Config) -> Any:
    return json.loads(json.dumps(config.as_dict(), sort_keys=True, default=str))


def reusable_run(store: Store, config: Config, census_date: date, area: str, top: str,
                 snapshot: str) -> str | None:
    """A recorded run of the same data, settings, census date and area, with every breakdown."""
    if not store.table_exists("runs"):
        return None
    wanted = _settings(config)
    for run_id, text in manifests.recent_manifests(store, snapshot=snapshot,
                                                   census_date=census_date):
        m = json.loads(text)
        if ((m.get("area") or top) == area and sorted(m.get("by") or []) == sorted(RELEASED_BY)
                and m.get("settings") == wanted):
            return str(run_id)
    return None


RELEASE_STEPS = 5  # checks, hashing the data, computing, disclosure control, storing


def current_figures(store: Store, config: Config, census_date: date, area: str, top: str,
                    snapshot: tuple[str, dict[str, list[int | str]]]) -> tuple[str, list[Figure]]:
    """The exact figures of the current data (a run reused or computed and recorded)."""
    from jjis.publish.runs import run_indicators

    run_id = reusable_run(store, config, census_date, area, top, snapshot[0])
    if run_id is not None:
        return run_id, load_results(store, run_id)
    run = run_indicators(store, config, census_date, area=None if area == top else area,
                         by=RELEASED_BY, snapshot=snapshot)
    assert run.run_id is not None
    return run.run_id, run.figures


def make_release(store: Store, config: Config, census_date: date, *, area: str | None = None,
                 user: User | None = None, note: str = "", today: date | None = None,
                 audit: Audit | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> rel.Release:
    """Release the figures of the census date for the area and every area below it.
    `progress(what, step, steps)` is told as each of the release's steps begins (the CLI's
    progress bar)."""
    from jjis.publish import load_manifest
    from jjis.release.approvals import approval_status, check_required
    step = progress or (lambda what, done, total: None)
    step("checking", 0, RELEASE_STEPS)
    geo = Geography.load(store)
    area_id = resolve_area(geo, area)
    check_date(census_date, today or date.today())
    who = check_rights(user, geo, area_id)
    if not has_data(store, geo, area_id, census_date):
        raise JjisError(f"there is no data for {area_id} in the year ending on "
                        f"{census_date.isoformat()} (no arrest, decision, stay or return); "
                        "import its registers first or choose another census date")
    approvals = approval_status(store, geo, area_id, census_date)
    check_required(config, approvals, area_id)
    seq = rel.next_seq(store, census_date, area_id)  # taken before computing: see ReleaseConflict
    before = rel.served(store, census_date, area_id)
    step("hashing the data", 1, RELEASE_STEPS)
    snapshot = snapshot_hash(store)
    step("computing the figures", 2, RELEASE_STEPS)
    run_id, exact = current_figures(store, config, census_date, area_id, geo.top()[0], snapshot)
    step("disclosure control", 3, RELEASE_STEPS)
    result = publish([f for f in exact if f.area in set(geo.below(area_id))], config,
                     area_parents(store))
    figures = result.figures
    step("storing the release", 4, RELEASE_STEPS)
    old = rel.release_figures(store, before.release_id) if before else []
    revisions = rel.mark_revisions(figures, old)
    manifest = load_manifest(store, run_id)
    release = rel.Release(
        release_id=rel.release_id(census_date, area_id, seq), census_date=census_date,
        area=area_id, seq=seq, released_by=who, released_at=rel.now(), note=note.strip(),
        run_id=run_id, snapshot=snapshot[0],
        manifest=json.loads(manifest.as_json()) if manifest else {}, figures=len(figures),
        revisions=revisions, replaces=before.release_id if before else None,
        approvals=approvals, withheld=len(result.withheld))
    rel.store_release(store, release, figures)
    step("released", RELEASE_STEPS, RELEASE_STEPS)
    if audit is not None:
        audit(who, "release", release.release_id,
              {"census_date": census_date.isoformat(), "area": area_id, "figures": len(figures),
               "revisions": revisions, "replaces": release.replaces, "run_id": run_id})
    return release


def withdraw_release(store: Store, release_id: str, reason: str, *, user: User | None = None,
                     audit: Audit | None = None) -> rel.Release:
    found = rel.get_release(store, release_id)
    if found is None:
        raise JjisError(f"there is no release {release_id!r}; `jjis releases` lists them")
    who = check_rights(user, Geography.load(store), found.area, "withdraw")
    out = rel.withdraw(store, release_id, who, reason)
    if audit is not None:
        audit(who, "release_withdrawn", release_id, {"reason": reason.strip(),
                                                      "census_date": found.census_date.isoformat(),
                                                      "area": found.area})
    return out
