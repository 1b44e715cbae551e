"""Kept answers on their own: the LRU's bound, versions that move only with the kinds a
question reads, and every answer dropped for a change nobody declared."""

from __future__ import annotations

import pytest
from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.models.journal import Changes
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
