"""Ranking reads people as kinds (facts cut down to what the vacancy asks); on the
generated demo place, every candidate's score and gaps from the kind must equal
those from the person's whole facts, and the ranking must equal brute force."""

from __future__ import annotations

from neo4j import Driver

from graph.algorithms.matching import MatchWeights, gaps_for, open_gap_count, score
from graph.services.matching import (
    candidate_kinds,
    matching_candidates,
    person_facts,
    vacancy_requirements,
)
from graph.settings import Neo4jSettings

OPEN_VACANCIES = "MATCH (v:Vacancy {status: 'open'}) RETURN v.id AS id ORDER BY id"


def test_kinds_score_and_gap_like_whole_facts(
    demo_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db, weights = neo4j_settings.database, MatchWeights()
    ids = [r["id"] for r in demo_place.execute_query(OPEN_VACANCIES, database_=db).records]
    vacancies = vacancy_requirements(demo_place, db, ids)
    assert len(vacancies) >= 5
    compared = 0
    for vacancy in vacancies.values():
        kinds = candidate_kinds(demo_place, db, [vacancy])
        gap_kinds = {p: k for k in candidate_kinds(demo_place, db, [vacancy], for_gaps=True)
                     for p in k.people}  # fmt: skip
        people = [p for kind in kinds for p in kind.people]
        assert len(people) == len(set(people))
        whole = person_facts(demo_place, db, people)
        assert set(whole) == set(people)
        for kind in kinds:
            for person in kind.people:
                assert score(kind.facts, vacancy, weights) == score(whole[person], vacancy, weights)
                assert [g.description for g in gaps_for(kind.facts, vacancy)] == [
                    g.description for g in gaps_for(whole[person], vacancy)
                ]
                if person in gap_kinds:
                    assert open_gap_count(gap_kinds[person].facts, vacancy) == len(
                        gaps_for(whole[person], vacancy)
                    )
                compared += 1
        # Brute force: every candidate scored on whole facts, best first.
        expected = sorted(whole, key=lambda p: (-score(whole[p], vacancy, weights), p))[:20]
        got = matching_candidates(demo_place, db, vacancy.id, first=20)
        assert [m.person_id for m in got] == expected
    assert compared > 500
