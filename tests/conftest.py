"""Shared fixtures. `store` runs each test on DuckDB and on PostgreSQL (127.0.0.1:5432, user
postgres): a PostgreSQL server that is down makes the tests fail, never skip. `engine_store`
adds a Spark warehouse (local mode, one session per test worker): missing Java or pyspark makes
those tests fail too."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jjis.schema import TABLES
from jjis.store import Store, open_store
from jjis.store.ddl import SYSTEM_TABLES

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session", autouse=True)
def _plan_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests keep their compiled plans (indicators/plans.py) in a folder of their own, never
    in the user's cache."""
    import os

    before = os.environ.get("JJIS_PLAN_CACHE")
    os.environ["JJIS_PLAN_CACHE"] = str(tmp_path_factory.mktemp("plans"))
    yield
    if before is None:
        os.environ.pop("JJIS_PLAN_CACHE", None)
    else:
        os.environ["JJIS_PLAN_CACHE"] = before


@pytest.fixture(scope="session")
def postgres_store() -> Iterator[Store]:
    import psycopg

    name = f"jjis_test_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    store = open_store(f"{PG_SERVER}/{name}", create=True)
    try:
        yield store
    finally:
        store.close()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "duckdb":
        s = open_store(":memory:", create=True)
        yield s
        s.close()
        return
    pg: Store = request.getfixturevalue("postgres_store")
    for table in (*TABLES, *SYSTEM_TABLES):
        pg.execute(f"TRUNCATE {table}")
    yield pg


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One small Spark session per test worker: one core, one shuffle partition, no UI, no
    adaptive planning (whose extra jobs cost more than they save on a few rows). The Spark
    store reuses the active session."""
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("jjis-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.default.parallelism", "1")
               .config("spark.sql.adaptive.enabled", "false")
               .config("spark.sql.constraintPropagation.enabled", "false")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_url(folder: Path) -> str:
    return f"spark://local?warehouse={folder}"


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres), "spark"])
def engine_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """`store`, and a Spark warehouse besides: for the hand-worked indicator values, which must
    come out the same on every engine."""
    if request.param == "postgres":
        yield request.getfixturevalue("_pg_store")
        return
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    s = open_store(":memory:" if request.param == "duckdb" else spark_url(tmp_path / "warehouse"),
                   create=True)
    yield s
    s.close()


@pytest.fixture
def _pg_store(postgres_store: Store) -> Store:
    for table in (*TABLES, *SYSTEM_TABLES):
        postgres_store.execute(f"TRUNCATE {table}")
    return postgres_store



# --- one worker per costly shared build ---------------------------------------------------------
# `make test` runs `pytest -n 2 --dist loadfile`: each test file goes whole to one worker, so
# that its module fixtures are made once. The files sharing a costly build that is made once per
# worker go together, as one unit, to one worker, so that it is made once per run: the report
# country and its reports (the files importing test_report_setup's fixtures: 60 to 85 s) and the
# Spark session (the files using engine_store or spark_session: 20 s). The controller sees test
# ids only, so a file's group is read from its text.
SHARED_BUILDS = {"report-country": ("test_report_setup",),
                 "spark": ("engine_store", "spark_session")}


@functools.cache
def shared_build(path: Path) -> str | None:
    if path.name == "conftest.py" or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return next((group for group, words in SHARED_BUILDS.items()
                 if path.stem in words or any(w in text for w in words)), None)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedBuilds(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            file: str = super()._split_scope(nodeid)
            return shared_build(config.rootpath / file) or file

    return SharedBuilds(config, log)
