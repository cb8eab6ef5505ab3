"""Uploads imported off the request path: a request stores the files and answers at once with a
job; one worker thread imports the jobs one after another (imports number themselves from the
import log, so never two at a time), and the uploader polls the job's page or
`GET /api/imports/{job_id}`. Meanwhile the server's other threads keep answering: a hostile
file (a workbook of a million empty rows, many rows sharing one id) takes the worker's time,
not the pages'.

The remit check (every row's facility and area inside the uploader's remit) runs in the worker
too, since it reads the files: a file outside the remit is not imported and the job names it
with the reason (`refused_files`); the other files are imported. When every file is outside the
remit the job ends as `refused` (status 403). Jobs are kept in memory for `KEEP_SECONDS` after they end (a
server restart forgets them; the import log and the audit log keep what was imported).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jjis.api import import_registers, read_sources
from jjis.ingest.sources import Source
from jjis.reports.i18n import N_
from jjis.web.access import Denied, Scope

# Imports number themselves from the import log: one at a time, whether they come from this
# worker or from web entry (entry.py).
one_import = threading.Lock()
log = logging.getLogger("jjis.web")
KEEP_SECONDS = 24 * 3600
MAX_WAITING = 20  # jobs queued at once; more are refused with 503 until the worker catches up
SHUTDOWN_SECONDS = 60.0  # how long a shutdown waits for the running import


@dataclass
class Job:
    job_id: str
    username: str
    channel: str
    files: list[str]
    folder: Path
    scope: Scope
    status: str = "queued"  # queued, running, done, refused, failed
    submitted_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    finished_at: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    status_code: int | None = None
    ended: float | None = None
    refused_files: list[dict[str, str]] = field(default_factory=list)  # file, reason

    def as_json(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "status": self.status, "files": self.files,
                "submitted_at": self.submitted_at, "finished_at": self.finished_at,
                "report": self.report, "error": self.error, "status_code": self.status_code,
                "refused_files": self.refused_files}


class ImportQueue:
    """One worker thread, started with the first job. `run(job)` does the work of one job."""

    def __init__(self, run: Callable[[Job], None]) -> None:
        self._run = run
        self._jobs: dict[str, Job] = {}
        self._waiting: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._closed = False

    def open(self) -> None:
        """Take jobs again (the application starts, or starts again after a shutdown)."""
        with self._lock:
            self._closed = False

    def close(self, timeout: float = SHUTDOWN_SECONDS) -> bool:
        """Take no new job, drop the queued ones and wait up to `timeout` seconds for the
        running one: True when no job runs any more."""
        with self._lock:
            self._closed = True
            worker, self._worker = self._worker, None
        if worker is None:
            return True
        self._waiting.put(None)  # the worker ends once it reaches this
        worker.join(timeout)
        return not worker.is_alive()

    def submit(self, username: str, channel: str, scope: Scope,
               files: list[tuple[str, bytes]], safe_name: Callable[[str], str]) -> Job:
        if self._closed:
            raise Denied(503, N_("the server is shutting down: send this upload again in a few "
                         "minutes"))
        if self._waiting.qsize() >= MAX_WAITING:
            raise Denied(503, N_("too many uploads are waiting to be imported: send this one again "
                         "in a few minutes"))
        folder = Path(tempfile.mkdtemp(prefix="jjis-upload-"))
        names: list[str] = []
        try:
            for name, data in files:
                base = safe_name(name)
                if base in names:
                    raise Denied(422, N_("two files are named {name}; send them one at a time"), name=base)
                (folder / base).write_bytes(data)
                names.append(base)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = Job(secrets.token_urlsafe(12), username, channel, names, folder, scope)
        with self._lock:
            if self._closed:  # closed while the files were written
                shutil.rmtree(folder, ignore_errors=True)
                raise Denied(503, N_("the server is shutting down: send this upload again in a "
                             "few minutes"))
            self._forget_old()
            self._jobs[job.job_id] = job
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="jjis-import", daemon=True)
                self._worker.start()
            self._waiting.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float) -> Job | None:
        """The job once it has ended, or as it is after `timeout` seconds."""
        end = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job is None or job.ended is not None or time.monotonic() >= end:
                return job
            time.sleep(0.05)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for jid in [j for j, job in self._jobs.items()
                    if job.ended is not None and now - job.ended > KEEP_SECONDS]:
            del self._jobs[jid]

    def _work(self) -> None:
        while True:
            job = self._waiting.get()
            if job is None:  # the queue was closed
                return
            if self._closed:
                self._drop(job)
                continue
            job.status = "running"
            try:
                self._run(job)
            except Denied as exc:
                job.status, job.error, job.status_code = "refused", exc.message, exc.status
            except Exception as exc:  # the job fails, the worker goes on
                job.status, job.status_code = "failed", 500
                job.error = (f"the import stopped unexpectedly ({type(exc).__name__}); the error "
                             "is in the server's log")
                log.error("import job failed: %s", type(exc).__name__)
            else:
                job.status, job.status_code = "done", 200
            finally:
                job.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
                job.ended = time.monotonic()
                with contextlib.suppress(OSError):
                    shutil.rmtree(job.folder)

    def _drop(self, job: Job) -> None:
        """A queued job the shutdown leaves unimported."""
        job.status, job.status_code = "failed", 503
        job.error = "the server shut down before this upload was imported; nothing was imported"
        job.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
        job.ended = time.monotonic()
        with contextlib.suppress(OSError):
            shutil.rmtree(job.folder)


def import_job(store_of: Callable[[], Any], config: Any, changed: Callable[[], None],
               remit_refusals: Callable[[Scope, list[Source]], dict[str, str]],
               audit: Callable[[str, str, str, dict[str, Any]], object]) -> Callable[[Job], None]:
    """The work of one job: the remit check, then `import_registers` of the files inside the
    remit (both audited). Files outside it are refused, each with its reason; when every file
    is refused, the job is (403)."""

    def run(job: Job) -> None:
        paths = [job.folder / n for n in job.files]
        sources = read_sources([str(p) for p in paths], config)  # each workbook parsed once
        refused = remit_refusals(job.scope, sources)
        if refused:
            job.refused_files = [{"file": f, "reason": r} for f, r in refused.items()]
            audit(job.username, "upload_refused", ",".join(refused)[:200], {
                "channel": job.channel, "status": 403,
                "reason": " ".join(refused.values())[:300]})
        paths = [p for p in paths if p.name not in refused]
        if not paths:
            raise Denied(403, " ".join(refused.values()) + " Nothing was imported.")
        sources = [s for s in sources if s.path.name not in refused]
        target = ",".join(p.name for p in paths)[:200]
        with one_import:
            report = import_registers(store_of(), [str(p) for p in paths], config,
                                      today=date.today(), sources=sources)
        changed()
        result = report.as_json()
        result["exit_code"] = report.exit_code
        job.report = result
        audit(job.username, "upload", target, {
            "channel": job.channel,
            "tables": {t: {"accepted": v["accepted"], "rejected": v["rejected"]}
                       for t, v in result["tables"].items()},
        })

    return run
