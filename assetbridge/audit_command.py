"""`assetbridge audit verify`: check the audit log's hash chain end to end, and against
the witness the last check kept outside the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from neo4j.exceptions import DriverError, Neo4jError

from assetbridge.console import console, fail
from graph.crypto.keystore import KeySettings
from graph.driver import create_driver
from graph.services.audit_chain import verify_with_witness
from graph.services.audit_witness import WitnessError
from graph.settings import get_neo4j_settings

EXIT_BROKEN = 1


def verify(
    witness: Annotated[
        Path | None,
        typer.Option(
            help="The witness file (default ASSETBRIDGE_AUDIT_WITNESS_PATH, or beside the "
            "key store); keep a copy elsewhere too"
        ),
    ] = None,
    reset_witness: Annotated[
        bool,
        typer.Option(
            "--reset-witness",
            help="Forget the witness held for this database and keep the chain as it is "
            "now (after restoring a backup, which shortens the log)",
        ),
    ] = False,
) -> None:
    """Walk the audit log's hash chain, oldest first, and compare it with the witness.

    Exit 0 with "N events, chain intact", having kept the newest event as the witness
    for next time; 1 naming the first changed, missing or reordered event, the newest
    events removed (the change journal or the witness still knows them), or when Neo4j
    cannot be reached.
    """
    settings = get_neo4j_settings()
    path = witness or KeySettings().witness_path
    try:
        with create_driver(settings) as driver:
            report = verify_with_witness(driver, settings.database, path, reset=reset_witness)
    except (DriverError, Neo4jError) as exc:
        fail(f"Neo4j at {settings.uri}: {' '.join(str(exc).split())}")
    except WitnessError as exc:
        fail(str(exc))
    if report.problem is not None:
        fail(f"audit chain broken: {report.problem}", EXIT_BROKEN)
    checked = (
        f"; the witness's event {report.witness.seq} is unchanged"
        if report.witness is not None
        else ""
    )
    console.print(f"{report.events} events, chain intact{checked}", highlight=False)
    console.print(
        f"witness kept in {path}: event {report.events}, hash {report.head_hash or '-'}",
        highlight=False,
        soft_wrap=True,
    )
