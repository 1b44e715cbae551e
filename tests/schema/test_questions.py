"""The three questions and the hub mutations over HTTP, on a real Neo4j."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.graph.test_brokerage import PLACE as BROKERAGE_PLACE
from tests.graph.test_matching import PLACE as MATCHING_PLACE


def gql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def matching_place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(MATCHING_PLACE, database_=neo4j_settings.database)
    return clean_db


@pytest.fixture
def brokerage_place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(BROKERAGE_PLACE, database_=neo4j_settings.database)
    return clean_db


PATHS = """
query ($from: ID!, $to: ID!, $mode: PathMode!) {
  referralPaths(from: $from, to: $to, k: 2, maxHops: 6, mode: $mode) {
    hops cost explanation
    nodes { id kind name }
    relationships { type strength }
  }
}
"""


def test_referral_path_through_the_hub_explained(
    matching_place: Driver, client: TestClient
) -> None:
    body = gql(client, PATHS, **{"from": "Person:ready", "to": "Vacancy:v-nurse",
                                 "mode": "STRONGEST_TRUST"})  # fmt: skip
    paths = body["data"]["referralPaths"]
    assert [n["id"] for n in paths[0]["nodes"]] == [
        "Person:ready", "CommunityOrganisation:welcome", "Department:hub",
        "AnchorInstitution:trust", "Vacancy:v-nurse",
    ]  # fmt: skip
    assert paths[0]["explanation"] == (
        "this person → Refugee Welcome → Learning Works → City Hospital Trust → Staff Nurse vacancy"
    )
    assert paths[0]["nodes"][0]["name"] is None


def test_referral_path_errors_are_coded(matching_place: Driver, client: TestClient) -> None:
    wrong_kind = gql(client, PATHS, **{"from": "Skill:sk-care", "to": "Vacancy:v-nurse",
                                       "mode": "FEWEST_HOPS"})  # fmt: skip
    assert wrong_kind["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    private = gql(client, PATHS, **{"from": "Person:private", "to": "Vacancy:v-nurse",
                                    "mode": "FEWEST_HOPS"})  # fmt: skip
    assert private["errors"][0]["extensions"]["code"] == "NOT_FOUND"


MATCHING = """
query ($vacancy: ID!) {
  matchingCandidates(vacancyId: $vacancy, first: 5) {
    person score
    factors { name value contribution }
    gaps { kind description providers { name supportsPerson } }
    referralPath { explanation }
  }
}
"""


def test_matching_candidates_over_graphql(matching_place: Driver, client: TestClient) -> None:
    matches = gql(client, MATCHING, vacancy="Vacancy:v-nurse")["data"]["matchingCandidates"]
    assert [m["person"] for m in matches] == ["Person:ready", "Person:learner"]
    learner = matches[1]
    assert learner["gaps"] == [
        {
            "kind": "language",
            "description": "IELTS 7.0 needed, has 6.0",
            "providers": [
                {"name": "Refugee Welcome", "supportsPerson": True},
                {"name": "English for Work", "supportsPerson": False},
            ],
        }
    ]
    assert matches[0]["referralPath"]["explanation"] == (
        "Learning Works → Refugee Welcome → this person"
    )


def test_opportunities_for_over_graphql(matching_place: Driver, client: TestClient) -> None:
    body = gql(
        client, '{ opportunitiesFor(personId: "Person:ready") { vacancy vacancyTitle score } }'
    )
    assert [(m["vacancy"], m["vacancyTitle"]) for m in body["data"]["opportunitiesFor"]] == [
        ("Vacancy:v-nurse", "Staff Nurse")
    ]


BROKERAGE = """
{ brokerageGaps(anchorId: "AnchorInstitution:trust", occupation: "Occupation:nurse") {
    candidates linked
    unlinkedSupply { organisation { id name } people personIds }
    criticalBrokers { node { id } pairsCut }
    suggestedLinks { source { id } target { id } reconnects reason }
} }
"""


def test_brokerage_gaps_over_graphql(brokerage_place: Driver, client: TestClient) -> None:
    gaps = gql(client, BROKERAGE)["data"]["brokerageGaps"]
    assert (gaps["candidates"], gaps["linked"]) == (7, 5)
    assert gaps["unlinkedSupply"] == [
        {"organisation": {"id": "CommunityOrganisation:C", "name": "Newcomers Network"},
         "people": 2, "personIds": ["Person:p4", "Person:p5"]}
    ]  # fmt: skip
    assert gaps["criticalBrokers"][:2] == [
        {"node": {"id": "CommunityOrganisation:A"}, "pairsCut": 4},
        {"node": {"id": "Department:hub"}, "pairsCut": 4},
    ]
    assert [
        (s["source"]["id"], s["target"]["id"], s["reconnects"]) for s in gaps["suggestedLinks"]
    ] == [("CommunityOrganisation:C", "Department:hub", 2)]


def test_hub_mutations(matching_place: Driver, client: TestClient) -> None:
    referral = gql(
        client,
        """mutation { recordReferral(from: "CommunityOrganisation:english",
        to: "Department:hub", on: "2025-02-01", strength: 0.6) { from to count since strength } }""",
    )
    assert referral["data"]["recordReferral"] == {
        "from": "CommunityOrganisation:english", "to": "Department:hub", "count": 1,
        "since": "2025-02-01", "strength": 0.6,
    }  # fmt: skip
    moved = gql(
        client,
        """mutation { movePersonStage(personId: "Person:learner",
        stage: ACCREDITATION, on: "2025-03-01") { id stage } }""",
    )
    assert moved["data"]["movePersonStage"] == {"id": "Person:learner", "stage": "ACCREDITATION"}
    opened = gql(
        client,
        """mutation { openVacancy(input: {id: "v-pharm", title: "Pharmacist",
        anchor: "AnchorInstitution:trust", essentialSkills: ["Skill:sk-care"], minIelts: 7.0,
        shortage: true}) { id status shortage essentialSkills { id } } }""",
    )
    assert opened["data"]["openVacancy"] == {
        "id": "Vacancy:v-pharm", "status": "OPEN", "shortage": True,
        "essentialSkills": [{"id": "Skill:sk-care"}],
    }  # fmt: skip
    closed = gql(
        client, 'mutation { closeVacancy(id: "Vacancy:v-pharm", filled: true) { status } }'
    )
    assert closed["data"]["closeVacancy"] == {"status": "FILLED"}
    bad = gql(
        client,
        """mutation { openVacancy(input: {id: "v-x", title: "X",
        anchor: "AnchorInstitution:nowhere"}) { id } }""",
    )
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "anchor_id: unknown AnchorInstitution id 'nowhere'" in bad["errors"][0]["message"]
