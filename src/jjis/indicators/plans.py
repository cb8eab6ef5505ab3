"""The plan cache: the compiled SQL of a run's statements, kept between runs.

Building the Ibis expressions of the fifteen indicators and compiling them to SQL costs seconds;
the SQL depends only on what the plan key holds, so it is compiled once per key and kept (the
statements and how they run: indicators/backend.py). The key is a SHA-256 of everything that can
change the SQL:

- the plan format, jjis's version and the text of the code that builds the SQL (every module of
  jjis.indicators, jjis.store and jjis.schema, settings.py, and the module of every registered
  query, such as an extra catalogue's), so a changed query is never served from an old plan;
- the catalogue's version (a hash of its text, the extra catalogue's included) and every setting;
- the engine and its SQL dialect, the Ibis and sqlglot versions, the store's schema version;
- the breakdowns (`--by`, after their margins are added) and the census date: the dates derived
  from it enter the SQL as literals, so one plan serves one census date (the dates are the query
  modules' own; parametrising them would change their SQL).

The area (`--area`) is not in it: the computed areas reach the SQL as a temporary table made from
the areas register in each run, never as text, so one plan serves every area and any change of
the areas register.

Where: the folder `$JJIS_PLAN_CACHE`, else `$XDG_CACHE_HOME/jjis/plans`, else
`~/.cache/jjis/plans`; one JSON file per key. `JJIS_PLAN_CACHE=off` keeps no plans. A file is
written to a temporary name beside it and renamed into place, so a reader (another process)
sees a whole plan or none; two processes writing the same key write the same statements. A
file that cannot be read is a miss. Nothing in a plan is data: it can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jjis.settings import Config
from jjis.store import Store

FORMAT = 1  # the layout of a plan file
OFF = "off"


class Cache:
    """A folder of plans, one JSON file per key."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, key: str) -> dict[str, Any]:
        """The statements kept for `key` (empty when none are, or the file cannot be read)."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("key") != key:
            return {}
        statements = data.get("statements")
        return statements if isinstance(statements, dict) else {}

    def save(self, key: str, statements: dict[str, Any]) -> None:
        """Keep the statements for `key`, atomically; a cache that cannot be written is left
        as it is (the run has its figures; the next one compiles again)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump({"key": key, "format": FORMAT, "statements": statements}, out,
                              default=str)
                os.replace(tmp, self.path(key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return


def cache_folder() -> Path | None:
    """The plan cache's folder (None: `JJIS_PLAN_CACHE=off`)."""
    chosen = os.environ.get("JJIS_PLAN_CACHE", "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "jjis" / "plans"


def default_cache() -> Cache | None:
    folder = cache_folder()
    return None if folder is None else Cache(folder)


def _files() -> list[Path]:
    import jjis
    import jjis.settings

    root = Path(jjis.__file__).parent
    files = [Path(jjis.settings.__file__)]
    for package in ("indicators", "store", "schema"):
        files += sorted((root / package).glob("*.py"))
        files += sorted((root / package).glob("*.toml"))
    return files


@lru_cache(maxsize=1)
def _package_source() -> str:
    """A hash of the text of jjis's code that builds the SQL (read once per process)."""
    h = hashlib.sha256()
    for path in _files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _query_modules() -> str:
    """A hash of the text of every module a registered query lives in (an extra catalogue's
    own file among them)."""
    from jjis.indicators.registry import QUERIES

    h = hashlib.sha256()
    for name in sorted({fn.__module__ for fn in QUERIES.values()}):
        file = getattr(sys.modules.get(name), "__file__", None)
        h.update(name.encode())
        if file:
            try:
                h.update(Path(file).read_bytes())
            except OSError:
                h.update(b"?")
    return h.hexdigest()


def _versions() -> dict[str, str]:
    """The versions that change the SQL: read from the installed distributions' metadata, so
    that a run whose plan is kept does not import Ibis to ask it."""
    from importlib.metadata import version

    import jjis
    from jjis.store.versions import SCHEMA_VERSION

    return {"jjis": str(getattr(jjis, "__version__", "")), "ibis": version("ibis-framework"),
            "sqlglot": version("sqlglot"), "schema": str(SCHEMA_VERSION)}


def plan_key(store: Store, config: Config, catalogue: Any, census_date: date,
             by: Sequence[str]) -> str:
    """The key of the plan of a run (see the module's text for what it holds)."""
    from jjis.indicators.backend import dialect_of

    parts = {
        "format": FORMAT, **_versions(), "source": _package_source(),
        "query_modules": _query_modules(), "catalogue": catalogue.version,
        "settings": config.as_dict(), "engine": store.engine, "dialect": dialect_of(store.engine),
        "by": list(by), "census_date": census_date.isoformat(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
