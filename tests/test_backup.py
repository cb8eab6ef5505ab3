"""`jjis backup` and `jjis restore` (issue 9): every table, the key check and the audit anchor,
never the key; checksums checked before anything is touched; the snapshot hash recomputed; a
failed or killed restore leaves the target as it was; DuckDB to PostgreSQL and back."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jjis import backup as backup_module
from jjis.api import import_registers, init_database
from jjis.cli.main import app
from jjis.errors import JjisError
from jjis.indicators.results import Figure
from jjis.ingest.pseudonym import load_key
from jjis.publish.provenance import new_manifest, record_run, snapshot_hash
from jjis.settings import Config
from jjis.store import archive, open_store
from jjis.synth import synthesise
from jjis.web import audit
from jjis.web.db import ensure_web_tables
from jjis.web.users import add_user
from key_fixtures import Fresh, drop_database, fresh, new_database  # noqa: F401  (the fixture)

runner = CliRunner()
CENSUS = date(2025, 12, 31)


def flat(text: str) -> str:
    return " ".join(text.split())


def hand_figures() -> list[Figure]:
    """Two figures written by hand: a third (a double that must come back bit for bit), a
    withheld count, empty values and a breakdown."""
    common = {"area": "XA", "census_date": CENSUS, "period_start": date(2025, 1, 1),
              "period_end": CENSUS, "unit": "rate"}
    return [Figure(indicator=2, statistic="rate", numerator=1.0, denominator=3.0, value=1 / 3,
                   coverage_reported=4, coverage_expected=5, **common),  # type: ignore[arg-type]
            Figure(indicator=3, statistic="count", breakdown={"sex": "f"}, numerator=2.0,
                   suppressed=True, note="withheld", **common)]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One DuckDB database with registers, a run, a web user and an anchored audit log, and its
    backup (template.zip): each test starts from a copy."""
    folder = tmp_path_factory.mktemp("backup-template")
    with pytest.MonkeyPatch.context() as mp:
        for var in ("JJIS_SECRET", "JJIS_KEY_FILE", "JJIS_AUDIT_ANCHOR"):
            mp.delenv(var, raising=False)
        synthesise(folder / "registers", children=60, seed=5, end_date=CENSUS)
        db = str(folder / "jjis.duckdb")
        init_database(db)
        with open_store(db) as store:
            assert import_registers(store, [folder / "registers"], Config(),
                                    today=date(2026, 1, 1)).exit_code == 0
            record_run(store, new_manifest(store, Config(), catalogue_version="test",
                                           census_date=CENSUS), hand_figures())
            ensure_web_tables(store)
            add_user(store, "ana", "analyst", "a-long-analyst-password")
            key = audit.audit_key(load_key(db))
            for i in range(3):
                audit.append(store, key, "ana", "export", f"XA-{i}")
        backup_module.backup(db, folder / "template.zip")
    return folder


def filled(fresh: Fresh, template: Path, tmp: Path,  # noqa: F811
           monkeypatch: pytest.MonkeyPatch) -> None:
    """The template database at `fresh`: a copy of the file on DuckDB, restored on PostgreSQL."""
    fresh.key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template / "jjis.key", fresh.key)
    fresh.key.chmod(0o600)
    if fresh.engine == "duckdb":
        shutil.copy(template / "jjis.duckdb", fresh.url)
        shutil.copy(template / "jjis.audit-anchor", Path(fresh.url).with_suffix(".audit-anchor"))
        return
    monkeypatch.setenv("JJIS_AUDIT_ANCHOR", str(tmp / "source.audit-anchor"))
    backup_module.restore(template / "template.zip", fresh.url)


def contents(url: str) -> dict[str, list[str]]:
    """Every table's rows, as text and sorted: what must survive a round trip unchanged."""
    with open_store(url) as store:
        out = {}
        for name in archive.tables(store):
            data = archive.read(store, name, archive.columns(store, name))
            out[name] = sorted(json.dumps(r, default=str, sort_keys=True) for r in data.to_pylist())
        return out


