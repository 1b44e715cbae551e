"""The driver factory and a reachability probe; one driver per process."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.cypher.health import DBMS_COMPONENTS
from graph.settings import Neo4jSettings

__all__ = ["Neo4jStatus", "create_driver", "probe"]


def create_driver(settings: Neo4jSettings) -> Driver:
    """Build the process's driver; connections open lazily, so this never blocks."""
    return GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password.get_secret_value()),
        connection_timeout=settings.connection_timeout_s,
        connection_acquisition_timeout=settings.acquisition_timeout_s,
        max_connection_pool_size=settings.max_pool_size,
        max_transaction_retry_time=settings.max_transaction_retry_time_s,
        # Server notifications (e.g. "relationship type does not exist yet" on an
        # empty graph) are noise in logs; query errors still raise.
        notifications_min_severity="OFF",
    )


@dataclass(frozen=True)
class Neo4jStatus:
    """What a probe found: reachable with a version, or not with a reason a person can act on."""

    reachable: bool
    uri: str
    version: str | None = None
    edition: str | None = None
    reason: str | None = None


def probe(driver: Driver, settings: Neo4jSettings) -> Neo4jStatus:
    """Ask the server for its components; never raises for an unreachable server."""
    try:
        # An auto-commit query, not execute_query: a probe must answer at once
        # rather than retry for half a minute against a server that is down.
        with driver.session(database="system", default_access_mode="READ") as session:
            records = list(session.run(DBMS_COMPONENTS))
    except AuthError:
        return Neo4jStatus(False, settings.uri, reason="Neo4j refused the user or password")
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        return Neo4jStatus(False, settings.uri, reason=f"Neo4j is not reachable: {exc}")
    except Neo4jError as exc:
        return Neo4jStatus(False, settings.uri, reason=f"Neo4j answered with an error: {exc.code}")
    kernel = next((r for r in records if r["name"] == "Neo4j Kernel"), None)
    if kernel is None:
        return Neo4jStatus(True, settings.uri)
    return Neo4jStatus(True, settings.uri, version=kernel["versions"][0], edition=kernel["edition"])
