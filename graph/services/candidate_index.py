"""Keeping a candidate index that follows every change and is never stale.

The index is read whole once, then follows the change journal (``graph.services.journal``):
a question's own read tells, by its bookmark, whether anything has committed since the
index's position; if so, one indexed read of the journal says what, and the index
patches only the people whose matching facts changed (a stage move: one row; a loader
batch of 1,000 people: those rows), rereads the small taxonomy or area maps when they
changed, and does nothing for a commit that touches no matching fact (an audit record
of a read, a referral). The question is then ranked from the patched index, so once a
write has returned, the next question on any worker reflects it.

When the journal cannot account for every commit (a write made round the product with
Neo4j Browser or cypher-shell, a reader too far behind, a reset), the index is read
whole again in the background and questions rank from the graph meanwhile: never
stale, only slower.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from neo4j import READ_ACCESS, Driver, ManagedTransaction

from graph.algorithms.candidate_index import (
    CandidateIndex,
    build_candidate_index,
    indexed_people,
)
from graph.cypher import candidate_index as q
from graph.models.journal import Changes
from graph.services.journal import (
    CatchUp,
    JournalPosition,
    catch_up,
    journal_position,
    reached,
    transaction_id,
)
from graph.vocabulary import Label, RelType

__all__ = ["INDEX_KINDS", "CandidateIndexHolder", "IndexState"]

log = logging.getLogger("assetbridge.graph")

IndexState = Literal["empty", "building", "ready"]

# After an unaccounted change the index is read whole again, at most every 5 s, and
# reading spends at most a tenth of the time (at 100,000 people a read takes seconds).
REBUILD_INTERVAL_S = 5.0
READING_SHARE = 0.1

# A change of these kinds may change a person's matching facts.
PERSON_FACT_KINDS = frozenset(
    {
        Label.PERSON, Label.QUALIFICATION,
        RelType.HAS_SKILL, RelType.HOLDS, RelType.QUALIFIES_FOR, RelType.LIVES_IN,
    }
)  # fmt: skip
# Relationships that touch people but no fact the index holds: a KNOWS or REFERS_TO
# edge batch names people at its ends, and their rows need not be read again.
OTHER_TIES = frozenset({"edges", RelType.REFERS_TO})
TAXONOMY_KINDS = frozenset({Label.SKILL, RelType.BROADER})
AREA_KINDS = frozenset({Label.AREA, RelType.WITHIN})
INDEX_KINDS = PERSON_FACT_KINDS | TAXONOMY_KINDS | AREA_KINDS

_T = TypeVar("_T")
_PERSON = f"{Label.PERSON}:"
_QUALIFICATION = f"{Label.QUALIFICATION}:"


class CandidateIndexHolder:
    """The newest index of one database, and the journal position it reflects."""

    def __init__(
        self, driver: Driver, database: str, *, rebuild_interval_s: float = REBUILD_INTERVAL_S
    ) -> None:
        self._driver = driver
        self._database = database
        self._rebuild_interval_s = rebuild_interval_s
        self._index: CandidateIndex | None = None
        self._position: JournalPosition | None = None
        self._lock = threading.Lock()
        # One catch-up at a time: others wait for it rather than read the same changes.
        self._following = threading.Lock()
        self._building = False
        self._next_start = -float("inf")
        self._reader: threading.Thread | None = None
        self.patches = 0
        self.whole_reads = 0

    @property
    def state(self) -> IndexState:
        with self._lock:
            if self._building:
                return "building"
            return "ready" if self._index is not None else "empty"

    @property
    def position(self) -> JournalPosition | None:
        """The journal position the index has reached (``None``: not read yet, or
        waiting to be read whole again)."""
        with self._lock:
            return self._position if self._index is not None else None

    def current(self) -> CandidateIndex | None:
        """The index, brought up to the newest commit; None while it cannot be (it is
        then read whole in the background)."""
        return self.read_with_index(_probe)[1]

    def read_with_index(
        self, work: Callable[[ManagedTransaction], _T]
    ) -> tuple[_T, CandidateIndex | None]:
        """Run ``work`` in a read transaction and give, with its result, the index at
        least as new as what ``work`` read; None if the index cannot follow (then the
        caller reads the graph). When nothing has committed since the index's position,
        the read's own bookmark tells, and the check costs no round trip."""
        with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as s:
            result = s.execute_read(work)
            seen = transaction_id(s.last_bookmarks().raw_values)
        with self._lock:
            index, position = self._index, self._position
        if index is None or position is None:
            self.refresh_in_background()
            return result, None
        if seen is not None and seen == position.transaction:
            return result, index
        return result, self._follow(seen)

    def _follow(self, seen: int | None) -> CandidateIndex | None:
        with self._following:
            with self._lock:
                index, position = self._index, self._position
            if index is None or position is None:
                return None
            if reached(position, seen):
                return index  # another question caught up while this one waited
            followed = self._applied(index, catch_up(self._driver, self._database, position))
            with self._lock:
                if self._index is index:
                    self._index = followed[0]
                    self._position = followed[1]
            if followed[0] is None:
                self.refresh_in_background()
            return followed[0]

    def _applied(
        self, index: CandidateIndex, update: CatchUp
    ) -> tuple[CandidateIndex | None, JournalPosition | None]:
        """The index with ``update`` applied, and the position it then reflects; (None,
        None) when the update cannot be applied change by change."""
        if not update.complete:
            log.info("candidate index: a change the journal does not account for; reading whole")
            return None, None
        relevant = [c for c in update.changes if c.kinds & INDEX_KINDS]
        if not relevant:
            return index, update.position
        people: set[str] = set()
        qualifications: set[str] = set()
        for change in relevant:
            if _changes_person_facts(change):
                people.update(i[len(_PERSON) :] for i in change.ids if i.startswith(_PERSON))
                qualifications.update(
                    i[len(_QUALIFICATION) :] for i in change.ids if i.startswith(_QUALIFICATION)
                )
        taxonomy = any(c.kinds & TAXONOMY_KINDS for c in relevant)
        areas = any(c.kinds & AREA_KINDS for c in relevant)
        with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as s:
            asked, rows, neighbours, within = s.execute_read(
                _read_patch, sorted(people), sorted(qualifications), taxonomy, areas
            )
        fresh = indexed_people(rows)
        patched = index.patched(fresh, asked - {p.id for p in fresh}) if asked else index
        if neighbours is not None:
            patched = patched.with_taxonomy(neighbours)
        if within is not None:
            patched = patched.with_areas(within)
        self.patches += 1
        return patched, update.position

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
        """Read a new index whole now; False if the journal could not account for what
        committed while it was read (the index could be a mixture, so it is dropped).

        The facts are read after the journal's position and may mix commits made while
        they were read; every such commit is in the journal, and applying it reads the
        people it touched again, so the index ends consistent at the newer position."""
        start = journal_position(self._driver, self._database)
        with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as s:
            people, neighbours, areas = s.execute_read(_read_facts)
        whole = build_candidate_index(people, neighbours, areas)
        index, position = self._applied(whole, catch_up(self._driver, self._database, start))
        if index is None or position is None:
            return False
        with self._following, self._lock:
            self._index, self._position = index, position
        self.whole_reads += 1
        log.info("candidate index read: %d people at journal seq %d", index.people, position.seq)
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


