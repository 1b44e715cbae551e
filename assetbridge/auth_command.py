"""`assetbridge auth token|key|revoke` and `assetbridge audit export`: credentials for
local use, and the audit log out to a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.auth import get_auth_settings, issue_token
from assetbridge.console import console, fail
from graph.access import Role
from graph.driver import create_driver
from graph.migrations import apply_migrations
from graph.services.api_keys import issue_api_key, revoke_api_key
from graph.services.audit import audit_events
from graph.settings import get_neo4j_settings

auth_app = typer.Typer(help="Issue tokens and API keys for local use.")
audit_app = typer.Typer(help="The append-only audit log.")

RoleOption = Annotated[Role, typer.Option(help="place_leader, analyst, caseworker, loader, admin")]
OrgOption = Annotated[str | None, typer.Option("--org", help="Organisation id (caseworkers)")]


@auth_app.command()
def token(
    role: RoleOption,
    subject: Annotated[str, typer.Option(help="Who the token is for")] = "local-user",
    org: OrgOption = None,
    ttl_hours: Annotated[float, typer.Option(min=0.01, max=24 * 30)] = 8,
) -> None:
    """Print a signed bearer token (send as `Authorization: Bearer <token>`)."""
    try:
        value = issue_token(get_auth_settings(), subject, role, org, int(ttl_hours * 3600))
    except ValueError as exc:
        fail(str(exc))
    typer.echo(value)


@auth_app.command()
def key(
    role: RoleOption,
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'nightly loader'")],
    org: OrgOption = None,
) -> None:
    """Create an API key (send as `X-API-Key`); it is shown once and stored only as a hash."""
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        apply_migrations(driver, settings.database)
        info, plain = issue_api_key(driver, settings.database, name, role, org)
    console.print(f"key id {info.id} ({info.role}); the key, shown only now:", highlight=False)
    typer.echo(plain)


@auth_app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (not the key)")]) -> None:
    """Revoke an API key by its id."""
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        if not revoke_api_key(driver, settings.database, key_id):
            fail(f"no API key with id {key_id!r}")
    console.print(f"revoked {key_id}")


@audit_app.command("export")
def export(out: Annotated[Path, typer.Option(help="Where to write JSON Lines")]) -> None:
    """Write every audit event, oldest first, one JSON object a line."""
    settings = get_neo4j_settings()
    count = 0
    with create_driver(settings) as driver, out.open("w", encoding="utf-8") as handle:
        for event in audit_events(driver, settings.database):
            handle.write(json.dumps(event.model_dump(mode="json")) + "\n")
            count += 1
    console.print(f"wrote {count} events to {out}", highlight=False)
