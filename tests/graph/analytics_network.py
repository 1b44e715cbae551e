"""A small random referral network, written to Neo4j with CREATE and kept in Python
as the list of ties it was made from, so a test can build networkx's graph from
the same ties without going through the projection."""

from __future__ import annotations

import random
from dataclasses import dataclass

import networkx as nx
from neo4j import Driver

Key = tuple[str, str]

NODE_QUERIES = {
    "Person": "UNWIND $nodes AS n CREATE (:Person {id: n.id, consent_given_at: datetime()})",
    "CommunityOrganisation": "UNWIND $nodes AS n CREATE (:CommunityOrganisation {id: n.id, name: n.name})",
    "Department": "UNWIND $nodes AS n CREATE (:Department {id: n.id, name: n.name})",
    "AnchorInstitution": "UNWIND $nodes AS n CREATE (:AnchorInstitution {id: n.id, name: n.name})",
}
TIE_QUERIES = {
    "KNOWS": "UNWIND $ties AS t MATCH (a {id: t.a}), (b {id: t.b}) "
    "CREATE (a)-[:KNOWS {strength: t.s}]->(b)",
    "MENTORED_BY": "UNWIND $ties AS t MATCH (a {id: t.a}), (b {id: t.b}) "
    "CREATE (a)-[:MENTORED_BY {strength: t.s}]->(b)",
    "SUPPORTED_BY": "UNWIND $ties AS t MATCH (a {id: t.a}), (b {id: t.b}) "
    "CREATE (a)-[:SUPPORTED_BY {strength: t.s}]->(b)",
    "REFERS_TO": "UNWIND $ties AS t MATCH (a {id: t.a}), (b {id: t.b}) "
    "CREATE (a)-[:REFERS_TO {strength: t.s}]->(b)",
    "PARTNERS_WITH": "UNWIND $ties AS t MATCH (a {id: t.a}), (b {id: t.b}) "
    "CREATE (a)-[:PARTNERS_WITH {strength: t.s}]->(b)",
    "PART_OF": "UNWIND $ties AS t MATCH (a {id: t.a}), (b {id: t.b}) "
    "CREATE (a)-[:PART_OF {strength: t.s}]->(b)",
}
RECIPROCAL = {"KNOWS", "MENTORED_BY", "PARTNERS_WITH"}


@dataclass(frozen=True)
class Network:
    nodes: list[tuple[Key, str | None]]
    ties: list[tuple[str, Key, Key, float | None]]

    def graph(self, *, directed: bool, order: list[Key] | None = None) -> nx.Graph:
        """networkx's graph of the same ties, by the projection's documented rules:
        missing strength weighs 1.0, reciprocal types run both ways when directed."""
        graph = nx.DiGraph() if directed else nx.Graph()
        graph.add_nodes_from(order or [key for key, _ in self.nodes])
        for rel_type, a, b, strength in self.ties:
            weight = 1.0 if strength is None else strength
            graph.add_edge(a, b, weight=weight)
            if directed and rel_type in RECIPROCAL:
                graph.add_edge(b, a, weight=weight)
        return graph


def random_network(seed: int, people: int = 24, orgs: int = 7, ties: int = 60) -> Network:
    """Ties between distinct pairs only (never two between the same nodes, either way)."""
    rng = random.Random(seed)
    persons = [("Person", f"p{i}") for i in range(people)]
    organisations = [("CommunityOrganisation", f"o{i}") for i in range(orgs)]
    departments = [("Department", "hub"), ("Department", "wards")]
    anchors = [("AnchorInstitution", "trust"), ("AnchorInstitution", "council")]
    shapes = [
        ("KNOWS", persons, persons),
        ("KNOWS", persons, persons),
        ("MENTORED_BY", persons, persons),
        ("SUPPORTED_BY", persons, organisations),
        ("SUPPORTED_BY", persons, organisations),
        ("REFERS_TO", organisations, organisations + departments + anchors),
        ("PARTNERS_WITH", organisations, organisations + anchors),
        ("PART_OF", departments, anchors),
    ]
    made: list[tuple[str, Key, Key, float | None]] = []
    seen: set[frozenset[Key]] = set()
    while len(made) < ties:
        rel_type, froms, tos = rng.choice(shapes)
        a, b = rng.choice(froms), rng.choice(tos)
        pair = frozenset((a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        strength = None if rng.random() < 0.2 else rng.choice([0.25, 0.5, 0.75, 1.0, 0.9])
        made.append((rel_type, a, b, strength))
    named: list[tuple[Key, str | None]] = [(k, None) for k in persons] + [
        (k, f"Name of {k[1]}") for k in organisations + departments + anchors
    ]
    return Network(nodes=named, ties=made)


def write_network(driver: Driver, database: str, network: Network) -> None:
    for label, query in NODE_QUERIES.items():
        nodes = [{"id": key[1], "name": name} for key, name in network.nodes if key[0] == label]
        driver.execute_query(query, nodes=nodes, database_=database)
    for rel_type, query in TIE_QUERIES.items():
        ties = [{"a": a[1], "b": b[1], "s": s} for t, a, b, s in network.ties if t == rel_type]
        if ties:
            driver.execute_query(query, ties=ties, database_=database)
