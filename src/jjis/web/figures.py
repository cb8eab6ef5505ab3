"""Figures for pages and the API, always read back from the results table.

A page asks for a census date and a breakdown. The figures come from a run recorded for that
census date and breakdown over the whole hierarchy since the last import (the `web_runs` table
maps one to the other); when there is none, a signed-in user's request computes one with
`run_indicators` (which records it) and the figures are read back with `load_results`. The
public only reads runs that exist: it never starts a computation. The figures of a run never
change, so they are kept in memory by run id, exact and disclosure-controlled.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from jjis.api import published_figures, run_indicators
from jjis.indicators.results import Figure
from jjis.publish import load_results
from jjis.publish.releases import Served, covering, release_figures, served_index
from jjis.reports.i18n import N_
from jjis.settings import Config
from jjis.store import Store, manifests
from jjis.store import web as web_tables
from jjis.web.db import data_version

BREAKDOWNS = ("sex", "age_group", "offence", "facility_kind", "legal_status")


RELEASE_PREFIX = "release:"
# How long a page waits for a computation it started before answering with the computing page.
WAIT_SECONDS = 1.0


def release_source(release_id: str, by: str | None) -> str:
    """The key under which a release's figures for one breakdown are read and kept."""
    return f"{RELEASE_PREFIX}{release_id}:{by or ''}"


class NoFigures(Exception):
    """No run exists for what was asked, and this caller may not start one. The sentence is a
    message id with `{placeholders}` filled from `fields` (said in the page's language)."""

    def __init__(self, message: str, **fields: object) -> None:
        self.template, self.fields = message, fields
        super().__init__(message.format(**fields) if fields else message)


class Computing(Exception):
    """The figures asked for are being computed in the background (`Results.start`); a page
    answers with the computing page, which refreshes itself. `page` is what renders it."""

    def __init__(self, census_date: date, by: tuple[str, ...], page: Any = None) -> None:
        super().__init__(f"the figures of {census_date.isoformat()} are being computed")
        self.census_date, self.by, self.page = census_date, by, page


def by_key(by: tuple[str, ...]) -> str:
    return ",".join(by)


