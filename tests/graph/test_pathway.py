"""The pathway service on a real Neo4j: steps in the pathway's order with the hub taken
again between them, needs nobody offers, and whose pathway a caseworker may ask for."""

from __future__ import annotations

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.errors import ForbiddenError, NotFoundError
from graph.models.paths import NodeKey
from graph.services.pathway import NOBODY_IN_SCOPE, pathway
from graph.settings import Neo4jSettings
from graph.vocabulary import Label

CONSENTED = "consent_given_at: datetime('2024-01-01T00:00:00')"

# p1 needs English and recognition of their nursing degree; p2 has no right to work, and
# nobody in the place gives immigration advice. The hub refers people to each provider
# and each works with the hub, so a person goes back to the hub between steps.
STORY = f"""
CREATE (nurse:Occupation {{id: 'nurse', preferred_label: 'nurse', regulated: true}})
CREATE (triage:Skill {{id: 'triage', preferred_label: 'triage'}})
CREATE (p1:Person {{id: 'p1', {CONSENTED}, consent_scopes: ['share:church'],
                    right_to_work: true, ielts_overall: 6.0, trained_as: 'nurse'}})
CREATE (p2:Person {{id: 'p2', {CONSENTED}, consent_scopes: ['share_with_hub'],
                    right_to_work: false, ielts_overall: 7.5, trained_as: 'nurse'}})
CREATE (p3:Person {{id: 'p3', right_to_work: true, ielts_overall: 6.0}})
CREATE (degree:Qualification {{id: 'degree'}})
CREATE (p1)-[:HOLDS]->(degree)-[:QUALIFIES_FOR {{status: 'partial'}}]->(nurse)
CREATE (p2)-[:HOLDS]->(:Qualification {{id: 'degree-2'}})-[:QUALIFIES_FOR {{status: 'recognised'}}]->(nurse)
CREATE (p1)-[:HAS_SKILL]->(triage)
CREATE (p2)-[:HAS_SKILL]->(triage)
CREATE (welcome:CommunityOrganisation {{id: 'welcome', name: 'Refugee Welcome'}})
CREATE (church:CommunityOrganisation {{id: 'church', name: 'Church Welcome'}})
CREATE (tuition:CommunityOrganisation {{id: 'tuition', name: 'Clinical English'}})
CREATE (classes:CommunityOrganisation {{id: 'classes', name: 'ESOL Classes'}})
CREATE (accred:CommunityOrganisation {{id: 'accred', name: 'Healthcare Pathways'}})
CREATE (tuition)-[:OFFERS]->(:Service {{id: 's1', name: 'IELTS preparation', service_type: 'ielts_tuition'}})
CREATE (classes)-[:OFFERS]->(:Service {{id: 's2', name: 'ESOL', service_type: 'english_classes'}})
CREATE (accred)-[:OFFERS]->(:Service {{id: 's3', name: 'Recognition help', service_type: 'accreditation_support'}})
CREATE (hub:Department {{id: 'hub', name: 'Learning Works', kind: 'employment_hub'}})
CREATE (trust:AnchorInstitution {{id: 'trust', name: 'City Hospital Trust'}})
CREATE (v:Vacancy {{id: 'v-nurse', title: 'Staff Nurse', min_ielts: 7.0, status: 'open'}})
CREATE (v)-[:FOR_OCCUPATION]->(nurse)
CREATE (v)-[:REQUIRES {{essential: true}}]->(triage)
CREATE (p1)-[:SUPPORTED_BY {{strength: 0.9}}]->(welcome)
CREATE (p2)-[:SUPPORTED_BY {{strength: 0.9}}]->(welcome)
CREATE (p3)-[:SUPPORTED_BY {{strength: 0.9}}]->(welcome)
CREATE (welcome)-[:REFERS_TO {{strength: 0.8}}]->(hub)
CREATE (welcome)-[:REFERS_TO {{strength: 0.9}}]->(classes)
CREATE (classes)-[:REFERS_TO {{strength: 0.9}}]->(hub)
CREATE (hub)-[:REFERS_TO {{strength: 0.7}}]->(tuition)
CREATE (hub)-[:REFERS_TO {{strength: 0.7}}]->(accred)
CREATE (hub)-[:PARTNERS_WITH]->(tuition)
CREATE (hub)-[:PARTNERS_WITH]->(accred)
CREATE (hub)-[:PART_OF]->(trust)
CREATE (trust)-[:POSTS]->(v)
"""

ADMIN = Caller("admin", Role.ADMIN)


