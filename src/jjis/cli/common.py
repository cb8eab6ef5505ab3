"""What every command shares: the --db and --config options, and one error renderer."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import typer
from rich.console import Console

from jjis.errors import JjisError
from jjis.settings import Config, load_config

DEFAULT_DB = "./jjis.duckdb"
DEFAULT_CONFIG = "./jjis.toml"

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # a path in a message is never cut

DbOption = typer.Option(
    None, "--db", help="DuckDB file or postgresql:// URL [default: ./jjis.duckdb or $JJIS_DB]"
)
ConfigOption = typer.Option(None, "--config", help="TOML settings file [default: ./jjis.toml]")
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
            err_console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if "--verbose" in sys.argv:
                raise
            err_console.print(
                f"[red]error:[/red] unexpected {type(exc).__name__}: {exc}. Run again with "
                "--verbose for the details and report them.",
                highlight=False,
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]
