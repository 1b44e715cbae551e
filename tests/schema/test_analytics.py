"""centrality and brokerageRoles over HTTP, on a place small enough to work by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from graph.access import Role
from graph.analytics.projection import PROJECTABLE_LABELS
from graph.settings import Neo4jSettings
from schema.analytics import NodeLabel
from tests.schema.place import into_default_place
from tests.schema.test_questions import gql

# Undirected: p3 - p1 - charity - hub - trust, and p2 - charity.
PLACE = """
CREATE (trust:AnchorInstitution {id: 'trust', name: 'City Hospital Trust'})
CREATE (hub:Department {id: 'hub', name: 'Learning Works'})-[:PART_OF]->(trust)
CREATE (charity:CommunityOrganisation {id: 'charity', name: 'Refugee Welcome'})-[:REFERS_TO {strength: 0.9}]->(hub)
CREATE (p1:Person {id: 'p1', consent_given_at: datetime('2024-01-01T00:00:00')})-[:SUPPORTED_BY {strength: 0.8}]->(charity)
CREATE (p2:Person {id: 'p2', consent_given_at: datetime('2024-01-01T00:00:00')})-[:SUPPORTED_BY {strength: 0.6}]->(charity)
CREATE (p3:Person {id: 'p3', consent_given_at: datetime('2024-01-01T00:00:00')})-[:KNOWS {strength: 0.7}]->(p1)
CREATE (p1)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {id: 'p1', name: 'Amina Hassan'})
"""

CENTRALITY = """
query ($measure: CentralityMeasure!, $labels: [NodeLabel!], $first: Int! = 20) {
  centrality(measure: $measure, labels: $labels, first: $first) {
    rank node kind name group score
  }
}
"""
ROLES = """
query ($groupBy: String! = "group", $first: Int! = 20) {
  brokerageRoles(groupBy: $groupBy, first: $first) {
    rank node kind name group coordinator itinerant representative gatekeeper liaison total
  }
}
"""


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    # Written by hand, so in no place: callers' tokens name the default place.
    into_default_place(clean_db, neo4j_settings.database)
    return clean_db


def test_betweenness_ranked_by_hand(place: Driver, client: TestClient) -> None:
    body = gql(client, CENTRALITY, measure="BETWEENNESS")
    assert "errors" not in body
    # charity lies between 8 of the 10 pairs, p1 and the hub between 4 each:
    # normalised by the 10 pairs of the other five nodes.
    assert [(e["node"], e["score"]) for e in body["data"]["centrality"]] == [
        ("CommunityOrganisation:charity", pytest.approx(0.8)),
        ("Department:hub", pytest.approx(0.4)),
        ("Person:p1", pytest.approx(0.4)),
        ("AnchorInstitution:trust", 0.0),
        ("Person:p2", 0.0),
        ("Person:p3", 0.0),
    ]
    first, person = body["data"]["centrality"][0], body["data"]["centrality"][2]
    assert first == {"rank": 1, "node": "CommunityOrganisation:charity", "kind": "CommunityOrganisation",
                     "name": "Refugee Welcome", "group": "intermediary", "score": pytest.approx(0.8)}  # fmt: skip
    assert person["name"] is None
    assert "Amina" not in str(body)


def test_pagerank_equals_networkx_and_labels_narrow(place: Driver, client: TestClient) -> None:
    graph = nx.Graph()
    graph.add_edge("Department:hub", "AnchorInstitution:trust", weight=1.0)
    graph.add_edge("CommunityOrganisation:charity", "Department:hub", weight=0.9)
    graph.add_edge("Person:p1", "CommunityOrganisation:charity", weight=0.8)
    graph.add_edge("Person:p2", "CommunityOrganisation:charity", weight=0.6)
    graph.add_edge("Person:p3", "Person:p1", weight=0.7)
    expected = nx.pagerank(graph, weight="weight")
    body = gql(client, CENTRALITY, measure="PAGERANK", first=3)
    ranked = body["data"]["centrality"]
    best = sorted(expected, key=lambda n: -expected[n])[:3]
    assert [(e["node"], e["score"]) for e in ranked] == [
        (node, pytest.approx(expected[node], abs=1e-9)) for node in best
    ]
    body = gql(client, CENTRALITY, measure="DEGREE",
               labels=["COMMUNITY_ORGANISATION", "DEPARTMENT", "ANCHOR_INSTITUTION"])  # fmt: skip
    assert [(e["node"], e["score"]) for e in body["data"]["centrality"]] == [
        ("Department:hub", 1.0),
        ("AnchorInstitution:trust", 0.5),
        ("CommunityOrganisation:charity", 0.5),
    ]


def test_constraint_puts_the_least_constrained_first(place: Driver, client: TestClient) -> None:
    body = gql(client, CENTRALITY, measure="CONSTRAINT", first=2)
    assert [e["node"] for e in body["data"]["centrality"]] == [
        "CommunityOrganisation:charity",
        "Department:hub",
    ]


def test_articulation_counts_who_would_be_cut_off(place: Driver, client: TestClient) -> None:
    body = gql(client, CENTRALITY, measure="ARTICULATION", first=3)
    # Without charity, p1-p3 (2) and hub-trust (2) split and p2 is alone: 3 cut off
    # from the largest part; without p1, p3 alone; without the hub, the trust.
    assert [(e["node"], e["score"]) for e in body["data"]["centrality"]] == [
        ("CommunityOrganisation:charity", 3.0),
        ("Department:hub", 1.0),
        ("Person:p1", 1.0),
    ]


def test_brokerage_roles_by_group_and_by_label(place: Driver, client: TestClient) -> None:
    body = gql(client, ROLES)
    rows = [(e["node"], e["gatekeeper"], e["representative"], e["liaison"], e["total"])
            for e in body["data"]["brokerageRoles"]]  # fmt: skip
    # charity lets p1 and p2 in to the hub; the hub represents the intermediaries
    # to the trust; p1 carries p3's contact to the charity (KNOWS runs both ways).
    assert rows == [
        ("CommunityOrganisation:charity", 2, 0, 0, 2),
        ("Department:hub", 0, 1, 0, 1),
        ("Person:p1", 0, 1, 0, 1),
    ]
    by_label = gql(client, ROLES, groupBy="label")["data"]["brokerageRoles"]
    assert [(e["node"], e["group"], e["liaison"], e["representative"]) for e in by_label] == [
        ("CommunityOrganisation:charity", "CommunityOrganisation", 2, 0),
        ("Department:hub", "Department", 1, 0),
        ("Person:p1", "Person", 0, 1),
    ]


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (ROLES, {"groupBy": "colour"}, "groupBy must be one of group, label"),
        (ROLES, {"first": 0}, "first must be between 1 and 1000"),
        (CENTRALITY, {"measure": "DEGREE", "first": 1001}, "first must be between 1 and 1000"),
    ],
)
def test_bad_arguments_are_coded(
    place: Driver, client: TestClient, query: str, variables: dict[str, Any], message: str
) -> None:
    body = gql(client, query, **variables)
    assert body["data"] is None
    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_unknown_labels_fail_validation(place: Driver, client: TestClient) -> None:
    body = gql(client, "{ centrality(measure: DEGREE, labels: [PERSONAL_RECORD]) { node } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "'PERSONAL_RECORD' does not exist in 'NodeLabel'" in body["errors"][0]["message"]


def test_place_leaders_may_ask(place: Driver, client_as: Callable[..., TestClient]) -> None:
    leader = client_as(Role.PLACE_LEADER)
    assert gql(leader, CENTRALITY, measure="DEGREE", first=1)["data"]["centrality"][0]["node"] == (
        "CommunityOrganisation:charity"
    )
    assert gql(leader, ROLES, first=1)["data"]["brokerageRoles"][0]["total"] == 2


def test_place_leaders_get_no_row_per_person(
    place: Driver, client_as: Callable[..., TestClient]
) -> None:
    """Probe F5: with ids hidden, a row per person still counted people one by one (and
    showed a withdrawal at once). People are left out for a place leader; ranks follow."""
    leader = client_as(Role.PLACE_LEADER)
    ranked = gql(leader, CENTRALITY, measure="DEGREE", first=50)["data"]["centrality"]
    assert [(row["rank"], row["node"]) for row in ranked] == [
        (1, "CommunityOrganisation:charity"), (2, "Department:hub"),
        (3, "AnchorInstitution:trust"),
    ]  # fmt: skip
    people_only = gql(leader, CENTRALITY, measure="DEGREE", labels=["PERSON"], first=50)
    assert people_only["data"]["centrality"] == []
    roles = gql(leader, ROLES, first=50)["data"]["brokerageRoles"]
    assert [row["kind"] for row in roles] == ["CommunityOrganisation", "Department"]
    assert [row["rank"] for row in roles] == [1, 2]


def test_node_labels_are_the_projectable_ones() -> None:
    assert {label.value for label in NodeLabel} == {label.value for label in PROJECTABLE_LABELS}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CASEWORKER, Role.ADMIN])
def test_people_who_never_consented_or_withdrew_are_not_ranked(
    place: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient], role: Role
) -> None:
    """Finding 2 of issue 13: centrality(labels: [PERSON]) and brokerageRoles listed every
    non-consenting person by id, a withdrawn person first."""
    place.execute_query(
        "MATCH (p1:Person {id: 'p1'}), (charity:CommunityOrganisation {id: 'charity'}) "
        "CREATE (w:Person {id: 'p-withdrawn', consent_given_at: datetime('2024-01-01T00:00:00'),"
        " consent_withdrawn_at: datetime()})-[:KNOWS]->(p1) "
        "CREATE (n:Person {id: 'p-never'})-[:KNOWS]->(p1) "
        "CREATE (w)-[:SUPPORTED_BY]->(charity), (n)-[:SUPPORTED_BY]->(charity)",
        database_=neo4j_settings.database,
    )
    client = client_as(role, "charity" if role is Role.CASEWORKER else None)
    ranked = gql(client, CENTRALITY, measure="DEGREE", labels=["PERSON"], first=50)
    roles = gql(client, ROLES, first=50)
    assert "errors" not in ranked
    assert "errors" not in roles
    assert sorted(row["node"] for row in ranked["data"]["centrality"]) == [
        "Person:p1", "Person:p2", "Person:p3",
    ]  # fmt: skip
    text = str(roles)
    assert "p-withdrawn" not in text
    assert "p-never" not in text
