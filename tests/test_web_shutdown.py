"""The application's shutdown is orderly: the import queue takes no new job and the running
import ends before the database is closed, so that no thread has its connection closed under it
(web/app.py `shut_down`)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jjis.settings import Config
from jjis.store import open_store
from jjis.web import imports
from jjis.web.access import Denied
from jjis.web.app import create_app
from test_web_country import CENSUS, IN_FACILITY, copy_country, password

ROWS = 20_000


def _bulk(prefix: str, n: int) -> bytes:
    rows = "".join(f"{prefix}-{i},shutdown-child-{i % 499},{IN_FACILITY},2025-11-{1 + i % 28:02d},"
                   "visit_received,parent\n" for i in range(n))
    return ("contact_id,child_id,facility_id,contact_date,kind,relation\n" + rows).encode()


def test_a_shutdown_waits_for_the_running_import_then_closes_the_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The import is held in the middle (the import lock taken) until the shutdown has begun;
    the shutdown then waits for it: the import ends whole, the upload queued behind it is
    dropped (never half imported), and nothing is logged as an error."""
    db = copy_country(tmp_path / "country")
    app = create_app(db, Config(), today=lambda: CENSUS)
    queue = app.state.web.imports
    running, release, shutting = threading.Event(), threading.Event(), threading.Event()
    real_import, real_close = imports.import_registers, queue.close

    def held(*args: Any, **kwargs: Any) -> Any:
        running.set()
        assert release.wait(120), "the shutdown never began"
        return real_import(*args, **kwargs)

    def closing(*args: Any, **kwargs: Any) -> bool:
        shutting.set()
        release.set()  # the import goes on once the shutdown has begun
        return real_close(*args, **kwargs)

    monkeypatch.setattr(imports, "import_registers", held)
    monkeypatch.setattr(queue, "close", closing)
    caplog.set_level(logging.WARNING)
    try:
        with TestClient(app) as client:
            r = client.post("/api/token", data={"username": "admin", "password": password("admin")})
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            first = client.post("/api/imports", headers=headers,
                                files={"files": ("family_contacts-a.csv", _bulk("SA", ROWS), "text/csv")})
            second = client.post("/api/imports", headers=headers,
                                 files={"files": ("family_contacts-b.csv", _bulk("SB", 10), "text/csv")})
            assert first.status_code == second.status_code == 202
            assert running.wait(120), "the first upload's import never started"
            assert queue.get(first.json()["job_id"]).status == "running"
            assert not shutting.is_set()
    finally:
        release.set()
    job, dropped = queue.get(first.json()["job_id"]), queue.get(second.json()["job_id"])
    assert shutting.is_set() and job.ended is not None, "the shutdown did not wait for the import"
    assert job.status == "done" and job.report["tables"]["family_contacts"]["accepted"] == ROWS
    assert dropped.status == "failed" and dropped.status_code == 503 and not dropped.folder.exists()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    with pytest.raises(Denied) as refused:  # the closed queue takes no new job
        queue.submit("admin", "api", None, [("x.csv", b"")], lambda n: n)  # type: ignore[arg-type]
    assert refused.value.status == 503
    with open_store(db) as store:  # the first import whole, nothing of the second
        assert store.fetchall("SELECT count(*) FROM family_contacts WHERE contact_id LIKE 'SA-%'") \
            == [(ROWS,)]
        assert store.fetchall("SELECT count(*) FROM family_contacts WHERE contact_id LIKE 'SB-%'") \
            == [(0,)]
        assert store.fetchall("SELECT rows, inserted FROM import_log WHERE file LIKE "
                              "'%family_contacts-a.csv'") == [(ROWS, ROWS)]
        assert store.fetchall("SELECT count(*) FROM import_log WHERE file LIKE "
                              "'%family_contacts-b.csv'") == [(0,)]


def test_the_application_starts_again_after_a_shutdown(tmp_path: Path) -> None:
    """The queue closed by a shutdown takes jobs again when the application starts again."""
    db = copy_country(tmp_path / "country")
    app = create_app(db, Config(), today=lambda: CENSUS)
    for run in range(2):
        with TestClient(app) as client:
            r = client.post("/api/token", data={"username": "admin", "password": password("admin")})
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            sent = client.post("/api/imports", headers=headers, files={
                "files": (f"family_contacts-{run}.csv", _bulk(f"R{run}", 5), "text/csv")})
            assert sent.status_code == 202
            job = app.state.web.imports.wait(sent.json()["job_id"], 120)
            assert job.status == "done", job.as_json()
