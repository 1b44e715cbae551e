"""Referral paths on a real Neo4j, checked by hand and against networkx on the whole graph."""

from __future__ import annotations

import math
import random
from itertools import pairwise

import networkx as nx
import pytest
from neo4j import Driver

from graph.algorithms.referral_paths import PathMode
from graph.errors import InvalidInputError, NotFoundError
from graph.models.paths import NodeKey
from graph.services.paths import referral_paths
from graph.settings import Neo4jSettings
from graph.vocabulary import Label

CONSENTED = "consent_given_at: datetime('2024-01-01T00:00:00')"

STORY = f"""
CREATE (p1:Person {{id: 'p1', {CONSENTED}}})
CREATE (p2:Person {{id: 'p2', {CONSENTED}}})
CREATE (shy:Person {{id: 'shy'}})
CREATE (welcome:CommunityOrganisation {{id: 'welcome', name: 'Refugee Welcome'}})
CREATE (church:CommunityOrganisation {{id: 'church', name: 'Church Welcome Project'}})
CREATE (hub:Department {{id: 'hub', name: 'Learning Works', kind: 'employment_hub'}})
CREATE (trust:AnchorInstitution {{id: 'trust', name: 'City Hospital Trust'}})
CREATE (nurse:Vacancy {{id: 'v-nurse', title: 'Staff Nurse'}})
CREATE (p1)-[:SUPPORTED_BY {{strength: 0.9}}]->(welcome)
CREATE (p1)-[:KNOWS {{strength: 0.9}}]->(p2)
CREATE (p2)-[:SUPPORTED_BY {{strength: 0.95}}]->(church)
CREATE (shy)-[:SUPPORTED_BY {{strength: 1.0}}]->(church)
CREATE (welcome)-[:REFERS_TO {{strength: 0.2}}]->(trust)
CREATE (welcome)-[:REFERS_TO {{strength: 0.5}}]->(hub)
CREATE (church)-[:REFERS_TO {{strength: 0.95}}]->(hub)
CREATE (hub)-[:PART_OF]->(trust)
CREATE (trust)-[:POSTS]->(nurse)
"""


