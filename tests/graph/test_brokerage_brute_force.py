"""Brokerage gaps on random places, against brute force over every simple path.

The service reads people's ways in with one Cypher query (or two at once, for many
people) and reasons about
groups of people; here each person's routes are enumerated one by one in an
independent networkx graph of the whole place, and every count must agree.
"""

from __future__ import annotations

import random
from itertools import pairwise

import networkx as nx
import pytest
from neo4j import Driver

from graph.services import brokerage
from graph.services.brokerage import brokerage_gaps
from graph.settings import Neo4jSettings

PEOPLE, ORGANISATIONS = 14, 7
YES = "datetime('2024-01-01T00:00:00')"


def _random_place(seed: int) -> tuple[list[str], nx.DiGraph, set[str]]:
    """Cypher statements for a random place, the same place as a networkx graph,
    and the people who are candidates (consenting, and not two steps away: the
    unready lack both the right to work and the English level)."""
    rng = random.Random(seed)
    statements = [
        "CREATE (:AnchorInstitution {id: 'trust', name: 'Trust'})",
        "CREATE (:Department {id: 'hub', name: 'Hub', kind: 'employment_hub'})",
        "CREATE (:Skill {id: 'care', preferred_label: 'care'})",
        "CREATE (:Vacancy {id: 'v', title: 'Nurse', shortage: true, status: 'open', min_ielts: 7.0})",
        "MATCH (a {id: 'hub'}), (b {id: 'trust'}) CREATE (a)-[:PART_OF]->(b)",
        "MATCH (a {id: 'trust'}), (b {id: 'v'}) CREATE (a)-[:POSTS]->(b)",
        "MATCH (v {id: 'v'}), (s {id: 'care'}) CREATE (v)-[:REQUIRES {essential: true}]->(s)",
    ]
    graph = nx.DiGraph()
    graph.add_edge("hub", "trust")
    orgs = [f"o{i}" for i in range(ORGANISATIONS)]
    statements += [f"CREATE (:CommunityOrganisation {{id: '{o}', name: '{o}'}})" for o in orgs]
    for a in orgs:
        for b in [*orgs, "hub", "trust"]:
            if a != b and rng.random() < 0.18:
                kind = rng.choice(["REFERS_TO", "PARTNERS_WITH"]) if b in orgs else "REFERS_TO"
                statements.append(
                    f"MATCH (a {{id: '{a}'}}), (b {{id: '{b}'}}) CREATE (a)-[:{kind}]->(b)"
                )
                graph.add_edge(a, b)
                if kind == "PARTNERS_WITH":
                    graph.add_edge(b, a)
    people = [f"p{i:02d}" for i in range(PEOPLE)]
    consenting = {p for p in people if rng.random() < 0.85}
    candidates = set()
    for p in people:
        consent = f", consent_given_at: {YES}" if p in consenting else ""
        ready = rng.random() < 0.8
        ielts = 7.5 if ready else 5.0
        statements.append(
            f"CREATE (:Person {{id: '{p}', right_to_work: {str(ready).lower()}, "
            f"ielts_overall: {ielts}{consent}}})"
        )
        statements.append(
            f"MATCH (p {{id: '{p}'}}), (s {{id: 'care'}}) CREATE (p)-[:HAS_SKILL]->(s)"
        )
        if p in consenting and ready:
            candidates.add(p)
        graph.add_node(p)
        for org in rng.sample(orgs, rng.choice([0, 1, 1, 2])):
            statements.append(
                f"MATCH (p {{id: '{p}'}}), (o {{id: '{org}'}}) CREATE (p)-[:SUPPORTED_BY]->(o)"
            )
            if p in consenting:
                graph.add_edge(p, org)
    for a, b in pairwise(rng.sample(people, PEOPLE)):
        if rng.random() < 0.6:
            statements.append(
                f"MATCH (a {{id: '{a}'}}), (b {{id: '{b}'}}) CREATE (a)-[:KNOWS]->(b)"
            )
            if a in consenting and b in consenting:
                graph.add_edge(a, b)
                graph.add_edge(b, a)
    return statements, graph, candidates


def _routes(graph: nx.DiGraph, person: str, max_hops: int) -> list[list[str]]:
    """Every simple route to the trust that meets people only in its first three
    nodes (the person, a friend, a friend of a friend)."""
    found = []
    for path in nx.all_simple_paths(graph, person, "trust", cutoff=max_hops):
        people = [i for i, node in enumerate(path) if node.startswith("p")]
        if people == list(range(len(people))) and len(people) <= 3:
            found.append(path)
    return found


@pytest.mark.parametrize("split_from", [brokerage.SPLIT_FROM, 2], ids=["whole", "in parts"])
@pytest.mark.parametrize("seed", range(6))
def test_counts_equal_brute_force(
    clean_db: Driver,
    neo4j_settings: Neo4jSettings,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    split_from: int,
) -> None:
    # "in parts": the people's ways in read in two reads at once, as at a large place.
    monkeypatch.setattr(brokerage, "SPLIT_FROM", split_from)
    statements, graph, candidates = _random_place(seed)
    with clean_db.session(database=neo4j_settings.database) as session:
        session.execute_write(lambda tx: [tx.run(statement).consume() for statement in statements])
    max_hops = 3 + seed % 4
    gaps = brokerage_gaps(clean_db, neo4j_settings.database, "trust", max_hops=max_hops)

    routes = {p: _routes(graph, p, max_hops) for p in candidates}
    linked = {p for p, found in routes.items() if found}
    assert gaps.candidates == len(candidates)
    assert gaps.linked == len(linked)
    # A person served by two organisations is listed under both.
    assert {p for g in gaps.unlinked_supply for p in g.person_ids} == candidates - linked

    def cut_by_node(node: str) -> int:
        return sum(all(node in path for path in routes[p]) for p in linked)

    def cut_by_tie(tie: tuple[str, str]) -> int:
        return sum(all(tie in set(pairwise(path)) for path in routes[p]) for p in linked)

    organisations = [n for n in graph if not n.startswith("p") and n != "trust"]
    brute_brokers = {n: cut_by_node(n) for n in organisations if cut_by_node(n)}
    assert {b.node.id: b.pairs_cut for b in gaps.critical_brokers} == brute_brokers
    ties = [(a, b) for a, b in graph.edges if not a.startswith("p") and not b.startswith("p")]
    brute_ties = {t: cut_by_tie(t) for t in ties if cut_by_tie(t)}
    assert {(t.source.id, t.target.id): t.pairs_cut for t in gaps.critical_ties} == brute_ties


@pytest.mark.parametrize("seed", range(6))
def test_few_hops_leave_friends_organisations_unread_and_change_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """With maxHops 2 or fewer the walk to friends' organisations is left out (such a
    way in needs a third hop to reach the anchor): every answer, suggested links
    included, is the one with that walk read, and the counts equal brute force."""
    statements, graph, candidates = _random_place(seed)
    with clean_db.session(database=neo4j_settings.database) as session:
        session.execute_write(lambda tx: [tx.run(statement).consume() for statement in statements])
    for max_hops in (1, 2, 3):
        gaps = brokerage_gaps(clean_db, neo4j_settings.database, "trust", max_hops=max_hops)
        with monkeypatch.context() as always:
            always.setattr(brokerage, "_friends_read", lambda _: True)
            read = brokerage_gaps(clean_db, neo4j_settings.database, "trust", max_hops=max_hops)
        assert gaps == read, max_hops
        linked = {p for p in candidates if _routes(graph, p, max_hops)}
        assert (gaps.candidates, gaps.linked) == (len(candidates), len(linked)), max_hops