class Results:
    def __init__(self, config: Config, parents: Any) -> None:
        self.config = config
        self._parents = parents  # callable: store -> {area: parent}
        self._runs: dict[tuple[date, str, int], str] = {}
        self._exact: OrderedDict[str, list[Figure]] = OrderedDict()
        self._published: OrderedDict[str, list[Figure]] = OrderedDict()
        self._compute = threading.Lock()
        self._cache = threading.Lock()
        self.memo: dict[Any, Any] = {}  # rendered pieces keyed by (run id, ...)
        # computations started by pages, by (census date, breakdown, data version)
        self._background: dict[tuple[date, str, int], threading.Thread] = {}
        self._failed: dict[tuple[date, str, int], BaseException] = {}
        self.wait_seconds = WAIT_SECONDS

    def run_id(self, store: Store, census_date: date, by: tuple[str, ...], *,
               may_compute: bool, version: int | None = None) -> str:
        """The run to read for the census date and breakdown at data version `version` (read
        from the store when not given)."""
        version = data_version(store) if version is None else version
        key = (census_date, by_key(by), version)
        if key in self._runs:
            return self._runs[key]
        found = self._lookup(store, census_date, by)
        if (found is None or found[1] < version) and may_compute:
            with self._compute:  # one computation at a time; a second asker finds the first's run
                found = self._lookup(store, census_date, by)
                if found is None or found[1] < version:
                    found = (self._run(store, census_date, by, version), version)
        if found is None:
            raise NoFigures(N_("no figures have been published for {date} by {by}") if by else
                            N_("no figures have been published for {date}"),
                            date=census_date.isoformat(), by=", ".join(by))
        if found[1] >= version:  # the public may read an older run; only current ones are kept
            self._runs[key] = found[0]
        return found[0]

    def start(self, store_of: Callable[[], Store], census_date: date, by: tuple[str, ...],
              version: int) -> str | None:
        """The run for the census date and breakdown at `version` if there is one; else start
        computing it in a background thread (one per census date, breakdown and data version:
        later askers join the first), wait up to `wait_seconds` for it and return None if it is
        still running. A computation that failed raises its error to the next asker, once."""
        key = (census_date, by_key(by), version)
        if key in self._runs:
            return self._runs[key]
        found = self._lookup(store_of(), census_date, by)
        if found is not None and found[1] >= version:
            self._runs[key] = found[0]
            return found[0]
        with self._cache:
            failed = self._failed.pop(key, None)
            if failed is not None:
                raise failed
            job = self._background.get(key)
            if job is None or not job.is_alive():
                job = threading.Thread(target=self._compute_in_background, name="jjis-compute",
                                       args=(store_of, census_date, by, version), daemon=True)
                self._background[key] = job
                job.start()
        job.join(self.wait_seconds)
        return self._runs.get(key)

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds in all for the background computations (the
        application's shutdown, before it closes the database): True when none runs any more."""
        end = time.monotonic() + timeout
        with self._cache:
            jobs = list(self._background.values())
        for job in jobs:
            job.join(max(0.0, end - time.monotonic()))
        return not any(job.is_alive() for job in jobs)

    def _compute_in_background(self, store_of: Callable[[], Store], census_date: date,
                               by: tuple[str, ...], version: int) -> None:
        key = (census_date, by_key(by), version)
        try:
            self.run_id(store_of(), census_date, by, may_compute=True, version=version)
        except BaseException as exc:  # given to the next asker (Results.start)
            with self._cache:
                self._failed[key] = exc
        finally:
            with self._cache:
                self._background.pop(key, None)

    def _lookup(self, store: Store, census_date: date, by: tuple[str, ...]) -> tuple[str, int] | None:
        """The newest run for the census date and breakdown, and the import it follows: one the
        application made, or else one recorded by `jjis compute` or `jjis report` on the same
        data (the same last import), for the whole hierarchy, with the same settings."""
        found = web_tables.newest_web_run(store, census_date, by_key(by))
        if found is None or found[1] < data_version(store):
            found = self._recorded(store, census_date, by) or found
        return found

    def _recorded(self, store: Store, census_date: date, by: tuple[str, ...]) -> tuple[str, int] | None:
        if not store.table_exists("runs"):
            return None
        version = data_version(store)
        settings = json.loads(json.dumps(self.config.as_dict(), sort_keys=True, default=str))
        for run_id, text in manifests.recent_manifests(store, limit=50):
            m = json.loads(text)
            if (m.get("census_date") == census_date.isoformat() and m.get("area") is None
                    and sorted(m.get("by") or []) == sorted(by)
                    and m.get("last_import") == version and m.get("settings") == settings):
                return str(run_id), version
        return None

    def _run(self, store: Store, census_date: date, by: tuple[str, ...], version: int) -> str:
        run = run_indicators(store, self.config, census_date, by=by, record=True)
        assert run.run_id is not None
        store.insert_rows("web_runs", ["census_date", "by_key", "data_version", "run_id",
                                       "created_at"],
                          [[census_date, by_key(by), version, run.run_id,
                            datetime.now(UTC).isoformat(timespec="microseconds")]])
        return run.run_id

    def exact(self, store: Store, run_id: str) -> list[Figure]:
        with self._cache:
            if run_id in self._exact:
                self._exact.move_to_end(run_id)
                return self._exact[run_id]
        figures = load_results(store, run_id)
        with self._cache:
            self._exact[run_id] = figures
            while len(self._exact) > 24:
                self._exact.popitem(last=False)
        return figures

    def published(self, store: Store, run_id: str) -> list[Figure]:
        with self._cache:
            if run_id in self._published:
                self._published.move_to_end(run_id)
                return self._published[run_id]
        figures = published_figures(self.exact(store, run_id), self.config, self._parents(store))
        with self._cache:
            self._published[run_id] = figures
            while len(self._published) > 24:
                self._published.popitem(last=False)
        return figures

    def figures(self, store: Store, run_id: str, exact: bool) -> list[Figure]:
        """The figures of a run (exact or published), or of a release source
        (`release_source`), which are published whatever `exact` says."""
        if run_id.startswith(RELEASE_PREFIX):
            return self.released(store, run_id)
        return self.exact(store, run_id) if exact else self.published(store, run_id)

    def release(self, store: Store, chain: list[str], census_date: date | None) -> Served | None:
        """The release the public reads for the area whose chain is given (see `covering`)."""
        return covering(served_index(store), chain, census_date)

    def released(self, store: Store, source: str) -> list[Figure]:
        """A release's figures for one breakdown: the totals and that breakdown's, with a cross
        breakdown's margins (kept: a release never changes)."""
        with self._cache:
            if source in self._published:
                self._published.move_to_end(source)
                return self._published[source]
        rid, _, by = source[len(RELEASE_PREFIX):].rpartition(":")
        figures = [f for f in release_figures(store, rid)
                   if not f.breakdown or (by and set(f.breakdown) <= set(by.split("*")))]
        with self._cache:
            self._published[source] = figures
            while len(self._published) > 24:
                self._published.popitem(last=False)
        return figures

    def released_dates(self, store: Store, chain: list[str]) -> list[date]:
        return sorted({s.census_date for s in served_index(store) if s.area in chain},
                      reverse=True)

    def by_area(self, store: Store, run_id: str, exact: bool) -> dict[str, list[Figure]]:
        """The figures of a run grouped by area (kept with the run)."""
        key = ("by_area", run_id, exact)
        grouped: dict[str, list[Figure]] | None = self.memo.get(key)
        if grouped is None:
            grouped = {}
            for f in self.figures(store, run_id, exact):
                grouped.setdefault(f.area, []).append(f)
            self.remember(key, grouped)
        return grouped

    def remember(self, key: Any, value: Any) -> None:
        """Keep a piece derived from a run (or an action list of a data version)."""
        with self._cache:
            if len(self.memo) > 512:
                self.memo.clear()
            self.memo[key] = value

    def census_dates(self, store: Store) -> list[date]:
        return web_tables.web_run_census_dates(store)

    def json_bytes(self, store: Store, run_id: str, exact: bool, areas: list[str]) -> bytes:
        """The compute JSON shape of the figures of `areas`, serialised once per run."""
        key = ("json", run_id, exact, tuple(areas))
        body: bytes | None = self.memo.get(key)
        if body is None:
            wanted = set(areas)
            rows = [f.as_json() for f in self.figures(store, run_id, exact) if f.area in wanted]
            body = json.dumps(rows, separators=(",", ":")).encode("utf-8")
            self.remember(key, body)
        return body


def select(figures: list[Figure], area: str, *, indicator: int | None = None,
           statistic: str | None = None, breakdown: dict[str, str] | None = None) -> list[Figure]:
    """Figures of one area, optionally of one indicator, statistic and breakdown."""
    out = []
    for f in figures:
        if f.area != area or (indicator is not None and f.indicator != indicator):
            continue
        if statistic is not None and f.statistic != statistic:
            continue
        if breakdown is not None and f.breakdown != breakdown:
            continue
        out.append(f)
    return out
