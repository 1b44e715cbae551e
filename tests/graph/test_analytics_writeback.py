"""Scores written back to Neo4j and read again; exports that networkx reads back."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from neo4j import Driver

from graph.analytics.centrality import Measure, scores
from graph.analytics.communities import louvain_communities, membership
from graph.analytics.export import ExportFormat, export_graph
from graph.analytics.projection import Projection, project
from graph.analytics.ranking import centrality_ranking
from graph.analytics.writeback import SCORE_PROPERTIES, write_scores
from graph.settings import Neo4jSettings
from tests.graph.analytics_network import random_network, write_network

READ_BACK = """
MATCH (n)
WHERE n.centrality_computed_on IS NOT NULL
RETURN labels(n)[0] AS label, n.id AS id, n.centrality_betweenness AS betweenness,
       n.centrality_constraint AS constraint, n.centrality_computed_on AS computed_on
"""


@pytest.fixture
def network_db(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    write_network(clean_db, neo4j_settings.database, random_network(21, people=30, ties=70))
    return clean_db


def test_scores_round_trip(network_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    graph = project(network_db, db)
    values = scores(graph, Measure.BETWEENNESS)
    on = date(2025, 3, 1)
    written = write_scores(network_db, db, graph, Measure.BETWEENNESS, values, computed_on=on,
                           batch_size=7)  # fmt: skip
    assert written == graph.number_of_nodes()
    rows = network_db.execute_query(READ_BACK, database_=db).records
    assert {(r["label"], r["id"]): r["betweenness"] for r in rows} == pytest.approx(values)
    assert {r["computed_on"].to_native() for r in rows} == {on}
    assert SCORE_PROPERTIES[Measure.BETWEENNESS] == "centrality_betweenness"


def test_a_score_that_is_not_a_number_removes_the_property(
    network_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    network_db.execute_query(
        "CREATE (:Person {id: 'alone', consent_given_at: datetime()})", database_=db
    )
    graph = project(network_db, db)
    stale = dict.fromkeys(graph, 0.5)
    write_scores(network_db, db, graph, Measure.CONSTRAINT, stale)
    fresh = scores(graph, Measure.CONSTRAINT)
    assert math.isnan(fresh[("Person", "alone")])
    write_scores(network_db, db, graph, Measure.CONSTRAINT, fresh)
    rows = {(r["label"], r["id"]): r["constraint"] for r in
            network_db.execute_query(READ_BACK, database_=db).records}  # fmt: skip
    assert rows[("Person", "alone")] is None
    assert {n for n, v in rows.items() if v is None} == {
        n for n, v in fresh.items() if math.isnan(v)
    }
    assert len(rows) == len(graph)


def test_a_node_gone_since_the_projection_is_not_written(
    network_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    graph = project(network_db, db)
    network_db.execute_query("MATCH (n:Person {id: 'p0'}) DETACH DELETE n", database_=db)
    written = write_scores(network_db, db, graph, Measure.DEGREE, scores(graph, Measure.DEGREE))
    assert written == graph.number_of_nodes() - 1


def test_ranking_writes_back_on_request(network_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    ranking = centrality_ranking(network_db, db, Measure.BETWEENNESS, first=3, write_back=True)
    rows = network_db.execute_query(READ_BACK, database_=db).records
    assert ranking.written == len(rows) == ranking.nodes
    best = max(rows, key=lambda r: (r["betweenness"], r["id"]))
    assert ranking.ranked[0].node.id == best["id"]
    assert ranking.ranked[0].score == pytest.approx(best["betweenness"])


@pytest.mark.parametrize("fmt", list(ExportFormat))
@pytest.mark.parametrize("directed", [False, True])
def test_exports_read_back_with_networkx(
    network_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, fmt: ExportFormat,
    directed: bool,
) -> None:  # fmt: skip
    graph = project(network_db, neo4j_settings.database, Projection(directed=directed))
    values = scores(graph, Measure.PAGERANK, weight="weight")
    community = membership(louvain_communities(graph, seed=1))
    path = tmp_path / f"place.{fmt.value}"
    assert (
        export_graph(graph, path, node_values={"pagerank": values, "community": community}) is fmt
    )
    back = nx.read_graphml(path) if fmt is ExportFormat.GRAPHML else nx.read_gexf(path)
    assert back.is_directed() == directed
    assert set(back) == {f"{label}:{node_id}" for label, node_id in graph}
    assert back.number_of_edges() == graph.number_of_edges()
    for (label, node_id), data in graph.nodes(data=True):
        read = back.nodes[f"{label}:{node_id}"]
        assert (read["kind"], read["external_id"], read["group"]) == (label, node_id, data["group"])
        assert read["pagerank"] == pytest.approx(values[(label, node_id)])
        assert int(read["community"]) == community[(label, node_id)]
        assert read.get("name") == data.get("name")
        assert "element_id" not in read
    for a, b, data in graph.edges(data=True):
        read = back.edges[f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}"]
        assert float(read["weight"]) == pytest.approx(data["weight"])
        assert read["relationship"] == data["type"]
