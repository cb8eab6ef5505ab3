"""The plan cache (indicators/plans.py, indicators/backend.py): the figures computed from a kept
plan are the figures Ibis computes from the expressions themselves, on every engine, for every
breakdown `--by` accepts (the cross ones too) and any area; and a plan is never served to a run
whose settings, catalogue, code, engine, breakdowns or census date differ."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jjis.api import import_registers
from jjis.indicators import plans
from jjis.indicators.base import check_by
from jjis.indicators.catalogue import load_catalogue
from jjis.indicators.engine import compute, explain
from jjis.settings import Config
from jjis.store import Store
from jjis.synth import synthesise

END = date(2025, 12, 31)
BY = ("sex", "age_group", "offence", "facility_kind", "legal_status", "sex*age_group",
      "offence*legal_status")


def _figures(result: Any) -> list[str]:
    return sorted(json.dumps(f.as_json(), sort_keys=True, default=str) for f in result.figures)


def _load(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    synthesise(tmp_path / "regs", children=150, seed=11, end_date=END)
    monkeypatch.setenv("JJIS_SECRET", "ab" * 32)
    assert import_registers(store, [tmp_path / "regs"], Config()).exit_code == 0
    return store


@pytest.fixture
def country(engine_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A small synthetic country on every engine (Spark too)."""
    return _load(engine_store, tmp_path, monkeypatch)


@pytest.fixture
def small(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The same on DuckDB and PostgreSQL (the key is the same function on every engine)."""
    return _load(store, tmp_path, monkeypatch)


def test_a_kept_plan_gives_the_figures_ibis_gives(country: Store, tmp_path: Path) -> None:
    cache = plans.Cache(tmp_path / "plans")
    by_ibis = compute(country, Config(), END, by=BY, mode="ibis")
    first = compute(country, Config(), END, by=BY, cache=cache)  # compiles and keeps the plan
    kept = compute(country, Config(), END, by=BY, cache=cache)  # reads it: nothing compiled
    assert first.compiled and "query.snapshot" in first.compiled and not kept.compiled
    assert len(list((tmp_path / "plans").glob("*.json"))) == 1
    assert any(f.breakdown.keys() == {"sex", "age_group"} for f in kept.figures)
    assert _figures(by_ibis) == _figures(first) == _figures(kept)
    # one plan serves any area: the areas computed reach the SQL as a table, not as text
    area = next(f.area for f in by_ibis.figures if f.area != by_ibis.figures[0].area)
    below = compute(country, Config(), END, area=area, by=BY, cache=cache)
    assert not below.compiled
    assert _figures(below) == _figures(compute(country, Config(), END, area=area, by=BY,
                                               mode="ibis"))


def test_a_changed_setting_is_not_served_the_old_plan(small: Store, tmp_path: Path) -> None:
    country = small
    cache = plans.Cache(tmp_path / "plans")
    compute(country, Config(), END, by=("sex", "age_group"), cache=cache)
    changed = Config({"indicators.age_bands": [[10, 15], [16, 17]]})
    run = compute(country, changed, END, by=("sex", "age_group"), cache=cache)
    assert "query.arrests" in run.compiled  # its own plan, compiled anew
    assert _figures(run) == _figures(compute(country, changed, END, by=("sex", "age_group"),
                                             mode="ibis"))
    assert {f.breakdown.get("age_group") for f in run.figures} >= {"10_15", "16_17"}
    assert len(list((tmp_path / "plans").glob("*.json"))) == 2


def test_the_key_holds_everything_that_changes_the_sql(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from jjis.store import open_store

    store = open_store(":memory:", create=True)
    cfg, cat = Config(), load_catalogue(Config())
    key = plans.plan_key(store, cfg, cat, END, ("sex",))
    assert key == plans.plan_key(store, Config(), load_catalogue(Config()), END, ("sex",))
    others = [
        plans.plan_key(store, Config({"indicators.detention_kinds": ["adult_prison"]}), cat, END,
                       ("sex",)),
        plans.plan_key(store, cfg, replace(cat, version=cat.version + "x"), END, ("sex",)),
        plans.plan_key(store, cfg, cat, date(2024, 12, 31), ("sex",)),
        plans.plan_key(store, cfg, cat, END, ("sex", "age_group", "sex*age_group")),
    ]
    store.engine = "postgres"  # another engine, another dialect
    others.append(plans.plan_key(store, cfg, cat, END, ("sex",)))
    store.engine = "duckdb"
    import jjis

    monkeypatch.setattr(jjis, "__version__", "99.0")
    others.append(plans.plan_key(store, cfg, cat, END, ("sex",)))
    monkeypatch.undo()
    monkeypatch.setattr(plans, "_package_source", lambda: "changed code")
    others.append(plans.plan_key(store, cfg, cat, END, ("sex",)))
    assert len({key, *others}) == len(others) + 1
    store.close()


def test_an_unreadable_plan_is_a_miss_and_writes_are_whole(tmp_path: Path) -> None:
    cache = plans.Cache(tmp_path)
    assert cache.load("k") == {}
    (tmp_path / "k.json").write_text("{not json")
    assert cache.load("k") == {}
    (tmp_path / "k.json").write_text(json.dumps({"key": "other", "statements": {"a": {}}}))
    assert cache.load("k") == {}  # a file renamed to another key's name is not served
    cache.save("k", {"a": {"sql": "SELECT 1"}})
    assert cache.load("k") == {"a": {"sql": "SELECT 1"}}
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]  # no temporary file left


def test_the_cache_folder_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("JJIS_PLAN_CACHE", "off")
    assert plans.default_cache() is None
    monkeypatch.setenv("JJIS_PLAN_CACHE", str(tmp_path))
    assert plans.cache_folder() == tmp_path
    monkeypatch.delenv("JJIS_PLAN_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert plans.cache_folder() == tmp_path / "xdg" / "jjis" / "plans"


def test_explain_prints_the_statements_the_run_sends(small: Store, tmp_path: Path) -> None:
    cache = plans.Cache(tmp_path / "plans")
    by = ("sex",)
    shown = explain(small, Config(), END, by=by, cache=cache)  # no plan kept: compiled now
    kept = cache.load(plans.plan_key(small, Config(), load_catalogue(Config()), END,
                                     tuple(check_by(by))))
    assert list(shown.values()) == [s["sql"] for s in kept.values()]  # the same, in order
    assert not compute(small, Config(), END, by=by, cache=cache).compiled  # the run's plan
    assert explain(small, Config(), END, by=by, cache=cache) == shown  # read, as kept
    titles = list(shown)
    assert titles[0] == "areas"
    assert any(t.startswith("spells (the temporary table jjis_tmp_spells)") for t in titles)
    snapshot = next(t for t in titles if t.startswith("snapshot (indicators 2, 3, 6, 7, 8)"))
    assert "reads jjis_tmp_closure, jjis_tmp_spells" in snapshot
    assert titles[-1] == "policy (indicators 12a, 13a, 14, 15)"
    # with no cache at all the statements are the same ones (compiled again)
    assert [t.split("\n")[0] for t in explain(small, Config(), END, by=by, cache=False)] == \
        [t.split("\n")[0] for t in titles]
