"""Small-cell suppression: what a place leader sees of counts of people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.access import Caller, Role
from graph.algorithms.disclosure import round_to, suppress
from graph.models import brokerage
from graph.models.paths import PathNode
from graph.settings import Neo4jSettings
from graph.vocabulary import Label
from schema.questions import BrokerageGaps
from tests.schema.place import into_default_place


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), min_size=1, max_size=8))
def test_no_hidden_cell_can_be_recovered_from_a_shown_total(cells: dict[str, int]) -> None:
    shown, total = suppress(cells, total=sum(cells.values()))
    hidden = [k for k, v in shown.items() if v is None]
    assert all(v is None or v >= 10 for v in shown.values())
    if total is not None and hidden:
        # Never a lone hidden cell (total minus the rest would give it), and the hidden
        # cells together are never a small number either.
        assert len(hidden) >= 2
        assert sum(cells[k] for k in hidden) >= 10


YES = "consent_given_at: datetime('2024-01-01T00:00:00'), right_to_work: true, ielts_overall: 7.5"

PLACE = f"""
CREATE (trust:AnchorInstitution {{id: 'trust', name: 'City Hospital Trust'}})
CREATE (nurse:Occupation {{id: 'nurse', preferred_label: 'nurse'}})
CREATE (doctor:Occupation {{id: 'doctor', preferred_label: 'doctor'}})
CREATE (nursing:Skill {{id: 'nursing', preferred_label: 'nursing'}})
CREATE (medicine:Skill {{id: 'medicine', preferred_label: 'medicine'}})
CREATE (trust)-[:POSTS]->(vn:Vacancy {{id: 'v-nurse', title: 'Nurse', shortage: true, status: 'open'}})
CREATE (trust)-[:POSTS]->(vd:Vacancy {{id: 'v-doc', title: 'Doctor', shortage: true, status: 'open'}})
CREATE (vn)-[:FOR_OCCUPATION]->(nurse), (vn)-[:REQUIRES {{essential: true}}]->(nursing)
CREATE (vd)-[:FOR_OCCUPATION]->(doctor), (vd)-[:REQUIRES {{essential: true}}]->(medicine)
WITH nursing, medicine
UNWIND range(1, 7) AS i
CREATE (:Person {{id: 'n' + i, {YES}}})-[:HAS_SKILL]->(nursing)
WITH DISTINCT medicine
UNWIND range(1, 17) AS i
CREATE (:Person {{id: 'd' + i, {YES}}})-[:HAS_SKILL]->(medicine)
"""

QUERY = 'query ($o: ID) { brokerageGaps(anchorId: "AnchorInstitution:trust", occupation: $o) { candidates linked unlinked } }'


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    into_default_place(clean_db, neo4j_settings.database)
    return clean_db


def _ask(client: TestClient, occupation: str | None) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": QUERY, "variables": {"o": occupation}}).json()
    gaps: dict[str, Any] = body["data"]["brokerageGaps"]
    return gaps


def test_analysts_see_exact_counts(place: Driver, client_as: Callable[..., TestClient]) -> None:
    analyst = client_as(Role.ANALYST)
    assert _ask(analyst, None)["candidates"] == 24
    assert _ask(analyst, "Occupation:nurse")["candidates"] == 7
    assert _ask(analyst, "Occupation:doctor")["candidates"] == 17


def test_overlapping_filters_do_not_reveal_a_hidden_cell(
    place: Driver, client_as: Callable[..., TestClient]
) -> None:
    leader = client_as(Role.PLACE_LEADER)
    everyone = _ask(leader, None)
    nurses = _ask(leader, "Occupation:nurse")
    doctors = _ask(leader, "Occupation:doctor")
    assert nurses == {"candidates": None, "linked": None, "unlinked": None}
    assert (everyone["candidates"], doctors["candidates"]) == (25, 15)
    # What an attacker can conclude about the nurses from the two shown counts: every
    # value that rounds to what was shown, minus every such value, that is below 10.
    consistent = {
        total - docs
        for total in range(0, 60)
        for docs in range(0, 60)
        if round_to(total) == everyone["candidates"] and round_to(docs) == doctors["candidates"]
        and 0 <= total - docs < 10
    }  # fmt: skip
    assert 7 in consistent
    # Rounding narrows but never pins down the hidden count (here: 6, 7, 8 or 9).
    assert len(consistent) >= 2


def test_place_leaders_counts_per_organisation_are_suppressed(
    place: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    place.execute_query(
        "CREATE (o:CommunityOrganisation {id: 'small', name: 'Small Group'}) "
        "WITH o MATCH (p:Person) WHERE p.id IN ['n1', 'n2', 'n3'] CREATE (p)-[:SUPPORTED_BY]->(o) "
        "WITH DISTINCT 1 AS one CREATE (b:CommunityOrganisation {id: 'big', name: 'Big Group'}) "
        "WITH b MATCH (p:Person) WHERE p.id STARTS WITH 'd' CREATE (p)-[:SUPPORTED_BY]->(b)",
        database_=neo4j_settings.database,
    )
    into_default_place(place, neo4j_settings.database)
    query = "{ organisations(first: 10) { edges { node { name peopleCount } } } }"
    leader = client_as(Role.PLACE_LEADER).post("/graphql", json={"query": query}).json()
    analyst = client_as(Role.ANALYST).post("/graphql", json={"query": query}).json()

    def counts(body: dict[str, Any]) -> dict[str, int | None]:
        return {
            e["node"]["name"]: e["node"]["peopleCount"]
            for e in body["data"]["organisations"]["edges"]
        }

    assert counts(leader) == {"Big Group": 15, "Small Group": None}
    assert counts(analyst) == {"Big Group": 17, "Small Group": 3}


def _gaps_suggesting(*reconnects: int) -> brokerage.BrokerageGaps:
    org = PathNode(label=Label.COMMUNITY_ORGANISATION, id="o", name="Newcomers Network")
    hub = PathNode(label=Label.DEPARTMENT, id="hub", name="Employment Hub")
    links = [
        brokerage.SuggestedLink(
            source=org,
            target=hub,
            reconnects=n,
            anchor_name="City Hospital",
            max_hops=6,
            hops_after=2,
        )
        for n in reconnects
    ]
    return brokerage.BrokerageGaps(anchor_id="trust", occupation_id=None, max_hops=6,
                                   candidates=40, linked=20, unlinked_supply=[],
                                   critical_brokers=[], critical_ties=[],
                                   suggested_links=links)  # fmt: skip


@pytest.mark.parametrize(
    ("role", "told"),
    [
        # The sentence says the count as it is shown beside it: rounded, or "a few".
        (Role.PLACE_LEADER, [(10, "10 people"), (None, "a few people"), (None, "a few people")]),
        (Role.ADMIN, [(12, "12 people"), (3, "3 people"), (1, "1 person")]),
    ],
)
def test_a_suggested_link_tells_only_the_count_its_reader_may_see(
    role: Role, told: list[tuple[int | None, str]]
) -> None:
    caller = Caller(subject="reader", role=role)
    links = BrokerageGaps.from_model(_gaps_suggesting(12, 3, 1), caller).suggested_links
    assert [(link.reconnects, link.reason) for link in links] == [
        (shown, f"Newcomers Network serves {people} with no referral route to City Hospital "
                "within 6 hops; a referral tie to Employment Hub puts it 2 hops from City Hospital")
        for shown, people in told
    ]  # fmt: skip
