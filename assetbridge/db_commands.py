"""`assetbridge db migrate|ping`: the schema and the connection."""

from __future__ import annotations

import typer

from assetbridge.console import console, fail
from graph.driver import create_driver, probe
from graph.migrations import apply_migrations
from graph.settings import get_neo4j_settings

app = typer.Typer(help="Schema migrations and connectivity.")


@app.command()
def migrate() -> None:
    """Apply uniqueness constraints and indexes; safe to run any number of times."""
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        status = probe(driver, settings)
        if not status.reachable:
            fail(f"{settings.uri}: {status.reason}")
        applied = apply_migrations(driver, settings.database)
    console.print(f"applied migrations {', '.join(applied)}" if applied else "schema is up to date")


@app.command()
def ping() -> None:
    """Check that Neo4j answers with the configured URI and credentials."""
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        status = probe(driver, settings)
    if not status.reachable:
        fail(f"{settings.uri}: {status.reason}")
    console.print(f"{settings.uri}: Neo4j {status.version} {status.edition}", highlight=False)
