"""The candidate index must rank exactly as the graph does, and must never answer
once anything has been committed since it was read."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

import graph.services.candidate_index as holder_module
from graph.access import Caller, Role
from graph.models.people import ReadinessStage
from graph.services.brokerage import brokerage_gaps
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.hub_actions import move_person_stage
from graph.services.matching import (
    MAX_FIRST,
    CandidateFilter,
    matching_candidates,
    person_facts,
)
from graph.settings import Neo4jSettings
from loaders.demo import generate_demo, load_demo_folder

VACANCIES = "MATCH (v:Vacancy) RETURN v.id AS id ORDER BY id"
SHORTAGE = """
MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {shortage: true})-[:FOR_OCCUPATION]->(o:Occupation)
RETURN DISTINCT a.id AS anchor, o.id AS occupation ORDER BY anchor, occupation
"""
FILTERS = [
    None,
    CandidateFilter(right_to_work_only=True),
    CandidateFilter(stages=["employed", "registered", "placement"]),
    CandidateFilter(local_only=True, min_score=0.4),
    CandidateFilter(min_score=0.75),
    CandidateFilter(stages=["no-such-stage"]),
]


def _ranking(driver: Driver, db: str, vacancy: str, **options: object) -> list[tuple[str, float]]:
    found = matching_candidates(driver, db, vacancy, first=MAX_FIRST, **options)  # type: ignore[arg-type]
    return [(m.person_id, m.score) for m in found]


@pytest.fixture(params=[(300, 2007), (450, 31)], ids=["demo", "other-seed"])
def generated_place(
    request: pytest.FixtureRequest, clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> Driver:
    people, seed = request.param
    generate_demo(tmp_path / "place", people=people, seed=seed)
    load_demo_folder(tmp_path / "place", driver=clean_db, database=neo4j_settings.database)
    return clean_db


def test_ranks_as_the_graph_does(generated_place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    holder = CandidateIndexHolder(generated_place, db)
    assert holder.refresh()
    vacancies = [r["id"] for r in generated_place.execute_query(VACANCIES, database_=db).records]
    assert len(vacancies) >= 5
    ranked = 0
    for vacancy in vacancies:
        for filters in FILTERS:
            expected = _ranking(generated_place, db, vacancy, filters=filters)
            assert holder.current() is not None  # the index answered, not the graph
            got = _ranking(generated_place, db, vacancy, filters=filters, index=holder)
            assert got == expected, (vacancy, filters)
            ranked += len(got)
    assert ranked > 1000, "the places must give rankings long enough to compare"


def test_brokerage_candidates_as_the_graph_finds_them(
    generated_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    holder = CandidateIndexHolder(generated_place, db)
    assert holder.refresh()
    pairs = [r.data() for r in generated_place.execute_query(SHORTAGE, database_=db).records]
    assert pairs
    candidates = 0
    for pair in pairs:
        for occupation in (pair["occupation"], None):
            expected = brokerage_gaps(generated_place, db, pair["anchor"], occupation_id=occupation)
            got = brokerage_gaps(
                generated_place, db, pair["anchor"], occupation_id=occupation, index=holder
            )
            assert got == expected
            candidates += expected.candidates
    assert candidates > 20, "the places must have candidates to find"


def test_a_commit_retires_the_index(demo_place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    holder = CandidateIndexHolder(demo_place, db, rebuild_interval_s=3600)
    states = [holder.state]
    assert holder.refresh()
    states.append(holder.state)
    assert states == ["empty", "ready"]
    assert holder.current() is not None
    vacancy = demo_place.execute_query(VACANCIES, database_=db).records[0]["id"]
    before = _ranking(demo_place, db, vacancy, index=holder)
    facts = person_facts(demo_place, db, [person for person, _ in before])
    moved = next(p for p, _ in reversed(before) if facts[p].stage != "registered")
    move_person_stage(demo_place, db, Caller("admin", Role.ADMIN), moved, ReadinessStage.REGISTERED)
    # The stage moved after the index was read: it must not answer any more, and
    # the ranking (from the graph) must show the move.
    assert holder.current() is None
    after = _ranking(demo_place, db, vacancy, index=holder)
    assert dict(after)[moved] > dict(before)[moved]
    assert holder.refresh()
    assert _ranking(demo_place, db, vacancy, index=holder) == after


def test_an_index_read_across_a_commit_is_dropped(
    demo_place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = neo4j_settings.database
    read_facts = holder_module._read_facts

    def read_while_someone_writes(tx):  # type: ignore[no-untyped-def]
        facts = read_facts(tx)
        demo_place.execute_query("CREATE (:Probe {at: timestamp()})", database_=db)
        return facts

    monkeypatch.setattr(holder_module, "_read_facts", read_while_someone_writes)
    holder = CandidateIndexHolder(demo_place, db)
    assert not holder.refresh()
    assert holder.current() is None


def test_reading_is_paced(
    demo_place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a read, the next waits long enough that reading takes only its share of
    the time (here a thousandth), however often the graph changes."""
    monkeypatch.setattr(holder_module, "READING_SHARE", 0.001)
    holder = CandidateIndexHolder(demo_place, neo4j_settings.database, rebuild_interval_s=0)
    holder.refresh_in_background()
    first = holder._reader
    assert first is not None
    first.join(60)
    assert holder.state == "ready"
    demo_place.execute_query("CREATE (:Probe)", database_=neo4j_settings.database)
    assert holder.current() is None  # stale, but the next read must wait its turn
    assert holder._reader is first
    assert holder.state == "ready"
