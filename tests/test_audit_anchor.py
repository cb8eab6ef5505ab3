"""The audit chain's anchor (issue 9): entries cut from the end or a wiped log no longer verify
as intact, and a wrong key is told from tampering, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jjis.api import init_database
from jjis.cli.main import app
from jjis.ingest.pseudonym import load_key
from jjis.store import Store, open_store
from jjis.web import audit
from jjis.web.anchor import Anchor, anchor_path
from jjis.web.db import ensure_web_tables
from key_fixtures import Fresh, fresh  # noqa: F401  (the fixture)

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def logged(fresh: Fresh, tmp: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
           n: int = 5) -> Path:
    """A database whose audit log holds n entries; returns where its anchor is."""
    if fresh.engine == "postgres":  # a server database is anchored where it is told
        monkeypatch.setenv("JJIS_AUDIT_ANCHOR", str(tmp / "anchors" / "jjis.audit-anchor"))
    init_database(fresh.url)
    key = audit.audit_key(load_key(fresh.url))
    with open_store(fresh.url) as store:
        ensure_web_tables(store)
        for i in range(n):
            audit.append(store, key, "alice", "view_records", f"F{i}", {"rows": i})
    path = anchor_path(fresh.url)
    assert path is not None
    return path


def verify(fresh: Fresh) -> tuple[int, str]:  # noqa: F811
    res = runner.invoke(app, ["audit", "verify", "--db", fresh.url])
    return res.exit_code, flat(res.output)


def sql(fresh: Fresh, statement: str) -> None:  # noqa: F811
    with open_store(fresh.url) as store:
        store.execute(statement)


def test_an_intact_log_verifies_up_to_its_anchor(fresh: Fresh, tmp_path: Path,  # noqa: F811
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = logged(fresh, tmp_path, monkeypatch)
    anchored = json.loads(path.read_text())
    assert anchored["entries"] == 5
    code, out = verify(fresh)
    assert code == 0 and "5 entries" in out and "anchor (entry 5" in out, out


def test_entries_cut_from_the_end_are_found(fresh: Fresh, tmp_path: Path,  # noqa: F811
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    logged(fresh, tmp_path, monkeypatch)
    sql(fresh, "DELETE FROM audit_log WHERE seq > 3")  # what is left is a valid chain
    code, out = verify(fresh)
    assert code == 1 and "holds 3 entries but its anchor recorded 5" in out, out


def test_a_wiped_log_is_found(fresh: Fresh, tmp_path: Path,  # noqa: F811
                              monkeypatch: pytest.MonkeyPatch) -> None:
    logged(fresh, tmp_path, monkeypatch)
    sql(fresh, "DELETE FROM audit_log")
    code, out = verify(fresh)
    assert code == 1 and "wiped" in out, out
    sql(fresh, "DROP TABLE audit_log")
    code, out = verify(fresh)
    assert code == 1 and "wiped" in out, out


def test_a_rewritten_log_or_a_forged_anchor_is_found(fresh: Fresh, tmp_path: Path,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = logged(fresh, tmp_path, monkeypatch)
    data = json.loads(path.read_text())
    data["entries"] = 2  # moving the anchor back without the key
    path.write_text(json.dumps(data))
    code, out = verify(fresh)
    assert code == 1 and "not signed with this database's key" in out, out
    path.unlink()  # removing it
    code, out = verify(fresh)
    assert code == 1 and "has no anchor" in out, out


def test_a_wrong_key_is_not_reported_as_tampering(fresh: Fresh, tmp_path: Path,  # noqa: F811
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    logged(fresh, tmp_path, monkeypatch)
    own = fresh.key.read_bytes()
    fresh.key.write_bytes(secrets.token_bytes(32))
    code, out = verify(fresh)
    assert code == 2 and "expects the key with fingerprint" in out and "changed" not in out, out
    # a database made before key checks: the chain itself shows a wrong key
    fresh.key.write_bytes(own)
    sql(fresh, "DROP TABLE key_check")
    fresh.key.write_bytes(secrets.token_bytes(32))
    code, out = verify(fresh)
    assert code == 2 and "not the one the log was written with" in out, out
    assert "entry 1 was changed" not in out


def test_the_anchor_only_moves_forward(store: Store, tmp_path: Path) -> None:
    """Two processes appending side by side: the anchor names the furthest entry either wrote."""
    ensure_web_tables(store)
    store.execute("DELETE FROM audit_log")
    key = b"k" * 32
    anchor = Anchor(tmp_path / "a.audit-anchor", key)
    first, second = audit.Trail(key, anchor), audit.Trail(key, anchor)
    first.append(store, "alice", "export", "XA")
    second.append(store, "bob", "export", "XA")  # entry 2
    anchor.advance(1, "0" * 64)  # a slower process arriving late with entry 1
    cp = anchor.read()
    assert cp is not None and cp.entries == 2 and anchor.genuine(cp)
    assert first.verify(store).ok
    store.execute("DELETE FROM audit_log WHERE seq = 2")
    assert not first.verify(store).ok
    store.execute("DELETE FROM audit_log")


@pytest.mark.postgres
def test_an_unanchored_server_log_is_not_called_intact(fresh: Fresh,  # noqa: F811
                                                       tmp_path: Path) -> None:
    if fresh.engine != "postgres":
        return  # a DuckDB database is always anchored beside its file
    init_database(fresh.url)
    key = audit.audit_key(load_key(fresh.url))
    with open_store(fresh.url) as store:
        ensure_web_tables(store)
        audit.append(store, key, "alice", "export", "XA")
    code, out = verify(fresh)
    assert code == 1 and "not anchored" in out and "JJIS_AUDIT_ANCHOR" in out, out