@pytest.fixture
def story(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(STORY, database_=neo4j_settings.database)
    return clean_db


def _paths(driver: Driver, db: str, mode: PathMode, **kw: object) -> list[list[str]]:
    found = referral_paths(
        driver, db, NodeKey(label=Label.PERSON, id="p1"),
        NodeKey(label=Label.VACANCY, id="v-nurse"), mode=mode, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    return [[node.id for node in path.nodes] for path in found]


def test_fewest_hops_first(story: Driver, neo4j_settings: Neo4jSettings) -> None:
    assert _paths(story, neo4j_settings.database, PathMode.FEWEST_HOPS, k=3) == [
        ["p1", "welcome", "trust", "v-nurse"],
        ["p1", "welcome", "hub", "trust", "v-nurse"],
        ["p1", "p2", "church", "hub", "trust", "v-nurse"],
    ]


def test_strongest_trust_first(story: Driver, neo4j_settings: Neo4jSettings) -> None:
    found = referral_paths(
        story, neo4j_settings.database, NodeKey(label=Label.PERSON, id="p1"),
        NodeKey(label=Label.VACANCY, id="v-nurse"), k=2, mode=PathMode.STRONGEST_TRUST,
    )  # fmt: skip
    assert [[n.id for n in p.nodes] for p in found] == [
        ["p1", "p2", "church", "hub", "trust", "v-nurse"],
        ["p1", "welcome", "hub", "trust", "v-nurse"],
    ]
    best = found[0]
    assert best.hops == 5
    assert best.cost == pytest.approx(-math.log(0.9) - 2 * math.log(0.95))
    assert [step.type for step in best.relationships] == [
        "KNOWS", "SUPPORTED_BY", "REFERS_TO", "PART_OF", "POSTS",
    ]  # fmt: skip
    assert best.explanation == (
        "this person → someone they know → Church Welcome Project → Learning Works"
        " → City Hospital Trust → Staff Nurse vacancy"
    )
    assert all(node.name is None for node in best.nodes if node.label is Label.PERSON)


def test_max_hops_cuts_long_paths(story: Driver, neo4j_settings: Neo4jSettings) -> None:
    assert _paths(story, neo4j_settings.database, PathMode.STRONGEST_TRUST, k=3, max_hops=4) == [
        ["p1", "welcome", "hub", "trust", "v-nurse"],
        ["p1", "welcome", "trust", "v-nurse"],
    ]


def test_people_without_consent_are_not_found(story: Driver, neo4j_settings: Neo4jSettings) -> None:
    with pytest.raises(NotFoundError, match="no Person with id 'shy'"):
        referral_paths(
            story, neo4j_settings.database, NodeKey(label=Label.PERSON, id="shy"),
            NodeKey(label=Label.ANCHOR_INSTITUTION, id="trust"),
        )  # fmt: skip


def test_arguments_are_checked(story: Driver, neo4j_settings: Neo4jSettings) -> None:
    with pytest.raises(InvalidInputError, match="k must be"):
        _paths(story, neo4j_settings.database, PathMode.FEWEST_HOPS, k=0)
    with pytest.raises(NotFoundError, match="to: no Vacancy"):
        referral_paths(
            story, neo4j_settings.database, NodeKey(label=Label.PERSON, id="p1"),
            NodeKey(label=Label.VACANCY, id="nope"),
        )  # fmt: skip


# -- the same answers as networkx on the whole graph ---------------------------------

ALL_TIES = """
MATCH (a)-[r]->(b)
RETURN labels(a)[0] AS al, a.id AS a, a.consent_given_at IS NOT NULL AS a_ok,
       labels(b)[0] AS bl, b.id AS b, b.consent_given_at IS NOT NULL AS b_ok,
       type(r) AS type, r.strength AS strength
"""


def _whole_graph(driver: Driver, db: str) -> nx.DiGraph:
    """An independent projection of every tie, by the documented rules."""
    graph = nx.DiGraph()
    records, _, _ = driver.execute_query(ALL_TIES, database_=db)
    for r in records:
        a, b = (r["al"], r["a"]), (r["bl"], r["b"])
        if (r["al"] == "Person" and not r["a_ok"]) or (r["bl"] == "Person" and not r["b_ok"]):
            continue
        default = 1.0 if r["type"] in ("PART_OF", "POSTS") else 0.5
        strength = r["strength"] if r["strength"] is not None else default
        directions = [(a, b)] + ([(b, a)] if r["type"] in ("KNOWS", "PARTNERS_WITH") else [])
        for x, y in directions:
            cost = -math.log(max(strength, 0.01))
            if not graph.has_edge(x, y) or cost < graph[x][y]["cost"]:
                graph.add_edge(x, y, cost=cost)
    return graph


def _networkx_answer(
    graph: nx.DiGraph, source: tuple[str, str], target: tuple[str, str], k: int, max_hops: int,
    mode: PathMode,
) -> list[list[str]]:  # fmt: skip
    if source not in graph or target not in graph:
        return []
    ranked = []
    # Every simple path within the hop limit, by brute force: independent of the service.
    for path in nx.all_simple_paths(graph, source, target, cutoff=max_hops):
        leading_people = next(
            (i for i, node in enumerate(path[1:]) if node[0] != "Person"), len(path) - 1
        )
        if len(path) - 1 > max_hops or leading_people > 2:
            continue
        cost = round(sum(graph[x][y]["cost"] for x, y in pairwise(path)), 9)
        ranked.append((len(path) - 1, cost, [n[1] for n in path], path))
    key = (lambda p: (p[0], p[1], tuple(map(str, p[3])))) if mode is PathMode.FEWEST_HOPS else (
        lambda p: (p[1], p[0], tuple(map(str, p[3]))))  # fmt: skip
    return [p[2] for p in sorted(ranked, key=key)[:k]]


def _random_place(seed: int) -> str:
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(25)]
    orgs = [f"o{i}" for i in range(8)]
    lines = []
    for p in people:
        consent = CONSENTED if rng.random() > 0.2 else "x: 1"
        lines.append(f"CREATE (:Person {{id: '{p}', {consent}}})")
    lines += [f"CREATE (:CommunityOrganisation {{id: '{o}', name: 'Org {o}'}})" for o in orgs]
    lines += [
        "CREATE (:Department {id: 'hub', name: 'Hub'})",
        "CREATE (:AnchorInstitution {id: 'anchor', name: 'Anchor'})",
        "CREATE (:Vacancy {id: 'v1', title: 'Nurse'})",
        # A second vacancy: the service reads only the vacancy asked about.
        "CREATE (:Vacancy {id: 'v2', title: 'Pharmacist'})",
    ]
    ties = []
    for _ in range(40):
        ties.append(("Person", rng.choice(people), "KNOWS", "Person", rng.choice(people)))
    for p in people:
        if rng.random() < 0.6:
            ties.append(("Person", p, "SUPPORTED_BY", "CommunityOrganisation", rng.choice(orgs)))
    for _ in range(14):
        kind = rng.choice(["REFERS_TO", "PARTNERS_WITH"])
        ties.append(("CommunityOrganisation", rng.choice(orgs), kind, "CommunityOrganisation",
                     rng.choice(orgs)))  # fmt: skip
    for o in rng.sample(orgs, 3):
        ties.append(("CommunityOrganisation", o, "REFERS_TO", "Department", "hub"))
    ties.append(
        ("CommunityOrganisation", rng.choice(orgs), "REFERS_TO", "AnchorInstitution", "anchor")
    )
    ties.append(("Department", "hub", "PART_OF", "AnchorInstitution", "anchor"))
    ties.append(("AnchorInstitution", "anchor", "POSTS", "Vacancy", "v1"))
    ties.append(("AnchorInstitution", "anchor", "POSTS", "Vacancy", "v2"))
    query = "\n".join(lines)
    for i, (al, a, t, bl, b) in enumerate(ties):
        if a == b:
            continue
        strength = "" if rng.random() < 0.2 else f", strength: {rng.choice([0.3, 0.5, 0.7, 0.9])}"
        query += (f"\nWITH * MATCH (a{i}:{al} {{id: '{a}'}}), (b{i}:{bl} {{id: '{b}'}})"
                  f" CREATE (a{i})-[:{t} {{n: {i}{strength}}}]->(b{i})")  # fmt: skip
    return query


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("mode", list(PathMode))
# One path is found layer by layer, more by Yen's algorithm: both are compared.
@pytest.mark.parametrize("k", [1, 3])
def test_equals_networkx_on_the_whole_graph(
    clean_db: Driver, neo4j_settings: Neo4jSettings, seed: int, mode: PathMode, k: int
) -> None:
    db = neo4j_settings.database
    clean_db.execute_query(_random_place(seed), database_=db)
    whole = _whole_graph(clean_db, db)
    compared = 0
    for person in [f"p{i}" for i in range(0, 25, 3)]:
        for target in (("Vacancy", "v1"), ("Vacancy", "v2"), ("Department", "hub"),
                       ("AnchorInstitution", "anchor")):  # fmt: skip
            expected = _networkx_answer(whole, ("Person", person), target, k, 6, mode)
            try:
                got = referral_paths(
                    clean_db, db, NodeKey(label=Label.PERSON, id=person),
                    NodeKey(label=Label(target[0]), id=target[1]), k=k, max_hops=6, mode=mode,
                )  # fmt: skip
            except NotFoundError:
                got = []
            assert [[n.id for n in p.nodes] for p in got] == expected, (person, target)
            compared += bool(expected)
    assert compared >= 3, "the random place must give some paths to compare"
