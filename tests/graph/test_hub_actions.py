from __future__ import annotations

from datetime import date

import pytest
from neo4j import Driver

from graph.errors import InvalidInputError, NotFoundError
from graph.models.anchors import Vacancy
from graph.models.paths import NodeKey
from graph.models.people import ReadinessStage
from graph.services.hub_actions import (
    close_vacancy,
    move_person_stage,
    open_vacancy,
    record_referral,
)
from graph.settings import Neo4jSettings
from graph.vocabulary import Label

PLACE = """
CREATE (:CommunityOrganisation {id: 'welcome', name: 'Refugee Welcome'})
CREATE (hub:Department {id: 'hub', name: 'Learning Works'})
CREATE (:AnchorInstitution {id: 'trust', name: 'Trust'})
CREATE (:Skill {id: 'care', preferred_label: 'care'})
CREATE (:Person {id: 'p1', consent_given_at: datetime('2024-01-01T00:00:00'), stage: 'engaged',
                 stage_names: ['engaged'], stage_dates: [date('2024-01-10')]})
CREATE (:Person {id: 'private', stage: 'engaged'})
"""


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    return clean_db


def test_referrals_count_up(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    welcome = NodeKey(label=Label.COMMUNITY_ORGANISATION, id="welcome")
    hub = NodeKey(label=Label.DEPARTMENT, id="hub")
    first = record_referral(place, db, welcome, hub, on=date(2025, 3, 1), strength=0.7)
    second = record_referral(place, db, welcome, hub, on=date(2025, 4, 1))
    assert (first.count, second.count) == (1, 2)
    assert second.since == date(2025, 3, 1)
    assert second.strength == 0.7
    with pytest.raises(InvalidInputError, match="cannot refer"):
        record_referral(place, db, hub, NodeKey(label=Label.ANCHOR_INSTITUTION, id="trust"))
    with pytest.raises(NotFoundError):
        record_referral(place, db, welcome, NodeKey(label=Label.DEPARTMENT, id="nope"))


def test_stage_moves_append_history_in_order(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    move_person_stage(place, db, "p1", ReadinessStage.LANGUAGE_TRAINING, date(2024, 5, 1))
    records, _, _ = place.execute_query(
        "MATCH (p:Person {id: 'p1'}) RETURN p.stage AS s, p.stage_names AS n, p.stage_dates AS d",
        database_=db,
    )
    row = records[0]
    assert row["s"] == "language_training"
    assert row["n"] == ["engaged", "language_training"]
    assert [d.to_native() for d in row["d"]] == [date(2024, 1, 10), date(2024, 5, 1)]
    with pytest.raises(InvalidInputError, match="before the last stage change"):
        move_person_stage(place, db, "p1", ReadinessStage.PLACEMENT, date(2024, 4, 1))
    with pytest.raises(NotFoundError):
        move_person_stage(place, db, "private", ReadinessStage.PLACEMENT)


def test_open_and_close_a_vacancy(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    vacancy = Vacancy(id="v1", title="Staff Nurse", anchor_id="trust", essential_skill_ids=["care"],
                      min_ielts=7.0, shortage=True)  # fmt: skip
    open_vacancy(place, db, vacancy)
    close_vacancy(place, db, "v1", filled=True, on=date(2025, 1, 31))
    records, _, _ = place.execute_query(
        "MATCH (:AnchorInstitution {id: 'trust'})-[:POSTS]->(v:Vacancy {id: 'v1'})-[:REQUIRES]->(s) "
        "RETURN v.status AS status, v.closes AS closes, s.id AS skill",
        database_=db,
    )
    assert [(r["status"], r["closes"].to_native(), r["skill"]) for r in records] == [
        ("filled", date(2025, 1, 31), "care")
    ]
    with pytest.raises(InvalidInputError, match="anchor_id: unknown AnchorInstitution id 'nope'"):
        open_vacancy(place, db, vacancy.model_copy(update={"id": "v2", "anchor_id": "nope"}))
    with pytest.raises(NotFoundError):
        close_vacancy(place, db, "nope")
