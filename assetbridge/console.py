"""Shared terminal output for the CLI: readable errors, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from neo4j.exceptions import (
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from rich.console import Console

from graph.settings import Neo4jSettings

__all__ = ["console", "err_console", "fail", "load_errors"]

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def load_errors(settings: Neo4jSettings) -> Iterator[None]:
    """Turns the driver's errors during a load into one line that says what to do."""
    # The driver logs each retry as a warning with its own wording; the line below
    # says it once, after the retries have run out.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    try:
        yield
    except (ServiceUnavailable, SessionExpired, DatabaseUnavailable) as exc:
        reason = " ".join(str(exc).split())
        fail(
            f"Neo4j at {settings.uri} is not reachable ({reason}); gave up after retrying "
            f"for {settings.max_transaction_retry_time_s:.0f} s. Start it and run the same "
            "command again: the rows already loaded are kept, and a rerun completes the "
            "load without duplicating them."
        )
    except Neo4jError as exc:
        fail(f"Neo4j refused the load: {exc.code}")
    except DriverError as exc:
        fail(f"the connection to Neo4j at {settings.uri} failed ({type(exc).__name__}); run again")
