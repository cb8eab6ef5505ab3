"""A database knows its key (issue 9, "Children silently unlinked"), on DuckDB and PostgreSQL:
the key check value recorded at init, a wrong key refused by every use, `init` never giving an
existing database a new key, an explicit key location for PostgreSQL, and `jjis key check`."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from import_fixtures import AREAS, FACILITIES, TODAY, write_csv
from jjis.api import import_registers, init_database
from jjis.cli.main import app
from jjis.errors import JjisError
from jjis.ingest import keycheck
from jjis.settings import Config, load_config
from jjis.store import open_store
from key_fixtures import Fresh, fresh  # noqa: F401  (the fixture)

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def fingerprint_by_hand(key: bytes) -> str:
    # The check value is HMAC-SHA-256(key, "jjis key check"); the fingerprint is its first 16
    # hexadecimal digits in groups of four (docs/security.md).
    digest = hmac.new(key, b"jjis key check", hashlib.sha256).hexdigest()
    return f"{digest[0:4]}-{digest[4:8]}-{digest[8:12]}-{digest[12:16]}"


def areas_file(tmp: Path) -> Path:
    folder = tmp / f"areas-{secrets.token_hex(3)}"
    folder.mkdir()
    return write_csv(folder / "areas.csv", AREAS)


def test_init_records_the_key_check_never_the_key(fresh: Fresh) -> None:  # noqa: F811
    done = init_database(fresh.url)
    key = fresh.key.read_bytes()
    assert done.written == fresh.key and done.fingerprint == fingerprint_by_hand(key)
    with open_store(fresh.url) as store:
        rows = store.fetchall("SELECT check_value, fingerprint FROM key_check")
        assert rows == [(hmac.new(key, b"jjis key check", hashlib.sha256).hexdigest(),
                         fingerprint_by_hand(key))]
        stored = json.dumps([str(r) for t in ("key_check",) for r in store.fetchall(
            f"SELECT * FROM {t}")])
    assert key.hex() not in stored


def test_another_key_file_is_refused_naming_both_fingerprints(fresh: Fresh,  # noqa: F811
                                                              tmp_path: Path) -> None:
    init_database(fresh.url)
    own = fresh.key.read_bytes()
    with open_store(fresh.url) as store:
        assert import_registers(store, [areas_file(tmp_path)], Config(), today=TODAY).exit_code == 0
        before = store.count("areas")
        other = secrets.token_bytes(32)
        fresh.key.write_bytes(other)  # someone puts another 32-byte key in its place
        with pytest.raises(keycheck.KeyMismatch) as err:
            import_registers(store, [areas_file(tmp_path)], Config(), today=TODAY)
        text = str(err.value)
        assert fingerprint_by_hand(own) in text and fingerprint_by_hand(other) in text
        assert str(fresh.key) in text and "jjis init" not in text
        assert store.count("import_log") == 1 and store.count("areas") == before


def test_another_jjis_secret_is_refused(fresh: Fresh, tmp_path: Path,  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    init_database(fresh.url)
    other = secrets.token_hex(32)
    monkeypatch.setenv("JJIS_SECRET", other)
    res = runner.invoke(app, ["import", str(areas_file(tmp_path)), "--db", fresh.url])
    assert res.exit_code == 2
    text = flat(res.output)
    assert fingerprint_by_hand(fresh.key.read_bytes()) in text
    assert fingerprint_by_hand(bytes.fromhex(other)) in text and "JJIS_SECRET" in text
    with open_store(fresh.url) as store:
        assert store.count("import_log") == 0


def test_the_web_application_refuses_a_wrong_key(fresh: Fresh) -> None:  # noqa: F811
    from jjis.web.app import create_app

    init_database(fresh.url)
    fresh.key.write_bytes(secrets.token_bytes(32))
    with pytest.raises(keycheck.KeyMismatch):
        TestClient(create_app(fresh.url, Config()))


def test_init_never_replaces_the_key_of_an_existing_database(fresh: Fresh) -> None:  # noqa: F811
    assert runner.invoke(app, ["init", "--db", fresh.url]).exit_code == 0
    expected = fingerprint_by_hand(fresh.key.read_bytes())
    fresh.key.unlink()  # the key is lost
    res = runner.invoke(app, ["init", "--db", fresh.url])
    assert res.exit_code == 2, res.output
    text = flat(res.output)
    assert "restore" in text and "backup" in text and expected in text
    assert "jjis init" not in text
    assert not fresh.key.exists()  # no new key was written
    # and every other command says the same, never to run `jjis init`
    res = runner.invoke(app, ["key", "check", "--db", fresh.url])
    assert res.exit_code == 2 and "restore" in flat(res.output) and "jjis init" not in res.output


def test_a_database_made_before_key_checks_records_it_once(fresh: Fresh,  # noqa: F811
                                                           tmp_path: Path) -> None:
    init_database(fresh.url)
    with open_store(fresh.url) as store:
        store.execute("DROP TABLE key_check")  # as jjis made databases before
    res = runner.invoke(app, ["import", str(areas_file(tmp_path)), "--db", fresh.url])
    assert res.exit_code == 0, res.output
    assert flat(res.output).count("had no key check yet") == 1
    facilities = write_csv(tmp_path / "facilities.csv", FACILITIES)
    res = runner.invoke(app, ["import", str(facilities), "--db", fresh.url])
    assert res.exit_code == 0 and "key check" not in res.output, res.output
    with open_store(fresh.url) as store:
        assert keycheck.recorded(store) is not None
    fresh.key.write_bytes(secrets.token_bytes(32))  # from now on, another key is refused
    res = runner.invoke(app, ["import", str(areas_file(tmp_path)), "--db", fresh.url])
    assert res.exit_code == 2 and "expects the key with fingerprint" in flat(res.output)


def test_key_check_command(fresh: Fresh) -> None:  # noqa: F811
    runner.invoke(app, ["init", "--db", fresh.url])
    own = fresh.key.read_bytes()
    res = runner.invoke(app, ["key", "check", "--json", "--db", fresh.url])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["matches"] is True and out["key_path"] == str(fresh.key)
    assert out["expected_fingerprint"] == out["found_fingerprint"] == fingerprint_by_hand(own)
    other = secrets.token_bytes(32)
    fresh.key.write_bytes(other)
    res = runner.invoke(app, ["key", "check", "--json", "--db", fresh.url])
    out = json.loads(res.stdout)
    assert res.exit_code == 1 and out["matches"] is False
    assert (out["expected_fingerprint"], out["found_fingerprint"]) == (
        fingerprint_by_hand(own), fingerprint_by_hand(other))
    fresh.key.unlink()
    res = runner.invoke(app, ["key", "check", "--json", "--db", fresh.url])
    assert res.exit_code == 2 and json.loads(res.stdout)["found_fingerprint"] is None
    res = runner.invoke(app, ["key", "check", "--db", fresh.url])
    assert res.exit_code == 2 and str(fresh.key) in flat(res.output)


@pytest.mark.postgres
def test_a_postgresql_key_is_never_looked_for_in_the_working_folder(
        fresh: Fresh, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    if fresh.engine != "postgres":
        return  # a DuckDB key lives beside its database (the tests above)
    monkeypatch.delenv("JJIS_KEY_FILE")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["init", "--db", fresh.url])
    assert res.exit_code == 2 and "JJIS_KEY_FILE" in flat(res.output)
    assert list(tmp_path.glob("*.key")) == []
    # the setting names it; a relative path is read from the configuration file's folder
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "jjis.toml").write_text('[key]\nfile = "secret/server.key"\n', encoding="utf-8")
    res = runner.invoke(app, ["init", "--db", fresh.url, "--config", str(conf / "jjis.toml")])
    assert res.exit_code == 0, res.output
    assert (conf / "secret" / "server.key").exists()
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)  # from another folder, the same key is found
    res = runner.invoke(app, ["key", "check", "--db", fresh.url, "--config",
                              str(conf / "jjis.toml")])
    assert res.exit_code == 0, res.output


def test_order_of_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jjis.ingest.pseudonym import locate_key

    monkeypatch.delenv("JJIS_SECRET", raising=False)
    monkeypatch.delenv("JJIS_KEY_FILE", raising=False)
    db = str(tmp_path / "x.duckdb")
    (tmp_path / "jjis.toml").write_text('[key]\nfile = "/srv/keys/jjis.key"\n', encoding="utf-8")
    config = load_config(tmp_path / "jjis.toml")
    assert locate_key(db).path == tmp_path / "x.key"  # the default: beside the database
    assert locate_key(db, config).path == Path("/srv/keys/jjis.key")  # the setting
    monkeypatch.setenv("JJIS_KEY_FILE", "/run/env.key")
    assert locate_key(db, config).path == Path("/run/env.key")  # the variable before it
    monkeypatch.setenv("JJIS_SECRET", os.urandom(32).hex())
    assert locate_key(db, config).path is None  # the key itself, first of all
    with pytest.raises(JjisError):
        monkeypatch.delenv("JJIS_SECRET")
        monkeypatch.delenv("JJIS_KEY_FILE")
        locate_key("postgresql://u@h/db")
