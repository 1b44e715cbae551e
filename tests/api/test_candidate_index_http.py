"""Over HTTP with the candidate index on: /readyz reports it, and matchingCandidates
and brokerageGaps answer as they do with it off."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient
from neo4j import Driver

from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.settings import Neo4jSettings
from tests.conftest import bearer

MATCHING = """
query($v: ID!) { matchingCandidates(vacancyId: $v, first: 50) {
  person score factors { name value } gaps { kind description } } }
"""
BROKERAGE = """
query($a: ID!, $o: ID) { brokerageGaps(anchorId: $a, occupation: $o) {
  candidates linked unlinkedSupply { people } criticalBrokers { pairsCut } } }
"""
SHORTAGE = """
MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {shortage: true})-[:FOR_OCCUPATION]->(o:Occupation)
RETURN a.id AS anchor, v.id AS vacancy, o.id AS occupation ORDER BY vacancy LIMIT 3
"""


def _answers(client: TestClient, targets: list[dict[str, str]]) -> list[Any]:
    answers = []
    for t in targets:
        for query, variables in (
            (MATCHING, {"v": f"Vacancy:{t['vacancy']}"}),
            (BROKERAGE, {"a": f"AnchorInstitution:{t['anchor']}",
                         "o": f"Occupation:{t['occupation']}"}),
        ):  # fmt: skip
            response = client.post("/graphql", json={"query": query, "variables": variables})
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body
            answers.append(body["data"])
    return answers


def _index_state(client: TestClient) -> str:
    return str(client.get("/readyz").json()["candidateIndex"])


def test_the_index_answers_as_the_graph_does(
    demo_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    targets = [r.data() for r in demo_place.execute_query(SHORTAGE, database_=db).records]
    assert targets
    headers = bearer(Role.CASEWORKER, "org-refugee-support")
    with TestClient(create_app(ApiSettings(candidate_index=False), neo4j_settings)) as off:
        off.headers.update(headers)
        assert _index_state(off) == "off"
        expected = _answers(off, targets)
    with TestClient(create_app(ApiSettings(candidate_index=True), neo4j_settings)) as on:
        on.headers.update(headers)
        deadline = time.monotonic() + 60
        while _index_state(on) != "ready" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _index_state(on) == "ready"
        assert _answers(on, targets) == expected
        assert on.app.state.assetbridge.candidate_index.current() is not None  # type: ignore[attr-defined]
