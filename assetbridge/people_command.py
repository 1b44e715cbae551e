"""`assetbridge people consent|withdraw|erase|export|purge` and `assetbridge keys rotate`:
a person's rights from the command line, acting as an administrator (the operator)."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from assetbridge.console import console, fail, load_errors
from graph.access import Caller, Role
from graph.crypto import get_key_settings, open_key_store
from graph.crypto.keystore import KeyStoreError, decode_master
from graph.driver import create_driver
from graph.errors import GraphError
from graph.migrations import apply_migrations
from graph.private_files import open_private
from graph.services import consent, erasure, person_export
from graph.settings import get_neo4j_settings

people_app = typer.Typer(help="A person's rights: consent, erasure, access export, retention.")
keys_app = typer.Typer(help="The key store of per-person keys.")

SOURCE = "cli"
T = TypeVar("T")

PersonArg = Annotated[str, typer.Argument(help="The person's id, e.g. p-000046")]
AtOption = Annotated[
    datetime | None,
    typer.Option(help="When it took effect (default now; UTC unless a zone is given)"),
]


def _operator() -> Caller:
    return Caller(subject=f"cli:{getpass.getuser()}", role=Role.ADMIN, via="cli")


@contextmanager
def _graph() -> Iterator[Callable[[Callable[..., T]], Callable[..., T]]]:
    """Yields ``call(service)(*args)`` with the driver and database filled in, turning
    the graph's and the key store's errors into one line."""
    settings = get_neo4j_settings()
    with load_errors(settings), create_driver(settings) as driver:
        apply_migrations(driver, settings.database)

        def bind(service: Callable[..., T]) -> Callable[..., T]:
            def call(*args: object, **kwargs: object) -> T:
                try:
                    return service(driver, settings.database, *args, **kwargs)
                except (GraphError, KeyStoreError) as error:
                    fail(str(error))

            return call

        yield bind


def _person(value: str) -> str:
    return value.removeprefix("Person:")


@people_app.command("consent")
def record(
    person_id: PersonArg,
    scope: Annotated[
        list[str],
        typer.Option(
            "--scope",
            help="A scope, e.g. matching or share:org-a; repeat. The scopes given replace "
            "the person's current scopes whole",
        ),
    ],
    evidence: Annotated[
        str,
        typer.Option(
            help="What the consent rests on: the signed form's reference or a note of a "
            "verbal consent (no personal values)"
        ),
    ],
    at: AtOption = None,
) -> None:
    """Record a person's consent with these scopes (a grant, or a change of scope)."""
    with _graph() as call:
        state = call(consent.record_consent)(
            _operator(), _person(person_id), scope, evidence=evidence, at=at, source=SOURCE
        )
    console.print(f"consent of {state.person_id}: {', '.join(state.scopes)}", highlight=False)


@people_app.command("withdraw")
def withdraw(person_id: PersonArg, at: AtOption = None) -> None:
    """Withdraw a person's consent; their personal record is removed at once."""
    with _graph() as call:
        state = call(consent.withdraw_consent)(
            _operator(), _person(person_id), at=at, source=SOURCE
        )
    console.print(f"consent of {state.person_id} withdrawn; personal record removed")


@people_app.command("erase")
def erase(person_id: PersonArg) -> None:
    """Erase a person's personal data: the record, their key, and exports written of them."""
    with _graph() as call:
        done = call(erasure.erase_person)(_operator(), _person(person_id), source=SOURCE)
    console.print(
        f"erased {done.person_id}: key {'destroyed' if done.key_destroyed else 'already gone'}, "
        f"{len(done.files_removed)} export file(s) removed",
        highlight=False,
    )


@people_app.command("export")
def export(
    person_id: PersonArg,
    out: Annotated[
        Path | None, typer.Option(help="Write here (erasure deletes it) instead of stdout")
    ] = None,
) -> None:
    """Everything held about a person, as JSON."""
    ident = _person(person_id)
    with _graph() as call:
        found = call(person_export.export_person)(_operator(), ident)
    text = person_export.export_json(found, indent=2)
    if out is None:
        typer.echo(text)
        return
    try:
        with open_private(out) as handle:
            handle.write(text + "\n")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    open_key_store().record_file(ident, out)
    console.print(f"wrote {out} (it holds personal values; erasure deletes it)", highlight=False)


@people_app.command("purge")
def purge(
    inactive_months: Annotated[int, typer.Option(min=1, help="Erase after this many months")],
    dry_run: Annotated[bool, typer.Option(help="List who would be erased; change nothing")] = False,
) -> None:
    """Erase the personal records of people with no activity for N months (a stage
    change, a consent event or a load touching them)."""
    with _graph() as call:
        if dry_run:
            found = call(erasure.inactive_people)(inactive_months)
            for person in found:
                last = person.last_active.date().isoformat() if person.last_active else "never"
                typer.echo(f"{person.person_id}\tlast active {last}")
            console.print(f"{len(found)} would be erased (dry run)", highlight=False)
            return
        done = call(erasure.purge_inactive)(_operator(), inactive_months)
    console.print(f"erased {len(done)} inactive people", highlight=False)


@keys_app.command("rotate")
def rotate() -> None:
    """Re-wrap every person's key made under ASSETBRIDGE_PREVIOUS_MASTER_KEY with
    ASSETBRIDGE_MASTER_KEY."""
    settings = get_key_settings()
    if settings.previous_master_key is None:
        fail("set ASSETBRIDGE_PREVIOUS_MASTER_KEY to the old master key, and the new one as "
             "ASSETBRIDGE_MASTER_KEY")  # fmt: skip
    try:
        previous = decode_master(
            settings.previous_master_key.get_secret_value(), "ASSETBRIDGE_PREVIOUS_MASTER_KEY"
        )
        count = open_key_store(settings).rotate(previous)
    except KeyStoreError as error:
        fail(str(error))
    console.print(f"re-wrapped {count} person key(s) with the new master key", highlight=False)
