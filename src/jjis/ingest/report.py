"""What an import did: accepted, updated and rejected rows per table, every error, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jjis.errors import Finding, RowError


@dataclass
class FileReport:
    file: str
    table: str | None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    blank: int = 0  # blank lines (or sheet rows) passed over
    refused: bool = False
    errors: list[RowError] = field(default_factory=list)


@dataclass
class TableReport:
    accepted: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    blank: int = 0
    errors: list[tuple[str, RowError]] = field(default_factory=list)  # (file, error)

    def add(self, f: FileReport) -> None:
        self.inserted += f.inserted
        self.updated += f.updated
        self.accepted += f.inserted + f.updated
        self.rejected += f.rejected
        self.blank += f.blank
        self.errors += [(f.file, e) for e in f.errors]


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said once, e.g. a key check just recorded

    @property
    def tables(self) -> dict[str, TableReport]:
        out: dict[str, TableReport] = {}
        for f in self.files:
            out.setdefault(f.table or "(unknown)", TableReport()).add(f)
        return out

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def exit_code(self) -> int:
        """0 when everything was accepted, 1 when rows or files were rejected."""
        return 1 if self.rejected or any(f.refused for f in self.files) else 0

    def as_json(self) -> dict[str, Any]:
        tables = {
            name: {
                "accepted": t.accepted,
                "inserted": t.inserted,
                "updated": t.updated,
                "rejected": t.rejected,
                "blank": t.blank,
                "errors": [{**e.as_dict(), "file": file} for file, e in t.errors],
            }
            for name, t in self.tables.items()
        }
        findings = [
            {"type": f.type, "table": f.table, "message": f.message, **f.detail}
            for f in self.findings
        ]
        files = [{"file": f.file, "table": f.table, "lines": f.rows, "accepted": f.inserted +
                  f.updated, "rejected": f.rejected, "blank": f.blank, "refused": f.refused}
                 for f in self.files]
        out: dict[str, Any] = {"tables": tables, "files": files, "findings": findings}
        if self.notes:
            out["notes"] = list(self.notes)
        return out
