"""What the app holds for its lifetime: one driver, and whether the schema is migrated."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from neo4j import Driver
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.driver import Neo4jStatus, probe
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings

log = logging.getLogger("assetbridge.api")


@dataclass
class AppState:
    driver: Driver
    neo4j: Neo4jSettings
    migrated: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self) -> Neo4jStatus:
        """Probe Neo4j; the first time it answers, bring its schema up to date.

        The API may start before Neo4j does, so migration waits for the first
        successful probe instead of failing start-up.
        """
        status = probe(self.driver, self.neo4j)
        if status.reachable and not self.migrated:
            with self._lock:
                if not self.migrated:
                    try:
                        applied = apply_migrations(self.driver, self.neo4j.database)
                    except (Neo4jError, ServiceUnavailable, SessionExpired) as exc:
                        log.warning("schema migration failed, will retry: %s", exc)
                        return Neo4jStatus(False, status.uri, reason="schema migration failed")
                    self.migrated = True
                    if applied:
                        log.info("applied schema migrations %s", ", ".join(applied))
        return status
