"""What every command shares: the --db and --config options, and one error renderer.

A command that reads or writes a database or the settings declares both, with the type aliases
below, so the options are spelled, defaulted and documented the same everywhere:

    def my_command(..., db: Db = None, config: ConfigFile = None) -> None:
        store = open_store(resolve_db(db)); cfg = resolve_config(config)

The README's table of which command takes which option is generated from the commands
themselves (`jjis docs`; cli/reference.py), so it cannot drift.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from jjis.errors import JjisError
from jjis.settings import Config, load_config
from jjis.store.base import masked

DEFAULT_DB = "./jjis.duckdb"
DEFAULT_CONFIG = "./jjis.toml"

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # a path in a message is never cut

DB_HELP = ("DuckDB file, postgresql:// URL or spark://local?warehouse=DIR "
           "[default: ./jjis.duckdb or $JJIS_DB]")
CONFIG_HELP = "TOML settings file [default: ./jjis.toml]"
# The shared options, as type aliases: `db: Db = None, config: ConfigFile = None`.
Db = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
ConfigFile = Annotated[str | None, typer.Option("--config", help=CONFIG_HELP, show_default=False)]
# The same as default values, for commands written before the aliases (`db: Db = None`).
DbOption = typer.Option(None, "--db", help=DB_HELP)
ConfigOption = typer.Option(None, "--config", help=CONFIG_HELP)
VerboseOption = typer.Option(False, "--verbose", help="Show the traceback of unexpected errors.")


def n_(singular: str, plural: str, count: int, **kw: Any) -> str:
    """A message with a count, in the right form ("1 error", "2 errors"), from the shared
    gettext catalogue (jjis/reports/locale); {n} is the count written with thousands commas."""
    from jjis.reports.i18n import ngettext

    return ngettext(singular, plural, count, **kw)


Step = Callable[[str, int, int], None]  # (what is being done, steps done, steps in all)


@contextmanager
def progress_bar(what: str, *, show: bool = True) -> Iterator[Step]:
    """A Rich progress bar on stderr for long work; yields `step(description, done, total)`
    (the `progress` callback of `write_report`; total 0 shows a bar that only says it is
    working). Nothing is shown when `show` is false or stderr is not a terminal, so a pipe or
    a log file never gets the bar's redraws. The bar disappears when the work ends."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True,
                  disable=not (show and err_console.is_terminal)) as bar:
        task = bar.add_task(what, total=None)

        def step(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total or None)

        yield step


def resolve_db(db: str | None) -> str:
    return db or os.environ.get("JJIS_DB") or DEFAULT_DB


def resolve_config(config: str | None) -> Config:
    if config is None:
        return load_config(DEFAULT_CONFIG, explicit=False)
    return load_config(config, explicit=True)


def parse_date(text: str, option: str) -> date:
    """A date option written YYYY-MM-DD, or one plain sentence saying how to write it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise JjisError(f"{option} has {text!r}, which is not a date written YYYY-MM-DD; "
                        f"example: {option} 2025-12-31") from None


F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Render JjisError as `error: ...` and exit 2; a traceback only with --verbose."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JjisError as exc:
            err_console.print(f"[red]error:[/red] {escape(masked(str(exc)))}", highlight=False)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if "--verbose" in sys.argv:
                raise
            err_console.print(
                f"[red]error:[/red] unexpected {type(exc).__name__}: {escape(masked(str(exc)))}. "
                "Run again with "
                "--verbose for the details and report them.",
                highlight=False,
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]
