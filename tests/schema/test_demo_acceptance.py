"""Issue acceptance on the demo place: a person supported by a frontline organisation
gets a referral path through the employment hub to a hospital vacancy, in words."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from neo4j import Driver

from graph.access import Role
from graph.settings import Neo4jSettings

FRONTLINE_PERSON = """
MATCH (p:Person)-[:SUPPORTED_BY]->(o:CommunityOrganisation {org_type: 'frontline'})
      -[:REFERS_TO]->(hub:Department {kind: 'employment_hub'})-[:PART_OF]->(trust:AnchorInstitution)
      -[:POSTS]->(v:Vacancy)
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL AND v.shortage
RETURN p.id AS person, v.id AS vacancy, hub.name AS hub, trust.name AS trust
ORDER BY person, vacancy
LIMIT 1
"""

PATHS = """query ($from: ID!, $to: ID!) {
  referralPaths(from: $from, to: $to, k: 3, mode: STRONGEST_TRUST) {
    hops explanation nodes { id kind name } } }"""


def test_frontline_person_reaches_a_hospital_vacancy_through_the_hub(
    demo_place: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    records, _, _ = demo_place.execute_query(FRONTLINE_PERSON, database_=neo4j_settings.database)
    row = records[0]
    body = client_as(Role.CASEWORKER, "org-refugee-support").post(
        "/graphql",
        json={"query": PATHS, "variables": {"from": f"Person:{row['person']}",
                                            "to": f"Vacancy:{row['vacancy']}"}},
    ).json()  # fmt: skip
    paths = body["data"]["referralPaths"]
    through_hub = [p for p in paths if any(n["kind"] == "Department" for n in p["nodes"])]
    assert through_hub, paths
    words = through_hub[0]["explanation"]
    assert words.startswith("this person → ")
    assert f" → {row['hub']} → {row['trust']} → " in words
    assert words.endswith(" vacancy")
