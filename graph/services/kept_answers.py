"""Heavy aggregate answers kept per version of the facts they read.

Brokerage gaps, the funnel, impact, an anchor's footprint, the partnership network,
centrality and brokerage roles each read much of the graph to give a small answer, and
a place leader's page asks the same ones again and again. A :class:`KeptAnswers` keeps
the newest ``size`` answers of one process (LRU), each under its question, its
arguments, an audience (the caller's disclosure level, decided by the schema: an answer
kept for an analyst is never given to a place leader) and the version of its facts.

The version follows the change journal (``graph.services.journal``). For each kind
(node label, relationship type, or a journal kind such as ``StageChange``) the cache
keeps the journal ``seq`` of the last catch-up that saw it change, and an ``epoch``
that moves on whenever a catch-up cannot account for every commit (a write round the
product, a journal pruned past the cache, a ``whole`` change, a kind nobody declared):
then every kept answer is dropped. A question's version is the epoch and the newest
``seq`` of the kinds it reads (:data:`READS`); an answer is given again only while that
version is the one it was kept under.

Read your writes: before a kept answer is given, the journal is caught up to the
newest commit in one read (its bookmark names the last transaction committed, which
tells whether anything happened round the journal). Requests that arrive while a
catch-up is under way wait for the next one rather than trust one that began before
them, whose read might predate a write their caller has just made.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar, cast

from neo4j import Driver

from graph.analytics.projection import DEFAULT_REL_TYPES, PROJECTABLE_LABELS
from graph.models.journal import REFERRAL_TALLY, Changes
from graph.services.journal import (
    CatchUp,
    JournalPosition,
    catch_up,
    journal_position,
    reached,
)
from graph.vocabulary import Label, RelType

__all__ = ["KEPT_ANSWERS", "KNOWN_KINDS", "READS", "KeptAnswers", "Question", "Version"]

log = logging.getLogger("assetbridge.graph")

# Answers kept per process. The largest (partnershipNetwork of a big place, a
# centrality ranking of 1,000 nodes) are tens of kilobytes: a few megabytes in all.
KEPT_ANSWERS = 256

_T = TypeVar("_T")


class Question(StrEnum):
    """The questions whose answers are kept, by their GraphQL field names, and the
    parts of questions kept on their own."""

    BROKERAGE_GAPS = "brokerageGaps"
    FUNNEL = "funnel"
    IMPACT = "impact"
    ANCHOR_FOOTPRINT = "anchorFootprint"
    PARTNERSHIP_NETWORK = "partnershipNetwork"
    CENTRALITY = "centrality"
    BROKERAGE_ROLES = "brokerageRoles"
    # The organisational ties of a day and places, which every referral path and
    # matching's hub paths read beside the people asked about (graph.services.paths).
    REFERRAL_BACKBONE = "referralBackbone"


# Kinds the journal records besides labels and relationship types: a loader batch
# names its format, the hub and the people's rights name what they append.
JOURNAL_KINDS: frozenset[str] = frozenset(
    {
        "StageChange", "ConsentEvent", "edges", REFERRAL_TALLY,
        "occupation_skills", "broader_skills", "regulators",
        "RevokedToken", "RevokedSubject",
    }
)  # fmt: skip
# A change of any other kind was journalled by a writer nobody has declared here:
# no question can say it does not read it, so every kept answer is dropped.
KNOWN_KINDS: frozenset[str] = frozenset({*Label, *RelType, *JOURNAL_KINDS})

# A write journals the label of every node it names besides what it says it changed,
# and a node batch journals its label for the links it writes too (a vacancy batch:
# Vacancy, for POSTS, REQUIRES, FOR_OCCUPATION, LOCATED_IN). So each group below names
# both ends of every relationship it reads.

# A stage move journals StageChange and the Person it moved; it writes nothing of the
# person but their stage (graph.cypher.hub_actions.MOVE_PERSON_STAGE).
STAGE_MOVE = "StageChange"
# A referral on a tie already there journals REFERRAL_TALLY and the organisations at its
# ends; it writes nothing of them but the tie's count and last date
# (graph.cypher.hub_actions.RECORD_REFERRAL).
REFERRAL_ENDS: frozenset[str] = frozenset(
    {Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT, Label.ANCHOR_INSTITUTION}
)
# Journal kinds that move only themselves: a change of one of them and nothing but the
# labels of the nodes it names changes, for a question, only whether it reads the kind.
NARROW_KINDS: dict[str, frozenset[str]] = {
    STAGE_MOVE: frozenset({Label.PERSON}),
    REFERRAL_TALLY: REFERRAL_ENDS,
}

# Whether people are counted or listed at all: consent given, withdrawn or erased
# journals ConsentEvent (and PersonalRecord) with the Person it concerns.
CONSENT: frozenset[str] = frozenset({"ConsentEvent", Label.PERSONAL_RECORD, Label.PERSON})
# Where people stand on the pathway: a stage move journals StageChange and the Person.
PATHWAY: frozenset[str] = frozenset(
    {Label.PERSON, "StageChange", RelType.APPLIED_TO, RelType.PLACED_IN, Label.VACANCY}
)
# What matching reads of a person.
PEOPLE_FACTS: frozenset[str] = frozenset(
    {
        Label.PERSON, Label.SKILL, Label.QUALIFICATION, Label.OCCUPATION, Label.AREA,
        RelType.HAS_SKILL, RelType.HOLDS, RelType.QUALIFIES_FOR, RelType.LIVES_IN,
    }
)  # fmt: skip
PLACES: frozenset[str] = frozenset({Label.AREA, RelType.WITHIN, RelType.LOCATED_IN})
TAXONOMY: frozenset[str] = frozenset(
    {
        Label.SKILL, Label.OCCUPATION, Label.QUALIFICATION,
        RelType.BROADER, RelType.REQUIRES, RelType.QUALIFIES_FOR,
        "occupation_skills", "broader_skills", "regulators",
    }
)  # fmt: skip
# What an anchor posts and what its posts ask (a post's employment hub is in
# ORGANISATIONS).
VACANCIES: frozenset[str] = frozenset(
    {
        Label.ANCHOR_INSTITUTION, Label.VACANCY, Label.OCCUPATION, Label.SKILL,
        RelType.POSTS, RelType.FOR_OCCUPATION, RelType.REQUIRES, RelType.LOCATED_IN,
    }
)  # fmt: skip
# The organisational backbone of referral and partnership.
ORGANISATIONS: frozenset[str] = frozenset(
    {
        Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT, Label.ANCHOR_INSTITUTION,
        RelType.REFERS_TO, RelType.PARTNERS_WITH, RelType.PART_OF,
    }
)  # fmt: skip
# How people reach organisations: word of mouth, then support.
WORD_OF_MOUTH: frozenset[str] = frozenset(
    {Label.PERSON, Label.COMMUNITY_ORGANISATION, RelType.KNOWS, RelType.MENTORED_BY,
     RelType.SUPPORTED_BY}
)  # fmt: skip
LAND: frozenset[str] = frozenset({Label.PROPERTY, RelType.OWNS})
# How often and how lately organisations referred: a tie's count and last date.
# Brokerage reads a tie by its being there, its type and its trust (which of two
# parallel ties is kept), and the footprint by its first date: neither reads these.
TALLIES: frozenset[str] = frozenset({REFERRAL_TALLY})
# Every node a network ranking may project (the labels argument chooses among them)
# and the ties it projects.
NETWORK: frozenset[str] = frozenset({*PROJECTABLE_LABELS, *DEFAULT_REL_TYPES})

# The kinds each question reads. When in doubt a kind is in: a kind too many costs a
# recomputation, a kind too few gives a stale answer.
READS: dict[Question, frozenset[str]] = {
    # Brokerage gaps do not read where people stand on the pathway: a candidate is one
    # by their facts, whatever their stage (matching's rule), so a stage move keeps them.
    Question.BROKERAGE_GAPS: (
        CONSENT
        | PATHWAY
        | PEOPLE_FACTS
        | PLACES
        | TAXONOMY
        | VACANCIES
        | ORGANISATIONS
        | WORD_OF_MOUTH
    )
    - {STAGE_MOVE},
    Question.FUNNEL: CONSENT | PATHWAY | VACANCIES | PLACES | PEOPLE_FACTS,
    Question.IMPACT: CONSENT | PATHWAY | VACANCIES,
    Question.ANCHOR_FOOTPRINT: ORGANISATIONS | PLACES | LAND,
    # Each tie with its count.
    Question.PARTNERSHIP_NETWORK: ORGANISATIONS | TALLIES,
    # Weighed by a property the caller names, a tie's count among them.
    Question.CENTRALITY: CONSENT | NETWORK | TALLIES,
    Question.BROKERAGE_ROLES: CONSENT | NETWORK | TALLIES,
    # Each organisation's name and places, and the trust of each tie between them.
    Question.REFERRAL_BACKBONE: ORGANISATIONS,
}


@dataclass(frozen=True, order=True)
class Version:
    """The version of a question's facts: the epoch (moved on when the journal could
    not say what changed) and the newest journal ``seq`` that changed a kind it reads."""

    epoch: int
    seq: int


@dataclass(frozen=True)
class _Kept:
    version: Version
    answer: object


class _Computing:
    """An answer being computed: callers asking the same question of the same version
    meanwhile wait for it instead of computing it again (a page's panels, or many
    place leaders opening the page after a change, ask at once)."""

    def __init__(self, version: Version) -> None:
        self.version = version
        self.done = threading.Event()
        self.answer: object = None
        self.succeeded = False
        self.waiters = 0


class KeptAnswers:
    """The newest ``size`` answers of the heavy questions over one database, each
    given again while none of the kinds its question reads has changed."""

    def __init__(
        self,
        driver: Driver,
        database: str,
        *,
        size: int = KEPT_ANSWERS,
    ) -> None:
        if size < 1:
            raise ValueError("size: keep at least one answer")
        self._driver = driver
        self._database = database
        self._size = size
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._computing: dict[Hashable, _Computing] = {}
        self._position: JournalPosition | None = None
        self._epoch = 0
        self._changed: dict[str, int] = {}
        self._lock = threading.Lock()
        # One catch-up at a time; _begun and _finished number them.
        self._following = threading.Lock()
        self._begun = 0
        self._finished = 0
        self.hits = 0
        self.misses = 0
        self.shared = 0
        self.drops = 0

    @property
    def position(self) -> JournalPosition | None:
        """The journal position the versions reflect (None: not followed yet)."""
        with self._lock:
            return self._position

    @property
    def waiting(self) -> int:
        """Callers waiting for an answer under way."""
        with self._lock:
            return sum(computing.waiters for computing in self._computing.values())

    @property
    def count(self) -> int:
        """How many answers are kept (current or not: a stale one waits to be replaced
        or to fall off the end)."""
        with self._lock:
            return len(self._kept)

    def answer(
        self,
        question: Question,
        arguments: Hashable,
        audience: Hashable,
        compute: Callable[[], _T],
        seen: int | None = None,
    ) -> _T:
        """The kept answer to ``question`` with these ``arguments`` for this
        ``audience`` if its facts are unchanged since it was kept, else ``compute()``
        (kept in turn). ``audience`` must tell apart every two callers who may be
        shown different answers; ``compute`` runs in the calling thread. ``seen`` is a
        commit the caller read after its question was asked (``follow``)."""
        self.follow(seen)
        key = (question, arguments, audience)
        with self._lock:
            version = self._version(question)
            kept = self._kept.get(key)
            if kept is not None and kept.version == version:
                self._kept.move_to_end(key)
                self.hits += 1
                return cast(_T, kept.answer)
            under_way = self._computing.get(key)
            if under_way is None or under_way.version != version:
                # Not under way, or under way for older facts: compute it here.
                mine = self._computing[key] = _Computing(version)
                self.misses += 1
            else:
                under_way.waiters += 1
        if under_way is not None and under_way.version == version:
            # Same facts as the computation under way (its version was taken after a
            # catch-up at least as new as ours for every kind it reads): its answer is
            # the one ours would be. If it fails, each waiter computes for itself, so an
            # error reaches its own caller.
            under_way.done.wait()
            with self._lock:
                under_way.waiters -= 1
                self.shared += under_way.succeeded
            if under_way.succeeded:
                return cast(_T, under_way.answer)
            return self._compute_alone(compute)
        try:
            # The facts compute reads are at least as new as ``version``: the journal
            # was caught up to the newest commit before it began.
            found = compute()
            mine.answer, mine.succeeded = found, True
            with self._lock:
                held = self._kept.get(key)
                if version.epoch == self._epoch and (held is None or held.version <= version):
                    self._kept[key] = _Kept(version, found)
                    self._kept.move_to_end(key)
                    while len(self._kept) > self._size:
                        self._kept.popitem(last=False)
            return found
        finally:
            with self._lock:
                if self._computing.get(key) is mine:
                    del self._computing[key]
            mine.done.set()

    def _compute_alone(self, compute: Callable[[], _T]) -> _T:
        with self._lock:
            self.misses += 1
        return compute()

    def follow(self, seen: int | None = None) -> JournalPosition:
        """Bring the versions up to the newest commit (one read), unless a catch-up
        that began after this call was made has already done so, or the versions have
        already reached ``seen``: a commit id read after the question was asked, so
        every write that returned before it is at or below it."""
        with self._lock:
            if reached(self._position, seen):
                assert self._position is not None
                return self._position
            ticket = self._begun
        with self._following:
            with self._lock:
                if self._finished > ticket and self._position is not None:
                    return self._position
                self._begun += 1
                number, position = self._begun, self._position
            if position is None:
                self._start(journal_position(self._driver, self._database))
            else:
                self._apply(catch_up(self._driver, self._database, position))
            with self._lock:
                self._finished = number
                assert self._position is not None
                return self._position

    def _start(self, position: JournalPosition) -> None:
        # Nothing is kept before the first catch-up: every answer from now is newer.
        with self._lock:
            self._position = position

    def _apply(self, update: CatchUp) -> None:
        kinds = frozenset(kind for change in update.changes for kind in _kinds_read(change))
        unknown = kinds - KNOWN_KINDS
        with self._lock:
            self._position = update.position
            if not update.complete or unknown:
                if unknown:
                    log.warning("kept answers: undeclared kinds %s; dropping all", sorted(unknown))
                self._drop()
                return
            for kind in kinds:
                self._changed[kind] = update.position.seq

    def _drop(self) -> None:
        # Called with the lock held: no kept answer, nor one being computed, is of the
        # new epoch, so none can be given again.
        self._epoch += 1
        self._changed.clear()
        self._kept.clear()
        self.drops += 1

    def _version(self, question: Question) -> Version:
        seqs = (self._changed.get(kind, 0) for kind in READS[question])
        return Version(self._epoch, max(seqs, default=0))


def _kinds_read(change: Changes) -> frozenset[str]:
    """The kinds a change moves for the questions: a stage move only its stage, a
    referral on a tie already there only its tally."""
    for kind, named in NARROW_KINDS.items():
        if kind in change.kinds and change.kinds - {kind} <= named:
            return frozenset({kind})
    return change.kinds
