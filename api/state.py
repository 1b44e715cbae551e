"""What the app holds for its lifetime: one driver, whether the schema is migrated, and
whether Neo4j was found unreachable a moment ago."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from neo4j import Driver
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.driver import Neo4jStatus, probe
from graph.migrations import apply_migrations
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.funnel_rows import FollowedFunnels
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings

log = logging.getLogger("assetbridge.api")

# While Neo4j is known to be down, requests are answered UNAVAILABLE at once rather
# than each waiting out the driver's retries; one probe a second tells when it is back.
REPROBE_INTERVAL_S = 1.0


@dataclass
class AppState:
    driver: Driver
    neo4j: Neo4jSettings
    # Ranks matching candidates in memory while the graph is unchanged (None: off).
    candidate_index: CandidateIndexHolder | None = None
    # Heavy answers given again while their facts are unchanged (None: off).
    kept_answers: KeptAnswers | None = None
    # Anchors' pipelines patched as people change, for the funnel (None: off).
    funnels: FollowedFunnels | None = None
    migrated: bool = False
    unreachable: bool = False
    _next_probe: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _gate: threading.Lock = field(default_factory=threading.Lock)

    def check(self) -> Neo4jStatus:
        """Probe Neo4j; the first time it answers, bring its schema up to date.

        The API may start before Neo4j does, so migration waits for the first
        successful probe instead of failing start-up.
        """
        status = self._migrate_once(probe(self.driver, self.neo4j))
        with self._gate:
            self.unreachable = not status.reachable
            self._next_probe = time.monotonic() + REPROBE_INTERVAL_S
        return status

    def mark_unreachable(self) -> None:
        """A request found Neo4j unreachable: refuse the next ones until a probe answers."""
        with self._gate:
            self.unreachable = True
            self._next_probe = time.monotonic() + REPROBE_INTERVAL_S

    def available(self) -> bool:
        """Whether to pass a request on to Neo4j: yes, unless it was found unreachable;
        then at most one probe a second decides, so the API recovers by itself."""
        with self._gate:
            if not self.unreachable:
                return True
            if time.monotonic() < self._next_probe:
                return False
            self._next_probe = time.monotonic() + REPROBE_INTERVAL_S
        return self.check().reachable

    def _migrate_once(self, status: Neo4jStatus) -> Neo4jStatus:
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
