"""`jjis release`, `jjis releases`, `jjis approve`, `jjis approvals`: releasing figures
(docs/release.md)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from jjis.cli.common import (
    ConfigFile,
    Db,
    console,
    handle_errors,
    parse_date,
    progress_bar,
    resolve_config,
    resolve_db,
)
from jjis.errors import JjisError
from jjis.store import Store

UserOption = typer.Option(None, "--user", help="Act as this web user (their role and remit "
                          "decide what they may do); without it, as the operator of the "
                          "database, recorded as `cli`.")
JsonOption = typer.Option(False, "--json", help="Print JSON.")
release_app = typer.Typer(help="Release the figures of a census date; `release withdraw ID`.",
                          invoke_without_command=True)
releases_app = typer.Typer(help="The releases; `releases show ID` prints one.",
                           invoke_without_command=True)


def _user(store: Store, name: str | None) -> Any:
    from jjis.web.db import ensure_web_tables
    from jjis.web.users import get_user

    if name is None:
        return None
    ensure_web_tables(store)
    user = get_user(store, name)
    if user is None:
        raise JjisError(f"there is no user {name!r}; `jjis user list` lists them")
    return user


def cli_audit(store: Store) -> Any:
    from jjis.ingest import pseudonym
    from jjis.web.audit import append, audit_key
    from jjis.web.db import ensure_web_tables

    ensure_web_tables(store)
    key = audit_key(pseudonym.load_key(store.url))

    def write(actor: str, action: str, target: str, detail: dict[str, Any]) -> None:
        append(store, key, actor, action, target, {**detail, "channel": "cli"})
    return write


def _print_release(r: Any) -> None:
    state = "withdrawn" if r.withdrawn else "served"
    console.print(f"Release {r.release_id}: {r.census_date.isoformat()}, {r.area}, by "
                  f"{r.released_by} at {r.released_at} UTC ({state}).", highlight=False)
    console.print(f"  {r.figures:,} figures ({r.withheld:,} withheld by disclosure control), "
                  f"{r.revisions:,} revised" + (f" against {r.replaces}" if r.replaces else "")
                  + f"; run {r.run_id}, data {r.snapshot[:12]}", highlight=False)
    if r.approvals.get("approved") or r.approvals.get("unapproved"):
        console.print(f"  approved below: {', '.join(r.approvals['approved']) or 'none'}; "
                      f"not approved: {', '.join(r.approvals['unapproved']) or 'none'}",
                      highlight=False)
    if r.note:
        console.print(f"  note: {r.note}", highlight=False)
    if r.withdrawn:
        console.print(f"  withdrawn at {r.withdrawn['at']} by {r.withdrawn['by']}: "
                      f"{r.withdrawn['reason']}", highlight=False)


@release_app.callback()
@handle_errors
def release(
    ctx: typer.Context,
    census_date: str = typer.Option(None, "--census-date", help="Census date C, YYYY-MM-DD."),
    area: str | None = typer.Option(None, "--area", help="Area (default: the country)."),
    note: str = typer.Option("", "--note", help="Why, or what readers should know."),
    user: str | None = UserOption,
    as_json: bool = JsonOption,
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    db: Db = None,
    config: ConfigFile = None,
) -> None:
    """Release the figures of the census date for the area and every area below it."""
    if ctx.invoked_subcommand is not None:
        return
    from jjis.release import make_release
    from jjis.store import open_store

    if census_date is None:
        raise JjisError("say which census date to release with --census-date YYYY-MM-DD")
    day, cfg = parse_date(census_date, "--census-date"), resolve_config(config)
    with progress_bar("release", show=not quiet) as step, open_store(resolve_db(db)) as store:
        made = make_release(store, cfg, day, area=area, user=_user(store, user), note=note,
                            audit=cli_audit(store), progress=step)
    if as_json:
        typer.echo(json.dumps(made.as_json(), indent=1))
    else:
        _print_release(made)


@release_app.command("withdraw")
@handle_errors
def withdraw(release_id: str = typer.Argument(...),
             reason: str = typer.Option(..., "--reason", help="Why it is withdrawn."),
             user: str | None = UserOption, as_json: bool = JsonOption,
             db: Db = None, config: ConfigFile = None) -> None:
    """Stop serving a release; the release before it for that date and area is served again."""
    from jjis.release import withdraw_release
    from jjis.store import open_store

    with open_store(resolve_db(db)) as store:
        out = withdraw_release(store, release_id, reason, user=_user(store, user),
                               audit=cli_audit(store))
    if as_json:
        typer.echo(json.dumps(out.as_json(), indent=1))
    else:
        _print_release(out)


@releases_app.callback()
@handle_errors
def releases(ctx: typer.Context, as_json: bool = JsonOption, db: Db = None,
             config: ConfigFile = None) -> None:
    """List the releases, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from jjis.publish.releases import list_releases
    from jjis.store import open_store

    with open_store(resolve_db(db)) as store:
        found = list_releases(store)
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in found], indent=1))
        return
    if not found:
        console.print("No release yet; `jjis release --census-date YYYY-MM-DD` makes one.")
        return
    table = Table("release", "census date", "area", "by", "at (UTC)", "figures", "revised",
                  "state")
    for r in found:
        table.add_row(r.release_id, r.census_date.isoformat(), r.area, r.released_by,
                      r.released_at, str(r.figures), str(r.revisions),
                      "withdrawn" if r.withdrawn else "")
    console.print(table)


