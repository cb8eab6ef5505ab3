"""Entry point. Each `cmd_*.py` module beside this one registers its commands on the app.

`jjis COMMAND ...` imports only the module that registers COMMAND (`COMMANDS`), so a command
does not pay for importing every other command's dependencies; `jjis`, `jjis --help` and an
unknown name build the whole app, as does `from jjis.cli.main import app` (tests, `jjis docs`).
tests/test_cli_lazy.py checks `COMMANDS` against what the modules register.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import typer

import jjis.cli

HELP = "Juvenile justice indicators: registers in, the fifteen UNODC/UNICEF indicators out."

# top-level command or group -> the cmd_ module registering it
COMMANDS = {
    "audit": "cmd_audit", "backup": "cmd_backup", "restore": "cmd_backup",
    "compute": "cmd_compute", "demo": "cmd_demo", "docs": "cmd_docs", "template": "cmd_docs",
    "export": "cmd_export", "collate": "cmd_export", "findings": "cmd_findings",
    "forms": "cmd_forms", "import": "cmd_import", "quarantine": "cmd_import",
    "indicators": "cmd_indicators", "init": "cmd_init", "key": "cmd_key",
    "release": "cmd_release", "releases": "cmd_release", "approve": "cmd_release",
    "approvals": "cmd_release", "report": "cmd_report", "runs": "cmd_runs", "serve": "cmd_serve",
    "synth": "cmd_synth", "upgrade": "cmd_upgrade", "user": "cmd_user",
}


def modules() -> list[str]:
    """Every cmd_ module, by name."""
    return sorted(m.name for m in pkgutil.iter_modules(jjis.cli.__path__)
                  if m.name.startswith("cmd_"))


def build(names: list[str] | None = None) -> typer.Typer:
    """The app with the commands of the named cmd_ modules (every one by default)."""
    app = typer.Typer(name="jjis", help=HELP, no_args_is_help=True, add_completion=False,
                      pretty_exceptions_enable=False)
    for name in modules() if names is None else names:
        importlib.import_module(f"jjis.cli.{name}").register(app)
    if names is not None:
        @app.callback()
        def _group() -> None:  # a group even with one command: `jjis compute ...` keeps its name
            pass
    return app


_APP: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    global _APP
    if name == "app":
        if _APP is None:
            _APP = build()
        return _APP
    raise AttributeError(name)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    module = COMMANDS.get(command)
    (build([module]) if module else build())()
