"""Keeping a candidate index that is never stale.

An index answers only while nothing at all has been committed to the database
since it was read: every read transaction's bookmark names the point in the
database's history it saw, so one trivial read tells whether that point has
moved. When it has, the caller falls back to reading the graph (the answer is the
same, only slower) and a new index is read in the background. Any commit counts,
even one that touches no matching fact (an audit record), so a busy database is
served from Cypher more often; it is never served stale facts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from neo4j import READ_ACCESS, Driver, ManagedTransaction

from graph.algorithms.candidate_index import CandidateIndex, build_candidate_index
from graph.cypher import candidate_index as q

__all__ = ["CandidateIndexHolder", "IndexState"]

log = logging.getLogger("assetbridge.graph")

IndexState = Literal["empty", "building", "ready"]

# However often the graph changes (a caseworker's read of personal details writes an
# audit record), a new index is read at most every 5 s, and reading spends at most a
# tenth of the time: at 100,000 people a read takes seconds of a core, so there
# matching may rank from the graph for up to a minute after a change.
REBUILD_INTERVAL_S = 5.0
READING_SHARE = 0.1

_History = frozenset[str]
_T = TypeVar("_T")


class CandidateIndexHolder:
    """The newest index of one database, and the point in its history it was read at."""

    def __init__(
        self, driver: Driver, database: str, *, rebuild_interval_s: float = REBUILD_INTERVAL_S
    ) -> None:
        self._driver = driver
        self._database = database
        self._rebuild_interval_s = rebuild_interval_s
        self._index: CandidateIndex | None = None
        self._point: _History | None = None
        self._lock = threading.Lock()
        self._building = False
        self._next_start = -float("inf")
        self._reader: threading.Thread | None = None

    @property
    def state(self) -> IndexState:
        with self._lock:
            if self._building:
                return "building"
            return "ready" if self._index is not None else "empty"

    def current(self) -> CandidateIndex | None:
        """The index, if nothing has been committed since it was read; else None
        (and a new one is read in the background)."""
        return self.read_with_index(_probe)[1]

    def read_with_index(
        self, work: Callable[[ManagedTransaction], _T]
    ) -> tuple[_T, CandidateIndex | None]:
        """Run ``work`` in a read transaction, and give the index with its result if
        nothing had been committed since the index was read when ``work`` read: the
        read's own bookmark tells, so the check costs no round trip of its own."""
        with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as s:
            result = s.execute_read(work)
            point = frozenset(s.last_bookmarks().raw_values)
        with self._lock:
            index, index_point = self._index, self._point
        if index is not None and point == index_point:
            return result, index
        self.refresh_in_background()
        return result, None

    def refresh_in_background(self) -> None:
        """Start reading a new index, unless one is being read or was started lately."""
        with self._lock:
            now = time.monotonic()
            if self._building or now < self._next_start:
                return
            self._building, self._next_start = True, now + self._rebuild_interval_s
            self._reader = threading.Thread(
                target=self._refresh, name="candidate-index", daemon=True
            )
            self._reader.start()

    def close(self, timeout_s: float = 60.0) -> None:
        """Wait for a background read to finish: the driver must outlive it."""
        with self._lock:
            reader, self._next_start = self._reader, float("inf")  # no new reads
        if reader is not None:
            reader.join(timeout_s)

    def refresh(self) -> bool:
        """Read a new index now; False if the graph changed while it was being read
        (the index would be a mixture, so it is dropped)."""
        before = _history_point(self._driver, self._database)
        with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as s:
            people, neighbours, areas = s.execute_read(_read_facts)
            after = frozenset(s.last_bookmarks().raw_values)
        if after != before:
            return False
        index = build_candidate_index(people, neighbours, areas)
        with self._lock:
            self._index, self._point = index, after
        log.info("candidate index read: %d people", index.size)
        return True

    def _refresh(self) -> None:
        started = time.monotonic()
        try:
            self.refresh()
        except Exception:  # noqa: BLE001 - a background read must never take the process down
            log.warning("candidate index not read; matching reads the graph", exc_info=True)
        finally:
            finished = time.monotonic()
            pause = (finished - started) * (1 - READING_SHARE) / READING_SHARE
            with self._lock:
                self._building = False
                self._next_start = max(self._next_start, finished + pause)


def _read_facts(
    tx: ManagedTransaction,
) -> tuple[list[list[Any]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    people = [person for record in tx.run(q.CANDIDATE_INDEX_PEOPLE) for person in record[0]]
    neighbours = [tuple(r.values()) for r in tx.run(q.SKILL_NEIGHBOURS)]
    areas = [tuple(r.values()) for r in tx.run(q.AREAS_CONTAINING)]
    return people, neighbours, areas


def _probe(tx: ManagedTransaction) -> None:
    tx.run(q.HISTORY_POINT).consume()


def _history_point(driver: Driver, database: str) -> _History:
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        session.execute_read(_probe)
        return frozenset(session.last_bookmarks().raw_values)
