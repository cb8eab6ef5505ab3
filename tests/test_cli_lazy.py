"""`jjis COMMAND` imports only the module registering COMMAND (cli/main.py COMMANDS)."""

from __future__ import annotations

import subprocess
import sys

from jjis.cli.main import COMMANDS, build, modules


def _names(module: str) -> set[str]:
    app = build([module])
    return ({c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
            | {g.name or "" for g in app.registered_groups})


def test_every_command_is_in_the_table_of_its_module():
    found = {name: module for module in modules() for name in _names(module)}
    assert found == COMMANDS


def test_compute_does_not_import_the_other_commands():
    code = ("import sys; sys.argv = ['jjis', 'compute', '--help']\n"
            "from jjis.cli.main import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('jjis.cli.cmd_')))\n"
            "print('pandas' in sys.modules, 'jjis.web' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert "Usage: jjis compute" in out.stdout
    assert lines[-2] == "['jjis.cli.cmd_compute']"
    assert lines[-1] == "False False"
