"""The password policy (issue 9): at least 12 characters, five different ones, not one of the
common passwords shipped with the package (src/jjis/web/passwords/), for `jjis user add`,
`jjis user password` and the Users page."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from jjis.errors import JjisError
from jjis.store import Store
from jjis.web.db import ensure_web_tables
from jjis.web.users import COMMON, add_user, check_new_password, get_user
from test_web_country import WebCountry, csrf_of, web  # noqa: F401

REFUSED = [
    "eleven char",        # 11 characters
    "pppppppppppp",       # 12 characters, one different
    "abababababab",       # two different
    "qwerty123456",       # on the list as it is
    "1q2w3e4r5t6y",       # on the list
    "Password2024!",      # "password" with digits and a sign around it
    "  superman  12",     # "superman" inside spaces and digits
    "LEAVEMEALONE",       # on the list, in capitals
]
ACCEPTED = ["correct horse battery 9", "admin-password-0001", "Vrai cheval 2025"]


def test_the_list_is_the_one_its_readme_describes() -> None:
    data = COMMON.read_bytes()
    readme = (COMMON.parent / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme and "MIT" in readme
    words = data.decode("utf-8").split("\n")[:-1]
    assert len(words) == 30_000 and words[0] == "123456" and "password" in words[:5]


@pytest.mark.parametrize("password", REFUSED)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(JjisError):
        check_new_password(password)


@pytest.mark.parametrize("password", ACCEPTED)
def test_good_passwords_pass(password: str) -> None:
    check_new_password(password)


def test_nothing_is_stored_for_a_refused_password(store: Store) -> None:
    ensure_web_tables(store)
    store.execute("DELETE FROM web_users")
    with pytest.raises(JjisError, match="common passwords"):
        add_user(store, "amina", "admin", "qwerty123456")
    assert get_user(store, "amina") is None
    add_user(store, "amina", "admin", ACCEPTED[0])
    assert get_user(store, "amina") is not None


def test_jjis_user_add_and_password_refuse_weak_passwords(tmp_path: Path) -> None:
    from jjis.api import init_database

    db = str(tmp_path / "jjis.duckdb")
    init_database(db)
    jjis = str(Path(sys.executable).parent / "jjis")

    def run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([jjis, "user", *args, "--password-stdin", "--db", db], input=stdin,
                              capture_output=True, text=True, check=False)

    weak = run("add", "amina", "--role", "admin", stdin="password2024\n")
    assert weak.returncode == 2 and "common passwords" in weak.stderr, weak.stderr
    assert run("add", "amina", "--role", "admin", stdin="short pass\n").returncode == 2
    assert run("add", "amina", "--role", "admin", stdin="correct horse battery 9\n").returncode == 0
    again = run("password", "amina", stdin="iloveyou1234\n")
    assert again.returncode == 2 and "common passwords" in again.stderr


def test_the_users_page_refuses_a_common_password(web: WebCountry) -> None:  # noqa: F811
    admin = web.session("admin")
    r = admin.post("/admin/users", data={
        "username": "weakling", "role": "inspector", "password": "qwertyuiop123", "facilities": "XA-N-RC",
        "csrf_token": csrf_of(admin.get("/admin/users").text)}, follow_redirects=False)
    assert r.status_code == 422 and "common passwords" in r.text
    assert "weakling" not in admin.get("/admin/users").text
