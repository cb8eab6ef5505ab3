"""Registers as agencies hand them over, written to a folder and imported (through the whole
import) into the `store` fixture's database, DuckDB or PostgreSQL."""

from __future__ import annotations

import csv
import secrets
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jjis.api import import_registers, run_indicators
from jjis.ingest.report import ImportReport
from jjis.settings import Config
from jjis.store import Store

AREAS = [["area_id", "name", "parent_id", "level"],
         ["XA", "Arcadia", "", "country"],
         ["XA-N", "North", "XA", "region"],
         ["XA-S", "South", "XA", "region"]]
FACILITIES = [["facility_id", "name", "area_id", "kind", "holds_adults"],
              ["AP1", "City jail", "XA-N", "adult_prison", "yes"],
              ["RC1", "Remand South", "XA-S", "remand_centre", "no"],
              ["PS1", "Police North", "XA-N", "police_station", ""]]


def write(folder: Path, name: str, rows: list[list[Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pseudonymisation key for the fixture's database (which has no key file)."""
    monkeypatch.setenv("JJIS_SECRET", secrets.token_hex(32))


def import_folder(store: Store, folder: Path, config: Config | None = None,
                  today: date = date(2026, 6, 30)) -> ImportReport:
    return import_registers(store, [folder], config or Config(), today=today)


def figures(store: Store, census: str, config: Config | None = None) -> dict[tuple[int, str, str], Any]:
    """Totals (no breakdown) by (indicator, statistic, area)."""
    run = run_indicators(store, config or Config(), date.fromisoformat(census), record=False)
    return {(f.indicator, f.statistic, f.area): f for f in run.figures if not f.breakdown}