def _changes_person_facts(change: Changes) -> bool:
    if change.kinds & (PERSON_FACT_KINDS - {Label.PERSON}):
        return True
    return Label.PERSON in change.kinds and not change.kinds & OTHER_TIES


def _read_facts(
    tx: ManagedTransaction,
) -> tuple[list[list[Any]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    people = [person for record in tx.run(q.CANDIDATE_INDEX_PEOPLE) for person in record[0]]
    neighbours = [tuple(r.values()) for r in tx.run(q.SKILL_NEIGHBOURS)]
    areas = [tuple(r.values()) for r in tx.run(q.AREAS_CONTAINING)]
    return people, neighbours, areas


def _read_patch(
    tx: ManagedTransaction,
    people: list[str],
    qualifications: list[str],
    taxonomy: bool,
    areas: bool,
) -> tuple[set[str], list[list[Any]], dict[str, list[str]] | None, dict[str, list[str]] | None]:
    """The people named (and the holders of the qualifications named), their rows (only
    those still in the index's reach: consenting), and the maps asked for."""
    ids = set(people)
    if qualifications:
        ids.update(tx.run(q.HOLDERS_OF_QUALIFICATIONS, ids=qualifications).single(strict=True)[0])
    rows = [r["person"] for r in tx.run(q.CANDIDATE_INDEX_PEOPLE_BY_ID, ids=sorted(ids))]
    neighbours = (
        {str(r["skill"]): [str(n) for n in r["near"]] for r in tx.run(q.SKILL_NEIGHBOURS)}
        if taxonomy
        else None
    )
    within = (
        {str(r["area"]): [str(a) for a in r["within"]] for r in tx.run(q.AREAS_CONTAINING)}
        if areas
        else None
    )
    return ids, rows, neighbours, within


def _probe(tx: ManagedTransaction) -> None:
    tx.run(q.HISTORY_POINT).consume()
