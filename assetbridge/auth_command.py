"""`assetbridge auth token|key|revoke|revoke-token|revoke-subject` and `assetbridge audit
export`: credentials for local use, their revocation, and the audit log out to a file."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError

from api.auth import AuthError, get_auth_settings, issue_token, read_token_id
from assetbridge.console import console, fail
from graph.access import Caller, Role, check_place_ids
from graph.driver import create_driver
from graph.migrations import apply_migrations
from graph.private_files import open_private
from graph.services.api_keys import issue_api_key, revoke_api_key
from graph.services.audit import audit_events
from graph.services.revocations import revoke_subject, revoke_token
from graph.settings import get_neo4j_settings

auth_app = typer.Typer(help="Issue tokens and API keys for local use.")
audit_app = typer.Typer(help="The append-only audit log.")

RoleOption = Annotated[Role, typer.Option(help="place_leader, analyst, caseworker, loader, admin")]
OrgOption = Annotated[str | None, typer.Option("--org", help="Organisation id (caseworkers)")]
PlaceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--place",
        help="A place the holder may see (repeat for more); default "
        "ASSETBRIDGE_DEFAULT_PLACE_ID, or every place for admin",
    ),
]


def _places(given: list[str] | None) -> frozenset[str] | None:
    """The ``--place`` ids, checked here so that a bad one is refused naming the option."""
    if not given:
        return None
    try:
        return check_place_ids(given, "--place")
    except ValueError as exc:
        fail(str(exc))


def _operator() -> Caller:
    # Whoever runs the CLI holds the database's password: an administrator, audited by login.
    return Caller(subject=f"cli:{getpass.getuser()}", role=Role.ADMIN, via="cli")


@contextmanager
def _credentials_store() -> Iterator[Driver]:
    """A migrated driver; Neo4j's errors become one readable line."""
    settings = get_neo4j_settings()
    try:
        with create_driver(settings) as driver:
            apply_migrations(driver, settings.database)
            yield driver
    except (Neo4jError, DriverError) as exc:
        fail(f"Neo4j at {settings.uri} did not take the change ({type(exc).__name__}); run again")


@auth_app.command()
def token(
    role: RoleOption,
    subject: Annotated[str, typer.Option(help="Who the token is for")] = "local-user",
    org: OrgOption = None,
    ttl_hours: Annotated[
        float, typer.Option(min=0.01, help="Lifetime; at most the maximum (8 hours by default)")
    ] = 8,
    place: PlaceOption = None,
) -> None:
    """Print a signed bearer token (send as `Authorization: Bearer <token>`)."""
    places = _places(place)
    try:
        value = issue_token(
            get_auth_settings(), subject, role, org, round(ttl_hours * 3600), places=places
        )
    except ValueError as exc:
        fail(str(exc))
    typer.echo(value)


@auth_app.command()
def key(
    role: RoleOption,
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'nightly loader'")],
    org: OrgOption = None,
    place: PlaceOption = None,
) -> None:
    """Create an API key (send as `X-API-Key`); it is shown once and stored only as a hash."""
    if role is Role.CASEWORKER and not org:
        fail("a caseworker's key needs the caseworker's organisation (--org)")
    places = _places(place)
    database = get_neo4j_settings().database
    with _credentials_store() as driver:
        info, plain = issue_api_key(
            driver, database, name, role, org, caller=_operator(), places=places
        )
    seen = ", ".join(info.places) if info.places is not None else "every place"
    console.print(
        f"key id {info.id} ({info.role}; {seen}); the key, shown only now:", highlight=False
    )
    typer.echo(plain)


@auth_app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (not the key)")]) -> None:
    """Revoke an API key by its id."""
    database = get_neo4j_settings().database
    with _credentials_store() as driver:
        revoked = revoke_api_key(driver, database, key_id, caller=_operator())
    if not revoked:
        fail(f"no API key with id {key_id!r}")
    console.print(f"revoked API key {key_id}", highlight=False)


@auth_app.command("revoke-token")
def revoke_token_command(
    token_id: Annotated[
        str, typer.Argument(metavar="JTI", help="The token's id (its jti claim), or the token")
    ],
) -> None:
    """Revoke one bearer token: refused from the next request on."""
    jti = token_id
    if token_id.count(".") == 2:
        # A whole token was given: take its id, once its signature shows it is ours.
        try:
            jti = read_token_id(get_auth_settings(), token_id)
        except AuthError as exc:
            fail(str(exc))
    database = get_neo4j_settings().database
    with _credentials_store() as driver:
        revoke_token(driver, database, _operator(), jti)
    console.print(f"revoked token {jti}", highlight=False)


@auth_app.command("revoke-subject")
def revoke_subject_command(
    subject: Annotated[str, typer.Argument(help="The subject (sub claim) whose tokens to revoke")],
) -> None:
    """Revoke every token issued to SUBJECT so far; tokens issued later are accepted."""
    if not subject.strip():
        fail("SUBJECT is empty")
    database = get_neo4j_settings().database
    with _credentials_store() as driver:
        revoke_subject(driver, database, _operator(), subject)
    console.print(
        f"revoked every token of {subject!r} issued up to now "
        "(tokens issued in the same second included)",
        highlight=False,
    )


@audit_app.command("export")
def export(out: Annotated[Path, typer.Option(help="Where to write JSON Lines")]) -> None:
    """Write every audit event, oldest first, one JSON object a line."""
    settings = get_neo4j_settings()
    count = 0
    with create_driver(settings) as driver, open_private(out) as handle:
        for event in audit_events(driver, settings.database):
            handle.write(json.dumps(event.model_dump(mode="json")) + "\n")
            count += 1
    console.print(f"wrote {count} events to {out}", highlight=False)
