"""The --db/--config contract: every command that reads or writes a database or the settings
takes both, declared once in cli/common.py; the README's table of commands and options is the
one generated from the commands; `jjis demo --port`."""

from __future__ import annotations

import inspect
from pathlib import Path

from typer.testing import CliRunner

from jjis.cli import common
from jjis.cli.main import app
from jjis.cli.reference import SHARED, commands, options_of, updated_readme

ROOT = Path(__file__).resolve().parents[1]
FILES_ONLY = {"docs", "template", "synth", "indicators", "indicators show",
              "collate"}  # no database (collate reads warehouse folders)


def test_every_database_command_takes_db_and_config() -> None:
    missing = {name: sorted(set(SHARED) - options_of(cmd)) for name, cmd in commands(app)
               if name not in FILES_ONLY and not set(SHARED) <= options_of(cmd)}
    assert missing == {}
    for name, cmd in commands(app):
        if name in FILES_ONLY:
            assert not set(SHARED) & options_of(cmd), name


def test_the_options_are_the_shared_declaration_not_copies() -> None:
    for name, cmd in commands(app):
        params = inspect.signature(cmd.callback).parameters
        for option, alias in (("db", common.Db), ("config", common.ConfigFile)):
            if option in params and name not in FILES_ONLY:
                assert params[option].annotation in (alias, "Db", "ConfigFile"), (name, option)


def test_readme_lists_each_command_with_its_options() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert updated_readme(text, app) == text, "run `jjis docs`"
    assert "| `jjis init` | yes | yes |" in text


def test_init_takes_config_and_demo_takes_port(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.toml"
    bad.write_text("[population]\nages = 'all'\n")
    result = runner.invoke(app, ["init", "--db", str(tmp_path / "x.duckdb"), "--config", str(bad)])
    assert result.exit_code == 2 and "No such option" not in result.output
    assert not (tmp_path / "x.duckdb").exists()  # a bad settings file creates nothing
    good = tmp_path / "jjis.toml"
    good.write_text("[population]\nages = [0, 17]\n")
    result = runner.invoke(app, ["init", "--db", str(tmp_path / "y.duckdb"), "--config", str(good)],
                           env={"JJIS_SECRET": "00" * 32})
    assert result.exit_code == 0, result.output
    demo = next(cmd for name, cmd in commands(app) if name == "demo")
    port = next(p for p in demo.params if "--port" in p.opts)
    assert port.default == 8000
