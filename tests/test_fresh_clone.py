"""The suite runs on a fresh clone of a fresh machine: `make test` installs and starts what the
tests need (scripts/setup-system.sh), CI is a thin call of it, and the real data the tests use is
inside the repository with its checksums."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"
SETUP = ROOT / "scripts" / "setup-system.sh"


def test_no_test_reads_outside_the_repository() -> None:
    outside = re.compile(r"""["'/]shared["'/]|\.parents?\[[2-9]\]|\.\./""")
    offenders = [p.name for p in sorted((ROOT / "tests").glob("*.py"))
                 if p.name != Path(__file__).name and outside.search(p.read_text())]
    assert offenders == []


def test_shipped_real_data_matches_its_checksums() -> None:
    sums = dict(reversed(line.split(maxsplit=1)) for line in
                (REAL / "SHA256SUMS").read_text().splitlines() if line.strip())
    shipped = {p.name for p in REAL.iterdir() if p.name not in ("SHA256SUMS", "README.md")}
    assert shipped == set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((REAL / name).read_bytes()).hexdigest() == digest, name
        assert f"`{name}`" in (REAL / "README.md").read_text(), f"{name} not described"


def test_make_test_sets_up_the_machine_first() -> None:
    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.splitlines()
    setup = next(i for i, line in enumerate(plan) if "scripts/setup-system.sh" in line)
    tests = next(i for i, line in enumerate(plan) if "pytest" in line)
    assert setup < tests


def test_ci_is_a_thin_call_of_make_test() -> None:
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "make test"
    assert not any("apt-get" in c or "pg_ctl" in c for c in commands)


def test_setup_installs_every_listed_package_and_leaves_postgres_running() -> None:
    # Everything is there already on this machine, so the script must be quick and change nothing.
    done = subprocess.run([str(SETUP)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "installing" not in done.stdout
    packages = [line.split()[0] for line in (ROOT / ".ci" / "packages.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert {"postgresql", "chromium"} <= set(packages)
    for pkg in packages:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True,
                                text=True).stdout
        assert "install ok installed" in status, pkg
    assert subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0
    readme = (ROOT / "README.md").read_text()
    assert "scripts/setup-system.sh" in readme and "Chromium" in readme
