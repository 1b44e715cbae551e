"""brokerageGaps, centrality, brokerageRoles and an organisation's people count over two
places (issue 15, isolation): a place leader or analyst of Leeds never receives a Bradford
id, name or count, and an answer is the one Leeds' own nodes and ties give; an
administrator's answer holds both places.

The place is tests/graph/test_brokerage.py's, all in Leeds, with Bradford added: every
node only Bradford holds has an id starting ``brad-``, so "brad" anywhere in a Leeds
caller's answer is a leak. The trust and organisation D are in both places.
- brad-bridge (Bradford) joins C to the hub: for an administrator C's people p4 and p5
  reach the trust through it; for Leeds they are unlinked.
- p10 (Leeds) knows brad-p3 (Bradford), whom D supports: for an administrator p10 is
  linked by word of mouth; for Leeds p10 has no way in.
- brad-p1 and brad-p2, nurses of brad-org (no ties), are candidates only for an
  administrator, and unlinked.
- D supports p3 (Leeds) and brad-p3 (Bradford): Leeds counts one, an administrator two.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.services.brokerage import brokerage_gaps
from graph.services.candidate_index import CandidateIndexHolder
from graph.settings import Neo4jSettings
from tests.graph.test_brokerage import PLACE, READY, YES
from tests.schema.place import run

BRADFORD = f"""
MATCH (n) WHERE n:Person OR n:CommunityOrganisation OR n:Department OR n:Vacancy
  OR n:AnchorInstitution
SET n.place_ids = ['leeds']
WITH count(*) AS placed
MATCH (trust:AnchorInstitution {{id: 'trust'}}), (hub:Department {{id: 'hub'}}),
      (c:CommunityOrganisation {{id: 'C'}}), (d:CommunityOrganisation {{id: 'D'}}),
      (care:Skill {{id: 'care'}}), (nurse:Occupation {{id: 'nurse'}})
SET trust.place_ids = ['leeds', 'bradford'], d.place_ids = ['leeds', 'bradford']
CREATE (bridge:CommunityOrganisation {{id: 'brad-bridge', name: 'Bradford Bridge',
        place_ids: ['bradford']}})
CREATE (c)-[:REFERS_TO]->(bridge)-[:REFERS_TO]->(hub)
CREATE (org:CommunityOrganisation {{id: 'brad-org', name: 'Bradford Welcome',
        place_ids: ['bradford']}})
CREATE (:AnchorInstitution {{id: 'brad-anchor', name: 'Bradford Royal',
        place_ids: ['bradford']}})
