"""Entry point. Each `cmd_*.py` module beside this one registers its commands on the app."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import jjis.cli

app = typer.Typer(
    name="jjis",
    help="Juvenile justice indicators: registers in, the fifteen UNODC/UNICEF indicators out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    for mod in sorted(pkgutil.iter_modules(jjis.cli.__path__), key=lambda m: m.name):
        if mod.name.startswith("cmd_"):
            importlib.import_module(f"jjis.cli.{mod.name}").register(app)


_register_commands()


def main() -> None:
    app()
