"""`assetbridge db migrate|ping|reset|prune`: the schema, the connection, a clean slate, and
forgetting expired credentials."""

from __future__ import annotations

import getpass
import ipaddress
from typing import Annotated
from urllib.parse import urlsplit

import typer

from api.auth import get_auth_settings
from assetbridge.console import console, fail
from graph.access import Caller, Role
from graph.crypto import open_key_store
from graph.crypto.keystore import KeyStoreError
from graph.driver import create_driver, probe
from graph.migrations import apply_migrations
from graph.services.housekeeping import IDEMPOTENCY_KEEP_DAYS, prune_expired
from graph.services.reset import count_resettable_nodes, reset_graph
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


def is_local(uri: str) -> bool:
    """Whether ``uri`` names a server on this machine (loopback or ``localhost``)."""
    host = urlsplit(uri).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Allow a database that is not on this machine.")
    ] = False,
) -> None:
    """Empty the graph: every node of the place goes, with its people's keys. The schema,
    the audit log and credentials stay. Asks first; refuses a remote database unless --force."""
    settings = get_neo4j_settings()
    if not is_local(settings.uri) and not force:
        fail(f"{settings.uri} is not on this machine; pass --force to empty it all the same")
    with create_driver(settings) as driver:
        status = probe(driver, settings)
        if not status.reachable:
            fail(f"{settings.uri}: {status.reason}")
        apply_migrations(driver, settings.database)
        nodes = count_resettable_nodes(driver, settings.database)
        question = f"Delete all {nodes} nodes of {settings.uri} ({settings.database})?"
        if not yes and not typer.confirm(question, default=False):
            fail("nothing deleted")
        try:
            keys = open_key_store()
        except KeyStoreError as exc:
            fail(str(exc))
        operator = Caller(subject=f"cli:{getpass.getuser()}", role=Role.ADMIN, via="cli")
        deleted = reset_graph(driver, settings.database, operator, forget_people=keys.destroy)
    console.print(f"deleted {deleted} nodes; schema, audit log and credentials kept")


@app.command()
def prune(
    idempotency_days: Annotated[
        int, typer.Option(min=1, help="Keep idempotency keys this many days.")
    ] = IDEMPOTENCY_KEEP_DAYS,
) -> None:
    """Forget revocations of tokens that have expired anyway (older than the longest a
    token lives) and idempotency keys older than --idempotency-days. Audited; run it daily."""
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        status = probe(driver, settings)
        if not status.reachable:
            fail(f"{settings.uri}: {status.reason}")
        operator = Caller(subject=f"cli:{getpass.getuser()}", role=Role.ADMIN, via="cli")
        pruned = prune_expired(
            driver, settings.database, operator,
            max_token_lifetime_s=get_auth_settings().max_token_lifetime_s,
            idempotency_keep_days=idempotency_days,
        )  # fmt: skip
    console.print(
        f"pruned {pruned.revoked_tokens} token and {pruned.revoked_subjects} subject "
        f"revocation(s), {pruned.idempotency_keys} idempotency key(s)"
    )
