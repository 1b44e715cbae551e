"""Scores written back onto the nodes they were computed for.

Each measure has its own property (``centrality_<measure>``, from a closed
mapping to pre-written queries) and every write stamps
``centrality_computed_on`` with the date, so GraphQL and Neo4j Browser can
read the scores and see how fresh they are. A score that is not a number
(constraint of a node with no ties) removes the property rather than leave an
older value standing.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping
from datetime import date
from typing import Any, LiteralString

import networkx as nx
from neo4j import Driver, ManagedTransaction

from graph.analytics.centrality import Measure
from graph.cypher import analytics as q

__all__ = ["BATCH_SIZE", "SCORE_PROPERTIES", "write_scores"]

BATCH_SIZE = 10_000

_WRITES: dict[Measure, LiteralString] = {
    Measure.DEGREE: q.WRITE_DEGREE,
    Measure.BETWEENNESS: q.WRITE_BETWEENNESS,
    Measure.CLOSENESS: q.WRITE_CLOSENESS,
    Measure.EIGENVECTOR: q.WRITE_EIGENVECTOR,
    Measure.PAGERANK: q.WRITE_PAGERANK,
    Measure.CONSTRAINT: q.WRITE_CONSTRAINT,
    Measure.EFFECTIVE_SIZE: q.WRITE_EFFECTIVE_SIZE,
    Measure.ARTICULATION: q.WRITE_ARTICULATION,
}

# The property each measure is stored in, for readers of the graph.
SCORE_PROPERTIES: dict[Measure, str] = {m: f"centrality_{m.value}" for m in Measure}


def write_scores(
    driver: Driver,
    database: str,
    graph: nx.Graph,
    measure: Measure,
    scores: Mapping[Hashable, float],
    *,
    computed_on: date | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Store ``scores`` of a projected ``graph`` on their nodes; returns how many
    nodes were written. One write transaction a batch; a batch can be re-run."""
    query = _WRITES[measure]
    stamp = computed_on or date.today()
    written = 0

    def work(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> int:
        record = tx.run(query, rows=rows, computed_on=stamp).single(strict=True)
        return int(record["written"])

    with driver.session(database=database) as session:
        for rows in _batches(graph, scores, batch_size):
            written += session.execute_write(work, rows)
    return written


def _batches(
    graph: nx.Graph, scores: Mapping[Hashable, float], size: int
) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for node, score in scores.items():
        data = graph.nodes[node] if node in graph else {}
        if "element_id" not in data:
            continue  # not a projected node: nothing to write it to
        value = None if math.isnan(score) else float(score)
        batch.append({"element_id": data["element_id"], "id": data["id"], "score": value})
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
