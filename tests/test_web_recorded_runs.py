"""The public reads releases only (docs/release.md): a run recorded from the command line
(`jjis compute`, `jjis report`) is not public until it is released; its release is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from jjis.api import run_indicators
from jjis.settings import Config
from jjis.store import open_store
from jjis.web.app import create_app
from test_web_country import CENSUS, copy_country

MID_YEAR = date(2025, 6, 30)  # no run of the application for this census date


def _public(db: str, config: Config) -> TestClient:
    return TestClient(create_app(db, config, today=lambda: CENSUS))


def test_a_run_of_the_command_line_is_public_once_released(tmp_path: Path) -> None:
    from jjis.release import make_release

    db = copy_country(tmp_path)
    with _public(db, Config()) as client:
        assert client.get(f"/api/indicators?census_date={MID_YEAR}").status_code == 404
    with open_store(db) as store:
        run = run_indicators(store, Config(), MID_YEAR)
    with _public(db, Config()) as client:  # recorded, not released: still nothing public
        assert client.get(f"/api/indicators?census_date={MID_YEAR}").status_code == 404
    with open_store(db) as store:
        make_release(store, Config(), MID_YEAR, note="test")
    with _public(db, Config()) as client:
        r = client.get(f"/api/indicators?census_date={MID_YEAR}")
        assert r.status_code == 200, r.text
        two = [f for f in r.json() if f["indicator"] == 2 and f["statistic"] == "rate"
               and f["breakdown"] == {} and f["area"] == "XA"]
        exact = [f for f in run.figures if f.indicator == 2 and f.statistic == "rate"
                 and not f.breakdown and f.area == "XA"]
        assert two[0]["numerator"] == exact[0].numerator  # the recorded run's figure


def test_other_settings_are_not_taken_for_the_servers(tmp_path: Path) -> None:
    db = copy_country(tmp_path)
    other = Config({"population.ages": [10, 17]})
    with open_store(db) as store:
        run_indicators(store, other, MID_YEAR)
    with _public(db, Config()) as client:
        assert client.get(f"/api/indicators?census_date={MID_YEAR}").status_code == 404