CREATE (bp1:Person {{id: 'brad-p1', {READY}, place_ids: ['bradford']}})-[:SUPPORTED_BY]->(org)
CREATE (bp2:Person {{id: 'brad-p2', {READY}, place_ids: ['bradford']}})-[:SUPPORTED_BY]->(org)
CREATE (bp3:Person {{id: 'brad-p3', {YES}, place_ids: ['bradford']}})-[:SUPPORTED_BY]->(d)
CREATE (p10:Person {{id: 'p10', {READY}, place_ids: ['leeds']}})-[:KNOWS]->(bp3)
CREATE (bp1)-[:HAS_SKILL]->(care), (bp2)-[:HAS_SKILL]->(care), (p10)-[:HAS_SKILL]->(care)
"""

GAPS = """{ brokerageGaps(anchorId: "AnchorInstitution:trust", occupation: "Occupation:nurse") {
  candidates linked unlinked
  unlinkedSupply { organisation { id name } people personIds }
  criticalBrokers { node { id name } pairsCut }
  criticalTies { source { id } target { id } pairsCut }
  suggestedLinks { source { id name } target { id } reconnects reason } } }"""
CENTRALITY = """{ centrality(measure: DEGREE, first: 100) { node name score } }"""
ROLES = """{ brokerageRoles(first: 100) { node name total } }"""
COUNT = """query ($id: ID!) { node(id: $id) { ... on CommunityOrganisation { peopleCount } } }"""

ADMIN = Caller(subject="t-admin", role=Role.ADMIN)
LEEDS_ANALYST = Caller(subject="t-analyst", role=Role.ANALYST, places=frozenset({"leeds"}))
LEEDS_LEADER = Caller(subject="t-leader", role=Role.PLACE_LEADER, places=frozenset({"leeds"}))
BRADFORD_ANALYST = Caller(subject="t-b", role=Role.ANALYST, places=frozenset({"bradford"}))


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    clean_db.execute_query(BRADFORD, database_=neo4j_settings.database)
    return clean_db


def _data(driver: Driver, settings: Neo4jSettings, query: str, caller: Caller) -> Any:
    body = run(driver, settings, query, caller=caller)
    assert "errors" not in body, body
    return body["data"]


def _supply(gaps: dict[str, Any]) -> list[tuple[str | None, list[str]]]:
    return [
        (group["organisation"]["id"] if group["organisation"] else None, group["personIds"])
        for group in gaps["unlinkedSupply"]
    ]


def test_brokerage_gaps_of_a_leeds_analyst_are_leeds_own(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    gaps = _data(two_places, neo4j_settings, GAPS, LEEDS_ANALYST)["brokerageGaps"]
    # p1, p2, p3, p6, p8 linked as on one place; C's people and p10 have no way in.
    assert (gaps["candidates"], gaps["linked"], gaps["unlinked"]) == (8, 5, 3)
    assert _supply(gaps) == [
        ("CommunityOrganisation:C", ["Person:p4", "Person:p5"]),
        (None, ["Person:p10"]),
    ]
    assert "brad" not in json.dumps(gaps).lower()


def test_an_administrators_brokerage_gaps_hold_both_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    gaps = _data(two_places, neo4j_settings, GAPS, ADMIN)["brokerageGaps"]
    # C's people through Bradford's bridge, p10 through its Bradford friend.
    assert (gaps["candidates"], gaps["linked"], gaps["unlinked"]) == (10, 8, 2)
    assert _supply(gaps) == [
        ("CommunityOrganisation:brad-org", ["Person:brad-p1", "Person:brad-p2"]),
    ]
    assert "CommunityOrganisation:brad-bridge" in {
        broker["node"]["id"] for broker in gaps["criticalBrokers"]
    }


def test_a_leeds_place_leader_sees_no_bradford_in_brokerage_gaps(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # Everything but the person ids, which a place leader may not ask for.
    body = run(two_places, neo4j_settings, GAPS.replace("personIds", ""), caller=LEEDS_LEADER)
    assert "errors" not in body, body
    assert "brad" not in json.dumps(body).lower()
    brokers = {b["node"]["id"] for b in body["data"]["brokerageGaps"]["criticalBrokers"]}
    assert brokers == {
        "CommunityOrganisation:A", "Department:hub", "CommunityOrganisation:B",
        "CommunityOrganisation:D",
    }  # fmt: skip


def test_another_places_anchor_is_answered_as_an_unknown_one(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def error(anchor: str, caller: Caller) -> dict[str, Any]:
        query = f'{{ brokerageGaps(anchorId: "AnchorInstitution:{anchor}") {{ linked }} }}'
        (found,) = run(two_places, neo4j_settings, query, caller=caller)["errors"]
        return {"message": found["message"], "code": found["extensions"]["code"]}

    unknown = error("nowhere", LEEDS_ANALYST)
    assert unknown["code"] == "NOT_FOUND"
    assert error("brad-anchor", LEEDS_ANALYST) == {
        **unknown, "message": unknown["message"].replace("nowhere", "brad-anchor"),
    }  # fmt: skip
    query = '{ brokerageGaps(anchorId: "AnchorInstitution:brad-anchor") { candidates } }'
    assert _data(two_places, neo4j_settings, query, BRADFORD_ANALYST) == {
        "brokerageGaps": {"candidates": 0}
    }


@pytest.mark.parametrize("query", [CENTRALITY, ROLES])
def test_network_rankings_of_leeds_hold_only_leeds_nodes(
    two_places: Driver, neo4j_settings: Neo4jSettings, query: str
) -> None:
    field = "centrality" if query is CENTRALITY else "brokerageRoles"
    everyone = {row["node"] for row in _data(two_places, neo4j_settings, query, ADMIN)[field]}
    assert "CommunityOrganisation:brad-bridge" in everyone
    for caller in (LEEDS_ANALYST, LEEDS_LEADER):
        body = run(two_places, neo4j_settings, query, caller=caller)
        assert "errors" not in body, body
        assert "brad" not in json.dumps(body).lower(), caller
    leeds = {row["node"] for row in _data(two_places, neo4j_settings, query, LEEDS_ANALYST)[field]}
    assert "Person:p1" in leeds
    assert leeds < everyone


def test_centrality_of_leeds_is_that_of_leeds_ties_only(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def scores(caller: Caller) -> dict[str, float]:
        rows = _data(two_places, neo4j_settings, CENTRALITY, caller)["centrality"]
        return {row["node"]: row["score"] for row in rows}

    # Leeds: 9 people (p1..p8 but p9, and p10), A B C D, the hub and the trust: 15 nodes.
    # D's ties there are p3 and the trust; Bradford's brad-p3 is gone with its tie.
    assert scores(LEEDS_ANALYST)["CommunityOrganisation:D"] == pytest.approx(2 / 14)
    # Every place: 21 nodes (brad-p1, brad-p2, brad-p3, brad-org, brad-bridge, brad-anchor).
    assert scores(ADMIN)["CommunityOrganisation:D"] == pytest.approx(3 / 20)


def test_an_organisation_in_two_places_counts_each_callers_people(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def count(organisation: str, caller: Caller) -> int:
        variables = {"id": f"CommunityOrganisation:{organisation}"}
        body = run(two_places, neo4j_settings, COUNT, variables, caller=caller)
        assert "errors" not in body, body
        return int(body["data"]["node"]["peopleCount"])

    # A (Leeds only) supports p1, p7 and p8 whoever asks; D supports p3 and brad-p3.
    assert (count("A", LEEDS_ANALYST), count("D", LEEDS_ANALYST)) == (3, 1)
    assert (count("A", ADMIN), count("D", ADMIN)) == (3, 2)
    assert count("D", BRADFORD_ANALYST) == 1


def test_brokerage_gaps_from_the_candidate_index_cut_to_the_places_alike(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    index = CandidateIndexHolder(two_places, db)
    assert index.refresh()
    for places in (["leeds"], None):
        fresh = brokerage_gaps(two_places, db, "trust", occupation_id="nurse", places=places)
        indexed = brokerage_gaps(
            two_places, db, "trust", occupation_id="nurse", places=places, index=index
        )
        assert indexed == fresh
    assert (fresh.candidates, indexed.candidates) == (10, 10)
    leeds = brokerage_gaps(two_places, db, "trust", places=["leeds"], index=index)
    assert (leeds.candidates, leeds.linked) == (8, 5)
