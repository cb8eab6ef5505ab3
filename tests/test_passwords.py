"""Passwords are never printed (issue 9): the password of a PostgreSQL URL is masked in every
message that shows the URL (connection errors, a database without tables, init, serve)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jjis.cli.main import app
from jjis.store.base import masked
from key_fixtures import drop_database, new_database

runner = CliRunner()
PASSWORD = "Sup3r-" + secrets.token_hex(6)


def test_masked_hides_every_password_form() -> None:
    assert masked(f"postgresql://jj:{PASSWORD}@db.example:5432/jjis") == \
        "postgresql://jj:***@db.example:5432/jjis"
    assert masked(f"at postgres://jj:{PASSWORD}@h/x and postgresql://a:b@c/d.") == \
        "at postgres://jj:***@h/x and postgresql://a:***@c/d."
    assert masked(f"host=h password={PASSWORD} user=jj") == "host=h password=*** user=jj"
    assert masked(f"password='{PASSWORD} x' dbname=j") == "password=*** dbname=j"
    assert masked("postgresql://jj@h/x") == "postgresql://jj@h/x"  # nothing to hide
    assert masked("/srv/jjis/jjis.duckdb") == "/srv/jjis/jjis.duckdb"


@pytest.mark.postgres
def test_a_server_that_cannot_be_reached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJIS_KEY_FILE", str(tmp_path / "k.key"))
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/jjis"  # nothing listens on port 1
    for args in (["runs"], ["init"], ["key", "check"], ["audit", "verify"], ["compute",
                                                                             "--census-date",
                                                                             "2025-12-31"]):
        res = runner.invoke(app, [*args, "--db", url])
        assert res.exit_code == 2, (args, res.output)
        assert PASSWORD not in res.output and "postgres:***@127.0.0.1:1" in " ".join(
            res.output.split()), (args, res.output)


@pytest.mark.postgres
def test_a_reachable_server_never_shows_the_password(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJIS_KEY_FILE", str(tmp_path / "k.key"))
    url = new_database(tmp_path)  # the test server trusts any password: it is given anyway
    with_password = url.replace("postgres@", f"postgres:{PASSWORD}@")
    try:
        res = runner.invoke(app, ["runs", "--db", with_password])  # no tables yet
        assert res.exit_code == 2 and PASSWORD not in res.output, res.output
        res = runner.invoke(app, ["init", "--db", with_password])
        assert res.exit_code == 0 and PASSWORD not in res.output, res.output
        res = runner.invoke(app, ["init", "--db", with_password])  # already set up
        assert res.exit_code == 2 and PASSWORD not in res.output, res.output
        for args in (["runs", "--format", "json"], ["key", "check"], ["audit", "verify"]):
            res = runner.invoke(app, [*args, "--db", with_password])
            assert PASSWORD not in res.output, (args, res.output)
    finally:
        drop_database(url)
