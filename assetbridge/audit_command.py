"""`assetbridge audit verify`: check the audit log's hash chain end to end."""

from __future__ import annotations

from neo4j.exceptions import DriverError, Neo4jError

from assetbridge.console import console, fail
from graph.driver import create_driver
from graph.services.audit_chain import verify_chain
from graph.settings import get_neo4j_settings

EXIT_BROKEN = 1


def verify() -> None:
    """Walk the audit log's hash chain, oldest first.

    Exit 0 with "N events, chain intact"; 1 naming the first changed, missing or
    reordered event (or when Neo4j cannot be reached).
    """
    settings = get_neo4j_settings()
    try:
        with create_driver(settings) as driver:
            report = verify_chain(driver, settings.database)
    except (DriverError, Neo4jError) as exc:
        fail(f"Neo4j at {settings.uri}: {' '.join(str(exc).split())}")
    if report.problem is not None:
        fail(f"audit chain broken: {report.problem}", EXIT_BROKEN)
    console.print(f"{report.events} events, chain intact", highlight=False)
