"""Brokerage gaps on a hand-built place whose answers are worked out below."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

import graph.services.brokerage as brokerage_module
from graph.errors import NotFoundError
from graph.services.brokerage import brokerage_gaps
from graph.settings import Neo4jSettings

YES = "consent_given_at: datetime('2024-01-01T00:00:00')"
READY = f"{YES}, right_to_work: true, ielts_overall: 7.5"

# p1 -> A -> hub -> trust (3 hops); p2 -> B -> A -> hub -> trust (4); p3 -> D -> trust (2);
# p6 knows p1 (4 hops by word of mouth); p8 is one step away (IELTS 6.5) and goes via A;
# p4 and p5 are served only by C, which has no ties: unlinked. p7 is two steps away and
# not a candidate; p9 meets everything but has not consented.
PLACE = f"""
CREATE (trust:AnchorInstitution {{id: 'trust', name: 'City Hospital Trust'}})
CREATE (hub:Department {{id: 'hub', name: 'Learning Works', kind: 'employment_hub'}})-[:PART_OF]->(trust)
CREATE (care:Skill {{id: 'care', preferred_label: 'provide nursing care'}})
CREATE (nurse:Occupation {{id: 'nurse', preferred_label: 'nurse'}})
CREATE (v:Vacancy {{id: 'v1', title: 'Staff Nurse', shortage: true, status: 'open', min_ielts: 7.0}})
CREATE (trust)-[:POSTS]->(v)
CREATE (v)-[:FOR_OCCUPATION]->(nurse)
CREATE (v)-[:REQUIRES {{essential: true}}]->(care)
CREATE (a:CommunityOrganisation {{id: 'A', name: 'Refugee Welcome'}})-[:REFERS_TO]->(hub)
CREATE (b:CommunityOrganisation {{id: 'B', name: 'Job Club'}})-[:REFERS_TO]->(a)
CREATE (c:CommunityOrganisation {{id: 'C', name: 'Newcomers Network'}})
CREATE (d:CommunityOrganisation {{id: 'D', name: 'GP Practice'}})-[:REFERS_TO]->(trust)
CREATE (p1:Person {{id: 'p1', {READY}}})-[:SUPPORTED_BY]->(a)
CREATE (p2:Person {{id: 'p2', {READY}}})-[:SUPPORTED_BY]->(b)
CREATE (p3:Person {{id: 'p3', {READY}}})-[:SUPPORTED_BY]->(d)
CREATE (p4:Person {{id: 'p4', {READY}}})-[:SUPPORTED_BY]->(c)
CREATE (p5:Person {{id: 'p5', {READY}}})-[:SUPPORTED_BY]->(c)
CREATE (p6:Person {{id: 'p6', {READY}}})-[:KNOWS]->(p1)
CREATE (p7:Person {{id: 'p7', {YES}, right_to_work: true, ielts_overall: 5.0, trained_as: 'nurse'}})-[:SUPPORTED_BY]->(a)
CREATE (p8:Person {{id: 'p8', {YES}, right_to_work: true, ielts_overall: 6.5}})-[:SUPPORTED_BY]->(a)
CREATE (p9:Person {{id: 'p9', right_to_work: true, ielts_overall: 8.0}})-[:SUPPORTED_BY]->(c)
WITH care
MATCH (p:Person) WHERE p.id IN ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p8', 'p9']
CREATE (p)-[:HAS_SKILL]->(care)
"""


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    return clean_db


def test_unlinked_supply_grouped_by_organisation(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    gaps = brokerage_gaps(place, neo4j_settings.database, "trust", occupation_id="nurse")
    assert (gaps.candidates, gaps.linked) == (7, 5)
    assert [(g.organisation.id if g.organisation else None, g.people, g.person_ids)
            for g in gaps.unlinked_supply] == [("C", 2, ["p4", "p5"])]  # fmt: skip


def test_critical_brokers_and_ties(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    gaps = brokerage_gaps(place, neo4j_settings.database, "trust")
    assert [(b.node.id, b.pairs_cut) for b in gaps.critical_brokers] == [
        ("A", 4), ("hub", 4), ("B", 1), ("D", 1),
    ]  # fmt: skip
    assert [(t.source.id, t.target.id, t.type, t.pairs_cut) for t in gaps.critical_ties] == [
        ("A", "hub", "REFERS_TO", 4),
        ("hub", "trust", "PART_OF", 4),
        ("B", "A", "REFERS_TO", 1),
        ("D", "trust", "REFERS_TO", 1),
    ]


def test_the_hub_count_is_what_removing_its_ties_really_cuts(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    before = brokerage_gaps(place, db, "trust")
    hub = next(b for b in before.critical_brokers if b.node.id == "hub")
    place.execute_query("MATCH (:Department {id: 'hub'})-[r]-() DELETE r", database_=db)
    after = brokerage_gaps(place, db, "trust")
    assert before.linked - after.linked == hub.pairs_cut == 4
    assert sorted(p for g in after.unlinked_supply for p in g.person_ids) == [
        "p1", "p2", "p4", "p5", "p6", "p8",
    ]  # fmt: skip


def test_suggested_links_reconnect_the_unlinked(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    gaps = brokerage_gaps(place, neo4j_settings.database, "trust")
    assert [(s.source.id, s.target.id, s.reconnects) for s in gaps.suggested_links] == [
        ("C", "hub", 2)
    ]
    assert gaps.suggested_links[0].reason(2) == (
        "Newcomers Network serves 2 people with no referral route to City Hospital Trust "
        "within 6 hops; a referral tie to Learning Works puts it 2 hops from City Hospital Trust"
    )


def test_max_hops_tightens_what_counts_as_linked(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    gaps = brokerage_gaps(place, neo4j_settings.database, "trust", max_hops=3)
    # p2 (4 hops) and p6 (4 hops) fall out; p1, p3 and p8 remain.
    assert gaps.linked == 3
    assert sorted(p for g in gaps.unlinked_supply for p in g.person_ids) == ["p2", "p4", "p5", "p6"]


def test_unknown_anchor(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    with pytest.raises(NotFoundError, match="anchorId"):
        brokerage_gaps(place, neo4j_settings.database, "nope")


def test_a_candidate_who_withdrew_meanwhile_is_not_counted_as_linked(
    place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The candidates are found first and their ways in read after; someone who withdrew
    consent in between (p9 here, who never consented) must not be counted at all, where
    they were counted as linked (candidates minus the unlinked)."""
    found = brokerage_module._candidates

    def with_one_withdrawn(*args: Any, **kwargs: Any) -> list[str]:
        return sorted([*found(*args, **kwargs), "p9"])

    monkeypatch.setattr(brokerage_module, "_candidates", with_one_withdrawn)
    gaps = brokerage_gaps(place, neo4j_settings.database, "trust", occupation_id="nurse")
    assert (gaps.candidates, gaps.linked) == (7, 5)
