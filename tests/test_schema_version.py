"""The schema version (store/versions.py): a database records the version it was made with, a
database of another version is refused with one sentence, and `jjis upgrade` brings one of the
previous layout to this version in place, on DuckDB and on PostgreSQL.

The previous layout is built here from a new database, the way jjis before schema versions made
it: no meta table, a table it made only when first used (web_runs), a column added later
(web_users.totp_step, results.note) and no index of results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from import_fixtures import AREAS, TODAY, write_csv
from jjis.api import import_registers, init_database
from jjis.cli.main import app
from jjis.errors import REFUSALS, JjisError
from jjis.settings import Config
from jjis.store import Store, open_store, versions
from jjis.store.ddl import REGISTRY
from key_fixtures import Fresh, fresh  # noqa: F401  (the fixture)

runner = CliRunner()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def previous_layout(url: str) -> None:
    """Turn a new database into one made by jjis before the schema version was recorded, with
    a user and a figure in the tables that lose a column."""
    with open_store(url) as store:
        store.execute("INSERT INTO web_users (username, role, areas, facilities, password_hash, "
                      "active, created_at, totp_secret, totp_step) "
                      "VALUES ('ana', 'admin', '', '', 'h', true, '2026-01-01', NULL, 7)")
        store.execute("INSERT INTO results (run_id, indicator, value, note) "
                      "VALUES ('r1', 1, 2.5, 'kept')")
        store.execute("ALTER TABLE web_users DROP COLUMN totp_step")
        store.drop_index("results", "results_run_id_idx")
        store.execute("ALTER TABLE results DROP COLUMN note")
        store.execute("DROP TABLE web_runs")
        store.execute("DROP TABLE jjis_meta")


def test_a_new_database_records_this_version(fresh: Fresh) -> None:  # noqa: F811
    init_database(fresh.url)
    with open_store(fresh.url) as store:
        assert versions.found_version(store) == versions.SCHEMA_VERSION
        assert store.fetchall("SELECT name, value FROM jjis_meta") == [
            ("schema_version", str(versions.SCHEMA_VERSION))]
        assert set(REGISTRY) <= set(store.tables())  # every declared table, made by init
        assert store.index_exists("results", "results_run_id_idx")


def test_the_previous_layout_is_refused_then_upgraded_in_place(fresh: Fresh,  # noqa: F811
                                                               tmp_path: Path) -> None:
    refused_then_upgraded(fresh.url, tmp_path)


def test_a_spark_warehouse_is_upgraded_in_place(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # a warehouse's system tables are in its DuckDB system file, the registers in Parquet
    monkeypatch.setenv("JJIS_SECRET", "ab" * 32)
    refused_then_upgraded(f"spark://local?warehouse={tmp_path / 'warehouse'}", tmp_path)


def refused_then_upgraded(url: str, tmp_path: Path) -> None:
    """The previous layout refused by a command, upgraded, then serving an import."""
    init_database(url)
    previous_layout(url)
    # every command refuses it with one sentence naming the versions and what to do
    res = runner.invoke(app, ["import", str(write_csv(tmp_path / "areas.csv", AREAS)),
                              "--db", url])
    assert res.exit_code == 2
    said = flat(res.output).strip()
    assert said == "error: " + REFUSALS["schema-older"].template.format(
        db=url, found=1, current=versions.SCHEMA_VERSION), said
    with pytest.raises(JjisError,
                       match=f"schema version 1; this jjis uses version {versions.SCHEMA_VERSION}"):
        open_store(url)

    res = runner.invoke(app, ["upgrade", "--db", url])
    assert res.exit_code == 0, res.output
    out = flat(res.output)
    assert f"from schema version 1 to {versions.SCHEMA_VERSION}" in out
    assert "tables created: web_runs, jjis_meta" in out
    assert "columns added: results.note, web_users.totp_step" in out
    assert "indexes created: results_run_id_idx" in out

    with open_store(url) as store:  # opens again, the rows kept, the new columns empty
        assert versions.found_version(store) == versions.SCHEMA_VERSION
        assert store.fetchall("SELECT username, totp_step FROM web_users") == [("ana", None)]
        assert store.fetchall("SELECT run_id, value, note FROM results") == [("r1", 2.5, None)]
        assert store.index_exists("results", "results_run_id_idx")
        assert store.table_exists("web_runs")
    with open_store(url) as store:  # the upgraded database takes imports
        report = import_registers(store, [write_csv(tmp_path / "areas.csv", AREAS)], Config(),
                                  today=TODAY)
    assert report.files[0].inserted == len(AREAS) - 1

    res = runner.invoke(app, ["upgrade", "--db", url])  # a second upgrade changes nothing
    assert res.exit_code == 0 and f"at schema version {versions.SCHEMA_VERSION} already; " \
        "nothing was changed" in flat(res.output), res.output


def test_what_cannot_be_done_in_place_is_refused_and_nothing_changes(fresh: Fresh,  # noqa: F811
                                                                    ) -> None:
    init_database(fresh.url)
    previous_layout(fresh.url)
    with open_store(fresh.url, any_version=True) as store:  # a required column is missing
        store.execute("ALTER TABLE web_users DROP COLUMN role")
    res = runner.invoke(app, ["upgrade", "--db", fresh.url])
    assert res.exit_code == 2
    said = flat(res.output).strip()
    assert said == "error: " + REFUSALS["upgrade-impossible"].template.format(
        db=fresh.url, found=1, current=versions.SCHEMA_VERSION, reason="column web_users.role is "
        "required and has no value to give the rows already there"), said
    with open_store(fresh.url, any_version=True) as store:  # nothing of the upgrade was done
        assert versions.found_version(store) == 1
        assert not store.table_exists("web_runs")
        assert "note" not in store.column_types("results")


def test_a_later_version_is_refused_and_not_downgraded(fresh: Fresh) -> None:  # noqa: F811
    init_database(fresh.url)
    with open_store(fresh.url) as store:
        versions.record(store, versions.SCHEMA_VERSION + 1)
    expected = REFUSALS["schema-newer"].template.format(
        db=fresh.url, found=versions.SCHEMA_VERSION + 1, current=versions.SCHEMA_VERSION)
    for args in (["runs", "--db", fresh.url], ["upgrade", "--db", fresh.url]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2
        assert flat(res.output).strip() == "error: " + expected, res.output


def test_a_database_without_jjis_tables_has_nothing_to_upgrade(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "other.duckdb"
    duckdb.connect(str(db)).close()
    res = runner.invoke(app, ["upgrade", "--db", str(db)])
    assert res.exit_code == 2 and "has no jjis tables, so there is nothing to upgrade" in \
        flat(res.output), res.output


def test_a_required_column_with_a_default_is_added_to_the_rows_there(store: Store) -> None:
    """What `jjis upgrade` does for such a column, on each engine: the rows get the default and
    the column then refuses an empty value."""
    from jjis.store.ddl import Column

    store.execute("DELETE FROM findings")
    store.insert_rows("findings", ["import_id", "type"], [[1, "conflicting-sex"]])
    store.add_column("findings", Column("weight", "BIGINT", not_null=True, default="0"))
    try:
        assert store.fetchall("SELECT import_id, weight FROM findings") == [(1, 0)]
        with pytest.raises(Exception, match="(?i)null"):
            store.execute("INSERT INTO findings (import_id, weight) VALUES (2, NULL)")
    finally:
        store.execute("ALTER TABLE findings DROP COLUMN weight")
        store.execute("DELETE FROM findings")