@pytest.fixture
def story(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(STORY, database_=neo4j_settings.database)
    return clean_db


def _ask(driver: Driver, db: str, caller: Caller, person: str, **kw: int) -> list[list[str]]:
    found = pathway(driver, db, caller, NodeKey(label=Label.PERSON, id=person), "v-nurse", **kw)  # type: ignore[arg-type]
    return [[step.node.id for step in route.steps] for route in found.routes]


def test_steps_in_the_pathways_order_with_the_hub_between_them(
    story: Driver, neo4j_settings: Neo4jSettings
) -> None:
    found = pathway(
        story, neo4j_settings.database, ADMIN, NodeKey(label=Label.PERSON, id="p1"), "v-nurse"
    )
    assert [(n.kind, n.services, n.provider_ids) for n in found.needs] == [
        ("language", ["ielts_tuition"], ["tuition"]),
        ("qualification", ["accreditation_support", "mentoring"], ["accred"]),
    ]
    assert found.unmet == []
    best = found.routes[0]
    assert [step.node.id for step in best.steps] == [
        "p1", "welcome", "hub", "tuition", "hub", "accred", "hub", "trust", "v-nurse",
    ]  # fmt: skip
    assert [step.closes for step in best.steps] == [
        [], [], [], ["language"], [], ["qualification"], [], [], [],
    ]  # fmt: skip
    assert best.steps[3].services == ["IELTS preparation"]
    # Back to the hub along its referral (0.7), trusted more than the partnership (0.5).
    assert (
        best.steps[3].why
        == "closes: IELTS 7.0 needed, has 6.0, then sends them back to Learning Works"
    )
    back = best.steps[4].arrived_by
    assert back is not None
    assert (back.type, back.strength) == ("BACK_TO", 0.7)
    assert best.steps[0].why == "the person, who is supported by Refugee Welcome"
    assert best.steps[7].why == "the employer, which posts the Staff Nurse vacancy"
    # English classes do not bring anyone to an IELTS band: no route closes English there.
    assert all("classes" not in [s.node.id for s in r.steps if s.closes] for r in found.routes)


def test_a_need_nobody_offers_is_named_and_left_out_of_the_routes(
    story: Driver, neo4j_settings: Neo4jSettings
) -> None:
    found = pathway(
        story, neo4j_settings.database, ADMIN, NodeKey(label=Label.PERSON, id="p2"), "v-nurse"
    )
    assert [(n.kind, n.gaps, n.provider_ids) for n in found.unmet] == [
        ("right_to_work", ["no right to work yet"], [])
    ]
    assert [n.kind for n in found.needs] == ["right_to_work"]
    # Nothing else is missing, so the route is the referral path itself.
    assert [[s.node.id for s in r.steps] for r in found.routes][:1] == [
        ["p2", "welcome", "hub", "trust", "v-nurse"]
    ]


@pytest.mark.parametrize(
    ("caller", "person", "allowed"),
    [
        (Caller("cw", Role.CASEWORKER, "welcome"), "p1", True),  # supported by it
        (Caller("cw", Role.CASEWORKER, "church"), "p1", True),  # shares consent with it
        (Caller("cw", Role.CASEWORKER, "church"), "p2", False),
        (Caller("cw", Role.CASEWORKER, "hub"), "p2", True),  # shares with the hub
        (Caller("cw", Role.CASEWORKER, "hub"), "p1", False),
        (Caller("cw", Role.CASEWORKER, "welcome"), "p3", False),  # never consented
        (ADMIN, "p3", False),
        (ADMIN, "p-nobody", False),
    ],
)
def test_whose_pathway_a_caller_may_ask_for(
    story: Driver, neo4j_settings: Neo4jSettings, caller: Caller, person: str, allowed: bool
) -> None:
    if allowed:
        assert _ask(story, neo4j_settings.database, caller, person)
        return
    with pytest.raises(NotFoundError) as raised:
        _ask(story, neo4j_settings.database, caller, person)
    assert str(raised.value) == NOBODY_IN_SCOPE


def test_a_place_leader_never_starts_from_a_person(
    story: Driver, neo4j_settings: Neo4jSettings
) -> None:
    with pytest.raises(ForbiddenError):
        _ask(story, neo4j_settings.database, Caller("l", Role.PLACE_LEADER), "p1")
    found = pathway(
        story, neo4j_settings.database, Caller("l", Role.PLACE_LEADER),
        NodeKey(label=Label.COMMUNITY_ORGANISATION, id="welcome"), "v-nurse",
    )  # fmt: skip
    assert [n.kind for n in found.needs] == ["language", "qualification", "skill"]
    assert [n.kind for n in found.unmet] == ["skill"]  # nobody here mentors or places
    assert [s.node.id for s in found.routes[0].steps] == [
        "welcome", "hub", "tuition", "hub", "accred", "hub", "trust", "v-nurse",
    ]  # fmt: skip
