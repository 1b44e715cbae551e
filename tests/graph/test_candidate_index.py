"""The candidate index must rank exactly as the graph does, follow every write of the
product, and never answer once something it cannot account for has been committed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from neo4j import Driver

import graph.services.candidate_index as holder_module
from graph.access import Caller, Role
from graph.models.edges import Edge
from graph.models.people import ReadinessStage
from graph.models.provenance import Provenance
from graph.services.brokerage import brokerage_gaps
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.consent import withdraw_consent
from graph.services.hub_actions import move_person_stage
from graph.services.ingest import write_edges
from graph.services.matching import (
    MAX_FIRST,
    CandidateFilter,
    matching_candidates,
    person_facts,
)
from graph.services.personal import personal_details
from graph.settings import Neo4jSettings
from graph.vocabulary import Label, RelType
from loaders.demo import generate_demo, load_demo_folder

VACANCIES = "MATCH (v:Vacancy) RETURN v.id AS id ORDER BY id"
# Vacancies ranked per place, each under every filter, from the index and from the
# graph (the slow side): enough to give long rankings of every kind of vacancy.
RANKED_VACANCIES = 8
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


def state_of(holder: CandidateIndexHolder) -> str:
    # Read afresh each time: mypy would otherwise keep the first assert's narrowing of
    # `holder.state` across the write that changes it.
    return holder.state


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
    vacancies = vacancies[:: max(1, len(vacancies) // RANKED_VACANCIES)][:RANKED_VACANCIES]
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


def test_the_index_follows_each_change(demo_place: Driver, neo4j_settings: Neo4jSettings) -> None:
    """Writes of the product are applied to the index change by change (it keeps
    answering, read whole once); a write round the product retires it until reread."""
    db = neo4j_settings.database
    holder = CandidateIndexHolder(demo_place, db, rebuild_interval_s=3600)
    states = [holder.state]
    assert holder.refresh()
    states.append(holder.state)
    assert states == ["empty", "ready"]
    vacancy = demo_place.execute_query(VACANCIES, database_=db).records[0]["id"]
    before = _ranking(demo_place, db, vacancy, index=holder)
    people = [person for person, _ in before]
    facts = person_facts(demo_place, db, people)
    admin = Caller("admin", Role.ADMIN)
    provenance = Provenance(source="test", loader_version="test")
    skill = demo_place.execute_query("MATCH (s:Skill) RETURN s.id AS id ORDER BY id LIMIT 1",
                                     database_=db).records[0]["id"]  # fmt: skip
    moved = next(p for p in reversed(people) if facts[p].stage != "registered")
    writes: list[tuple[str, Callable[[], object]]] = [
        ("stage move", lambda: move_person_stage(demo_place, db, admin, moved,
                                                 ReadinessStage.REGISTERED)),
        ("employed leaves", lambda: move_person_stage(demo_place, db, admin, people[0],
                                                      ReadinessStage.EMPLOYED)),
        ("consent withdrawn", lambda: withdraw_consent(demo_place, db, admin, people[1],
                                                       source="test")),
        ("a skill edge", lambda: write_edges(demo_place, db, [Edge(
            rel_type=RelType.HAS_SKILL, from_label=Label.PERSON, to_label=Label.SKILL,
            from_id=people[-1], to_id=skill)], provenance)),
        ("details read", lambda: personal_details(demo_place, db, admin, [people[2]])),
    ]  # fmt: skip
    for what, write in writes:
        patches = holder.patches
        write()
        assert holder.current() is not None, f"the index stopped answering after {what}"
        got = _ranking(demo_place, db, vacancy, index=holder)
        assert got == _ranking(demo_place, db, vacancy), what
        if what == "details read":
            assert holder.patches == patches, "a commit of no matching fact costs the index nothing"
    ranked = dict(_ranking(demo_place, db, vacancy, index=holder))
    assert ranked[moved] > dict(before)[moved]
    assert people[1] not in ranked, "a withdrawn consent leaves the candidates"
    assert holder.whole_reads == 1
    # Round the product, as cypher-shell would: the journal cannot say what changed.
    demo_place.execute_query("MATCH (p:Person {id: $id}) SET p.stage = 'employed'",
                             id=moved, database_=db)  # fmt: skip
    assert holder.current() is None
    after = _ranking(demo_place, db, vacancy, index=holder)
    assert dict(after)[moved] < ranked[moved], "employed ranks below registered"
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
    assert state_of(holder) == "ready"
    demo_place.execute_query("CREATE (:Probe)", database_=neo4j_settings.database)
    assert holder.current() is None  # stale, but the next read must wait its turn
    assert holder._reader is first
    # Dropped (it cannot follow a write it cannot see), not being read: its turn is later.
    assert state_of(holder) == "empty"
