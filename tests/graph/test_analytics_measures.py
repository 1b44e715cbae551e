"""Every measure computed through the projection equals networkx's on the same ties,
built straight from the list the Neo4j graph was created from."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping

import networkx as nx
import pytest
from neo4j import Driver

from graph.analytics import centrality as c
from graph.analytics import structure
from graph.analytics.brokerage_roles import brokerage_roles
from graph.analytics.communities import louvain_communities, modularity
from graph.analytics.projection import Projection, project
from graph.settings import Neo4jSettings
from tests.graph.analytics_network import Network, random_network, write_network

SEEDS = [11, 12, 13]


def assert_same(got: Mapping[Hashable, float], expected: Mapping[Hashable, float]) -> None:
    assert set(got) == set(expected)
    for node, value in expected.items():
        if math.isnan(value):
            assert math.isnan(got[node]), node
        else:
            assert got[node] == pytest.approx(value, abs=1e-9, rel=1e-9), node


@pytest.fixture(params=SEEDS)
def network(
    request: pytest.FixtureRequest, clean_db: Driver, neo4j_settings: Neo4jSettings
) -> Network:
    made = random_network(request.param)
    write_network(clean_db, neo4j_settings.database, made)
    return made


def test_projection_holds_the_same_ties(
    network: Network, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    for directed in (False, True):
        projected = project(driver, neo4j_settings.database, Projection(directed=directed))
        direct = network.graph(directed=directed)
        assert set(projected.nodes) == set(direct.nodes)
        assert sorted((a, b, d["weight"]) for a, b, d in _canonical(projected)) == sorted(
            (a, b, d["weight"]) for a, b, d in _canonical(direct)
        )


def _canonical(graph: nx.Graph) -> list[tuple[Hashable, Hashable, dict[str, float]]]:
    if graph.is_directed():
        return list(graph.edges(data=True))
    return [(min(a, b), max(a, b), d) for a, b, d in graph.edges(data=True)]


def test_undirected_measures_equal_networkx(
    network: Network, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    projected = project(driver, neo4j_settings.database, Projection())
    direct = network.graph(directed=False, order=list(projected))
    assert_same(c.degree_centrality(projected), nx.degree_centrality(direct))
    expected = nx.betweenness_centrality(direct)
    assert_same(c.betweenness_centrality(projected), expected)
    assert_same(c.betweenness_centrality(projected, engine="networkx"), expected)
    assert_same(
        c.betweenness_centrality(projected, normalized=False, engine="igraph"),
        nx.betweenness_centrality(direct, normalized=False),
    )
    assert_same(
        c.betweenness_centrality(projected, k=10, seed=3),
        nx.betweenness_centrality(direct, k=10, seed=3),
    )
    assert_same(c.closeness_centrality(projected), nx.closeness_centrality(direct))
    assert_same(
        c.eigenvector_centrality(projected), nx.eigenvector_centrality(direct, max_iter=1000)
    )
    assert_same(c.pagerank(projected), nx.pagerank(direct, weight="weight"))
    assert_same(c.constraint(projected, weight="weight"), nx.constraint(direct, weight="weight"))
    assert_same(
        c.effective_size(projected, weight="weight"), nx.effective_size(direct, weight="weight")
    )
    assert set(structure.articulation_points(projected)) == set(nx.articulation_points(direct))
    assert {frozenset(b) for b in structure.bridges(projected)} == {
        frozenset(b) for b in nx.bridges(direct)
    }


def test_directed_measures_equal_networkx(
    network: Network, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    projected = project(driver, neo4j_settings.database, Projection(directed=True))
    direct = network.graph(directed=True, order=list(projected))
    assert_same(c.betweenness_centrality(projected), nx.betweenness_centrality(direct))
    assert_same(
        c.betweenness_centrality(projected, k=8, seed=5),
        nx.betweenness_centrality(direct, k=8, seed=5),
    )
    assert_same(c.closeness_centrality(projected), nx.closeness_centrality(direct))
    assert_same(c.pagerank(projected), nx.pagerank(direct, weight="weight"))
    assert_same(c.degree_centrality(projected), nx.degree_centrality(direct))
    assert_same(c.constraint(projected), nx.constraint(direct))
    groups = {node: node[0] for node in direct}
    assert brokerage_roles(projected, "label") == brokerage_roles(direct, groups=groups)


def test_communities_equal_networkx(
    network: Network, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    projected = project(driver, neo4j_settings.database, Projection())
    # Louvain visits nodes in the graph's order, shuffled by the seed: the same
    # order and seed give the same partition.
    direct = network.graph(directed=False, order=list(projected))
    found = louvain_communities(projected, seed=42)
    expected = nx.community.louvain_communities(direct, seed=42, weight="weight")
    assert _partition(found) == _partition(expected)
    assert [len(x) for x in found] == sorted((len(x) for x in found), reverse=True)
    assert modularity(projected, found) == pytest.approx(
        nx.community.modularity(direct, expected, weight="weight"), abs=1e-12
    )


def _partition(communities: list[set[Hashable]]) -> list[list[str]]:
    return sorted(sorted(str(node) for node in community) for community in communities)


def test_cut_off_counts_what_removal_disconnects(
    network: Network, driver: Driver, neo4j_settings: Neo4jSettings
) -> None:
    projected = project(driver, neo4j_settings.database, Projection())
    direct = network.graph(directed=False)
    expected = {}
    for node in direct:
        component = nx.node_connected_component(direct, node)
        parts = [len(p) for p in nx.connected_components(direct.subgraph(component - {node}))]
        expected[node] = len(component) - 1 - max(parts, default=0)
    assert structure.cut_off(projected) == expected
    assert {n for n, cut in expected.items() if cut} == set(nx.articulation_points(direct))


@pytest.mark.parametrize("measure", list(c.Measure))
def test_scores_by_name_match_the_functions(
    network: Network, driver: Driver, neo4j_settings: Neo4jSettings, measure: c.Measure
) -> None:
    projected = project(driver, neo4j_settings.database, Projection())
    direct = network.graph(directed=False, order=list(projected))
    by_name: dict[c.Measure, Callable[[], Mapping[Hashable, float]]] = {
        c.Measure.DEGREE: lambda: nx.degree_centrality(direct),
        c.Measure.BETWEENNESS: lambda: nx.betweenness_centrality(direct),
        c.Measure.CLOSENESS: lambda: nx.closeness_centrality(direct),
        c.Measure.EIGENVECTOR: lambda: nx.eigenvector_centrality(
            direct, max_iter=1000, weight="weight"
        ),
        c.Measure.PAGERANK: lambda: nx.pagerank(direct, weight="weight"),
        c.Measure.CONSTRAINT: lambda: nx.constraint(direct, weight="weight"),
        c.Measure.EFFECTIVE_SIZE: lambda: nx.effective_size(direct, weight="weight"),
        c.Measure.ARTICULATION: lambda: {n: float(v) for n, v in structure.cut_off(direct).items()},
    }
    assert_same(c.scores(projected, measure, weight="weight"), by_name[measure]())