@releases_app.command("show")
@handle_errors
def show(release_id: str = typer.Argument(...), as_json: bool = JsonOption,
         db: Db = None, config: ConfigFile = None) -> None:
    """One release: what, who, when, approvals, its revisions (and with --json its figures)."""
    from jjis.publish.releases import get_release, release_figures
    from jjis.store import open_store

    with open_store(resolve_db(db)) as store:
        found = get_release(store, release_id)
        if found is None:
            raise JjisError(f"there is no release {release_id!r}; `jjis releases` lists them")
        figures = release_figures(store, release_id)
    revised = [f for f in figures if f.revised]
    if as_json:
        body = found.as_json()
        body["revised_figures"] = [f.as_json() for f in revised]
        body["figures"] = [f.as_json() for f in figures]
        typer.echo(json.dumps(body, indent=1))
        return
    _print_release(found)
    for f in revised:
        console.print(f"  revised: indicator {f.indicator} {f.statistic} {f.area} "
                      f"{f.breakdown_json}: {_shown(f.revised_from)} -> "
                      f"{_shown(f.answer if f.unit == 'answer' else f.value, f.suppressed)}",
                      highlight=False)


def _shown(v: Any, suppressed: bool = False) -> str:
    if suppressed or v is None:
        return "withheld"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _approvals_cmd(census_date: str, area: str | None, as_json: bool, db: str | None) -> None:
    from jjis.release.approvals import area_approvals
    from jjis.release.checks import resolve_area
    from jjis.remit import Geography
    from jjis.store import open_store

    day = parse_date(census_date, "--census-date")
    with open_store(resolve_db(db)) as store:
        geo = Geography.load(store)
        top = resolve_area(geo, area)
        found = area_approvals(store, geo, sorted(geo.below(top), key=lambda a: geo.chain(a)[::-1]),
                               day)
    if as_json:
        typer.echo(json.dumps([a.as_json() for a in found], indent=1))
        return
    table = Table("area", "approved", "by", "at (UTC)", "data hash (to approve)")
    for a in found:
        state = "yes" if a.approved else ("lapsed: new data" if a.lapsed else "no")
        table.add_row(a.area, state, a.approved_by or "", a.approved_at or "", a.data_hash)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(release_app, name="release")
    app.add_typer(releases_app, name="releases")

    @app.command("approve")
    @handle_errors
    def approve(census_date: str = typer.Option(..., "--census-date"),
                area: str = typer.Option(..., "--area"),
                data_hash: str = typer.Option(..., "--data-hash", help="The hash of the data you "
                                              "reviewed, as `jjis approvals` shows it."),
                user: str | None = UserOption, as_json: bool = JsonOption,
                db: Db = None, config: ConfigFile = None) -> None:
        """Approve an area's figures for a census date (sign-off from the bottom up)."""
        from jjis.release.approvals import approve as do_approve
        from jjis.store import open_store

        day = parse_date(census_date, "--census-date")
        with open_store(resolve_db(db)) as store:
            found = do_approve(store, day, area, data_hash, user=_user(store, user))
            cli_audit(store)(found.approved_by or "cli", "approval", found.area,
                          {"census_date": day.isoformat(), "data_hash": found.data_hash})
        if as_json:
            typer.echo(json.dumps(found.as_json(), indent=1))
        else:
            console.print(f"{found.area} is approved for {day.isoformat()} by "
                          f"{found.approved_by}.", highlight=False)

    @app.command("approvals")
    @handle_errors
    def approvals(census_date: str = typer.Option(..., "--census-date"),
                  area: str | None = typer.Option(None, "--area"), as_json: bool = JsonOption,
                  db: Db = None, config: ConfigFile = None) -> None:
        """The areas and whether each is approved for the census date, with its data hash."""
        _approvals_cmd(census_date, area, as_json, db)