def test_a_backup_holds_every_table_and_never_the_key(fresh: Fresh, template: Path,  # noqa: F811
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    filled(fresh, template, tmp_path, monkeypatch)
    out = tmp_path / "b.zip"
    res = runner.invoke(app, ["backup", "--out", str(out), "--db", fresh.url])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        blob = b"".join(zf.read(n) for n in zf.namelist())
    names = {t["name"] for t in manifest["tables"]}
    assert {"arrests", "detentions", "import_log", "quarantine", "key_check", "audit_log",
            "web_users", "runs", "results"} <= names
    key = fresh.key.read_bytes()
    assert key not in blob and key.hex().encode() not in blob
    with open_store(fresh.url) as store:
        assert manifest["snapshot"] == snapshot_hash(store)[0]
        assert manifest["key_check"]["check_value"] == store.fetchall(
            "SELECT check_value FROM key_check")[0][0]
    assert manifest["audit_anchor"]["entries"] == 3
    # never written over an existing file
    res = runner.invoke(app, ["backup", "--out", str(out), "--db", fresh.url])
    assert res.exit_code == 2 and "exists already" in flat(res.output)


@pytest.mark.postgres
def test_duckdb_to_postgresql_and_back(template: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("JJIS_SECRET", "JJIS_KEY_FILE", "JJIS_AUDIT_ANCHOR"):
        monkeypatch.delenv(var, raising=False)
    source = Fresh(str(tmp_path / "jjis.duckdb"), tmp_path / "jjis.key", "duckdb")
    filled(source, template, tmp_path, monkeypatch)
    before = contents(source.url)
    runner.invoke(app, ["backup", "--out", str(tmp_path / "one.zip"), "--db", source.url])
    server = new_database(tmp_path)
    try:
        # the server database gets the same key file and an anchor of its own
        monkeypatch.setenv("JJIS_KEY_FILE", str(source.key))
        monkeypatch.setenv("JJIS_AUDIT_ANCHOR", str(tmp_path / "server.audit-anchor"))
        res = runner.invoke(app, ["restore", str(tmp_path / "one.zip"), "--db", server])
        assert res.exit_code == 0, res.output
        assert "as recorded in the backup" in flat(res.output)
        assert "this database's own" in flat(res.output)
        assert contents(server) == before
        res = runner.invoke(app, ["audit", "verify", "--db", server])
        assert res.exit_code == 0 and "3 entries" in res.output, res.output
        res = runner.invoke(app, ["backup", "--out", str(tmp_path / "two.zip"), "--db", server])
        assert res.exit_code == 0, res.output
        monkeypatch.delenv("JJIS_KEY_FILE")
        monkeypatch.delenv("JJIS_AUDIT_ANCHOR")
        back = tmp_path / "back" / "jjis.duckdb"
        back.parent.mkdir()
        (back.parent / "jjis.key").write_bytes(source.key.read_bytes())
        (back.parent / "jjis.key").chmod(0o600)
        res = runner.invoke(app, ["restore", str(tmp_path / "two.zip"), "--db", str(back)])
        assert res.exit_code == 0, res.output
        assert contents(str(back)) == before
        res = runner.invoke(app, ["audit", "verify", "--db", str(back)])
        assert res.exit_code == 0, res.output
    finally:
        drop_database(server)


def test_restore_refuses_a_database_holding_data(fresh: Fresh, template: Path,  # noqa: F811
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    filled(fresh, template, tmp_path, monkeypatch)
    out = tmp_path / "b.zip"
    backup_module.backup(fresh.url, out)
    with open_store(fresh.url) as store:
        store.execute("DELETE FROM arrests")  # a change that --force undoes
    before = contents(fresh.url)
    res = runner.invoke(app, ["restore", str(out), "--db", fresh.url])
    assert res.exit_code == 2 and "--force" in flat(res.output)
    assert contents(fresh.url) == before
    res = runner.invoke(app, ["restore", str(out), "--db", fresh.url, "--force"])
    assert res.exit_code == 0, res.output
    with open_store(fresh.url) as store:
        assert store.count("arrests") > 0


def test_a_damaged_backup_is_refused_before_anything_is_touched(
        fresh: Fresh, template: Path, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    filled(fresh, template, tmp_path, monkeypatch)
    out = tmp_path / "b.zip"
    backup_module.backup(fresh.url, out)
    before = contents(fresh.url)
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    # one byte of one table changed
    damaged = dict(members)
    raw = bytearray(damaged["tables/arrests.parquet"])
    raw[len(raw) // 2] ^= 0xFF
    damaged["tables/arrests.parquet"] = bytes(raw)
    # a hostile manifest naming a table to inject SQL
    hostile = dict(members)
    manifest = json.loads(members["manifest.json"])
    manifest["tables"][0]["name"] = "x; DROP TABLE arrests"
    hostile["manifest.json"] = json.dumps(manifest).encode()
    for label, files in (("damaged", damaged), ("hostile", hostile)):
        bad = tmp_path / f"{label}.zip"
        with zipfile.ZipFile(bad, "w") as zf:
            for n, b in files.items():
                zf.writestr(n, b)
        res = runner.invoke(app, ["restore", str(bad), "--db", fresh.url, "--force"])
        assert res.exit_code == 2 and "nothing was restored" in flat(res.output), res.output
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really")
    res = runner.invoke(app, ["restore", str(tmp_path / "junk.zip"), "--db", fresh.url])
    assert res.exit_code == 2 and "damaged or not a jjis backup" in flat(res.output)
    assert contents(fresh.url) == before


def test_a_snapshot_that_does_not_match_keeps_nothing(fresh: Fresh, template: Path,  # noqa: F811
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    filled(fresh, template, tmp_path, monkeypatch)
    out = tmp_path / "b.zip"
    backup_module.backup(fresh.url, out)
    before = contents(fresh.url)
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["snapshot"] = "0" * 64  # the data no longer matches what the backup says it holds
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    res = runner.invoke(app, ["restore", str(out), "--db", fresh.url, "--force"])
    assert res.exit_code == 2 and "nothing was kept" in flat(res.output), res.output
    assert contents(fresh.url) == before
    assert not list(tmp_path.glob(".*restoring*"))


def test_a_restore_stopped_half_way_leaves_the_target_as_it_was(
        fresh: Fresh, template: Path, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    filled(fresh, template, tmp_path, monkeypatch)
    out = tmp_path / "b.zip"
    backup_module.backup(fresh.url, out)
    with open_store(fresh.url) as store:
        store.execute("DELETE FROM detentions")
    before = contents(fresh.url)
    loaded: list[str] = []
    real_load = archive.load

    def load_then_die(store, table, data):  # type: ignore[no-untyped-def]
        real_load(store, table, data)
        loaded.append(table)
        if len(loaded) == 4:  # as a kill would, after some tables are in
            raise KeyboardInterrupt

    monkeypatch.setattr(archive, "load", load_then_die)
    with pytest.raises(KeyboardInterrupt):
        backup_module.restore(out, fresh.url, force=True)
    assert len(loaded) == 4
    assert contents(fresh.url) == before
    assert not list(tmp_path.glob(".*restoring*"))


def test_restore_into_a_missing_backup_says_so(tmp_path: Path) -> None:
    with pytest.raises(JjisError, match="no backup at"):
        backup_module.restore(tmp_path / "none.zip", str(tmp_path / "x.duckdb"))
