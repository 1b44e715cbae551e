"""The follower brings derived state up to the newest commit between questions."""

from __future__ import annotations

import threading
import time

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.models.people import ReadinessStage
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.following import Follower
from graph.services.hub_actions import move_person_stage
from graph.services.journal import JournalPosition, journal_position
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings

CONSENTING = """
MATCH (p:Person) WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
  AND p.stage <> 'registered'
RETURN p.id AS id ORDER BY id LIMIT 1
"""


def _seq(position: JournalPosition | None) -> int:
    return -1 if position is None else position.seq


def test_a_round_catches_the_index_and_kept_answers_up_with_a_write_no_question_asked(
    demo_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    holder = CandidateIndexHolder(demo_place, db, rebuild_interval_s=3600)
    kept = KeptAnswers(demo_place, db)
    assert holder.refresh()
    kept.follow()
    follower = Follower([holder.current, kept.follow], interval_s=60)
    person = demo_place.execute_query(CONSENTING, database_=db).records[0]["id"]
    move_person_stage(
        demo_place, db, Caller("admin", Role.ADMIN), person, ReadinessStage.REGISTERED
    )
    newest = journal_position(demo_place, db)
    # Nothing has asked: both are behind the write.
    assert _seq(holder.position) < newest.seq
    assert _seq(kept.position) < newest.seq
    patches = holder.patches

    follower.follow_once()

    assert _seq(holder.position) == newest.seq
    assert holder.patches == patches + 1  # patched, not read whole
    assert _seq(kept.position) == newest.seq
    assert (follower.rounds, follower.failures) == (1, 0)


def test_a_failing_step_is_counted_and_the_others_still_run() -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("Neo4j went away")

    follower = Follower([broken, lambda: ran.append("index")], interval_s=60)
    follower.follow_once()
    follower.follow_once()
    assert (ran, follower.failures, follower.rounds) == (["index", "index"], 2, 2)


def test_the_thread_follows_until_stopped() -> None:
    rounds = threading.Semaphore(0)
    follower = Follower([rounds.release], interval_s=0.01)
    follower.start()
    try:
        for _ in range(3):
            assert rounds.acquire(timeout=30), "the follower did not run"
    finally:
        follower.stop()
    done = follower.rounds
    time.sleep(0.1)
    assert follower.rounds == done


def test_an_interval_that_never_comes_is_refused() -> None:
    with pytest.raises(ValueError, match="interval_s"):
        Follower([], interval_s=0)
