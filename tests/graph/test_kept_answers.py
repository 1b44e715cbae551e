"""Kept answers on their own: the LRU's bound, versions that move only with the kinds a
question reads, and every answer dropped for a change nobody declared."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.models.journal import REFERRAL_TALLY, Changes
from graph.services.audit import audit_in_transaction
from graph.services.journal import journal_position
from graph.services.kept_answers import READS, KeptAnswers, Question
from graph.settings import Neo4jSettings
from graph.vocabulary import RelType

WRITER = Caller("kept-answers-test", Role.ADMIN)


def _journal(driver: Driver, database: str, changes: Changes) -> None:
    """A write of the product that changes only what ``changes`` says."""

    def work(tx: ManagedTransaction) -> None:
        audit_in_transaction(tx, WRITER, "test_write", [], changes=changes)

    with driver.session(database=database) as session:
        session.execute_write(work)


class _Computed:
    """A question's computation that counts its runs and answers with their number."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


def test_the_oldest_answer_falls_off_the_end(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = KeptAnswers(clean_db, neo4j_settings.database, size=2)
    compute = _Computed()
    for anchor in ("a", "b", "a", "c", "b", "a"):
        kept.answer(Question.FUNNEL, (anchor,), "level", compute)
    # a, b kept; a used again, so c pushes out b; b pushes out a; a is computed again.
    assert (kept.hits, kept.misses, kept.count) == (1, 5, 2)


def test_an_answer_follows_only_the_kinds_its_question_reads(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    assert RelType.REFERS_TO in READS[Question.PARTNERSHIP_NETWORK]
    assert "StageChange" not in READS[Question.PARTNERSHIP_NETWORK]
    kept = KeptAnswers(clean_db, db)
    network, funnel = _Computed(), _Computed()
    assert kept.answer(Question.PARTNERSHIP_NETWORK, ("a",), "level", network) == 1
    assert kept.answer(Question.FUNNEL, ("a",), "level", funnel) == 1

    _journal(clean_db, db, Changes.of({"StageChange"}, ["Person:p"]))
    assert kept.answer(Question.PARTNERSHIP_NETWORK, ("a",), "level", network) == 1
    assert kept.answer(Question.FUNNEL, ("a",), "level", funnel) == 2

    _journal(clean_db, db, Changes.of({RelType.REFERS_TO}, ["CommunityOrganisation:o"]))
    assert kept.answer(Question.PARTNERSHIP_NETWORK, ("a",), "level", network) == 2
    assert kept.answer(Question.FUNNEL, ("a",), "level", funnel) == 2
    assert kept.position == journal_position(clean_db, db)


def test_a_change_of_a_kind_nobody_declared_drops_every_answer(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    kept = KeptAnswers(clean_db, db)
    for question in Question:
        kept.answer(question, (), "level", _Computed())
    assert kept.count == len(Question)

    _journal(clean_db, db, Changes.of({"SomethingNew"}))
    kept.follow()
    assert (kept.count, kept.drops) == (0, 1)


def test_a_failed_computation_keeps_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = KeptAnswers(clean_db, neo4j_settings.database)

    def refused() -> int:
        raise LookupError("no such anchor")

    with pytest.raises(LookupError):
        kept.answer(Question.IMPACT, ("nowhere",), "level", refused)
    assert kept.count == 0
    assert kept.answer(Question.IMPACT, ("nowhere",), "level", _Computed()) == 1


def test_audiences_never_share_an_answer(clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    kept = KeptAnswers(clean_db, neo4j_settings.database)
    assert kept.answer(Question.CENTRALITY, (), "analyst", lambda: "people and all") == (
        "people and all"
    )
    assert kept.answer(Question.CENTRALITY, (), "place leader", lambda: "counts") == "counts"
    assert kept.answer(Question.CENTRALITY, (), "place leader", lambda: "again") == "counts"
    assert kept.answer(Question.CENTRALITY, (), "analyst", lambda: "again") == "people and all"


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the callers"
        time.sleep(0.01)


def test_callers_asking_at_once_share_one_computation(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = KeptAnswers(clean_db, neo4j_settings.database)
    release = threading.Event()
    runs: list[int] = []

    def slow() -> str:
        runs.append(1)
        release.wait(30)
        return "the answer"

    def ask() -> object:
        return kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", slow)

    with ThreadPoolExecutor(5) as pool:
        first = pool.submit(ask)
        _until(lambda: len(runs) == 1)
        others = [pool.submit(ask) for _ in range(4)]
        _until(lambda: kept.waiting == 4)
        release.set()
        answers = [first.result(30), *(other.result(30) for other in others)]
    assert answers == ["the answer"] * 5
    assert (len(runs), kept.misses, kept.shared, kept.hits) == (1, 1, 4, 0)
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", slow) == "the answer"
    assert (len(runs), kept.hits) == (1, 1)


def test_a_failed_computation_is_not_shared(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = KeptAnswers(clean_db, neo4j_settings.database)
    release = threading.Event()
    runs: list[int] = []

    def fails_first() -> str:
        runs.append(1)
        if len(runs) == 1:
            release.wait(30)
            raise LookupError("no such anchor")
        return "computed alone"

    def ask() -> object:
        try:
            return kept.answer(Question.IMPACT, ("x",), "level", fails_first)
        except LookupError as error:
            return str(error)

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(ask)
        _until(lambda: len(runs) == 1)
        second = pool.submit(ask)
        _until(lambda: kept.waiting == 1)
        release.set()
        answers = [first.result(30), second.result(30)]
    assert answers == ["no such anchor", "computed alone"]
    assert (len(runs), kept.shared, kept.misses) == (2, 0, 2)


def test_a_stage_move_keeps_what_does_not_read_stages(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """A stage move journals StageChange and the Person; brokerage gaps read people's facts
    but not their stage, so it keeps them; a skill of the same person does not."""
    db = neo4j_settings.database
    kept = KeptAnswers(clean_db, db)
    gaps, funnel = _Computed(), _Computed()
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 1
    assert kept.answer(Question.FUNNEL, ("a",), "level", funnel) == 1

    _journal(clean_db, db, Changes.of({"StageChange"}, ["Person:p"]))
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 1
    assert kept.answer(Question.FUNNEL, ("a",), "level", funnel) == 2

    _journal(clean_db, db, Changes.of({RelType.HAS_SKILL}, ["Person:p"]))
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 2

    # A stage move that also wrote something else is no mere stage move.
    _journal(clean_db, db, Changes.of({"StageChange", RelType.PLACED_IN}, ["Person:p"]))
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 3


def test_a_referral_tally_keeps_what_reads_no_counts(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """One more referral on a tie already there journals its tally and the organisations
    at its ends: brokerage gaps keep their answer, the partnership network (each tie's
    count) does not; a tie created or its trust moved (REFERS_TO) reaches both."""
    db = neo4j_settings.database
    kept = KeptAnswers(clean_db, db)
    gaps, network = _Computed(), _Computed()
    ends = ["CommunityOrganisation:o", "Department:hub"]
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 1
    assert kept.answer(Question.PARTNERSHIP_NETWORK, ("a",), "level", network) == 1

    _journal(clean_db, db, Changes.of({REFERRAL_TALLY}, ends))
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 1
    assert kept.answer(Question.PARTNERSHIP_NETWORK, ("a",), "level", network) == 2

    _journal(clean_db, db, Changes.of({RelType.REFERS_TO}, ends))
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 2
    assert kept.answer(Question.PARTNERSHIP_NETWORK, ("a",), "level", network) == 3

    # A tally beside anything else is no mere tally.
    _journal(clean_db, db, Changes.of({REFERRAL_TALLY}, [*ends, "Person:p"]))
    assert kept.answer(Question.BROKERAGE_GAPS, ("a",), "level", gaps) == 3
