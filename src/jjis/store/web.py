"""Queries of the web application's own tables (declared in ddl.py) that the store's verbs do
not say: the one-time code's step of `web_users`, the runs the application made (`web_runs`).
Sessions and tokens are store/sessions.py's, the audit log store/audit.py's."""

from __future__ import annotations

from datetime import date
from typing import Any

from jjis.store.base import Store


def advance_totp_step(store: Store, username: str, step: int) -> None:
    """Record `step` as the user's last one-time code used, only forward (a step already used,
    or an earlier one, leaves the row as it is)."""
    store.execute("UPDATE web_users SET totp_step = ? WHERE username = ? AND "
                  "(totp_step IS NULL OR totp_step < ?)", [step, username, step])


def newest_web_run(store: Store, census_date: date, by_key: str) -> tuple[str, int] | None:
    """(run_id, data_version) of the newest run the application made for the census date and
    breakdown key (the highest data version, then the latest made), or None."""
    rows = store.fetchall(
        "SELECT run_id, data_version FROM web_runs WHERE census_date = ? AND by_key = ? "
        "ORDER BY data_version DESC, created_at DESC LIMIT 1", [census_date, by_key])
    return (str(rows[0][0]), int(rows[0][1])) if rows else None


def web_run_census_dates(store: Store) -> list[Any]:
    """The census dates of the runs the application made, newest first."""
    return [r[0] for r in store.fetchall(
        "SELECT DISTINCT census_date FROM web_runs ORDER BY census_date DESC")]
