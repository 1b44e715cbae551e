"""A compiled engine for shortest-path betweenness: igraph, behind networkx's API.

networkx walks every shortest path in Python, which takes minutes on ten
thousand nodes; igraph's C implementation of the same algorithm (Brandes)
takes seconds. Only the path counting moves to igraph: the graph is converted
on the way in, the sources are sampled exactly as networkx samples them, and
the sums come back to be rescaled by networkx's own conventions.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from enum import StrEnum

import networkx as nx

__all__ = ["Engine", "igraph_betweenness"]


class Engine(StrEnum):
    """Which implementation computes betweenness; ``AUTO`` picks the fastest that
    gives networkx's values (see ``graph.analytics.centrality``)."""

    AUTO = "auto"
    NETWORKX = "networkx"
    IGRAPH = "igraph"


def igraph_betweenness(
    G: nx.Graph, *, weight: str | None = None, sources: Collection[Hashable] | None = None
) -> dict[Hashable, float]:
    """Unscaled betweenness summed over ordered (source, target) pairs.

    This is the sum networkx accumulates before it rescales: for an undirected
    graph every pair is counted both ways round, so it is twice igraph's own.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        A simple graph (not a multigraph).
    weight : str, optional
        Edge attribute holding a positive distance; missing values count 1,
        as in networkx. None counts hops.
    sources : collection of nodes, optional
        Count only paths from these nodes (all nodes when None).

    Examples
    --------
    >>> igraph_betweenness(nx.path_graph(3))
    {0: 0.0, 1: 2.0, 2: 0.0}
    >>> igraph_betweenness(nx.DiGraph([(0, 1), (1, 2)]), sources=[1])
    {0: 0.0, 1: 0.0, 2: 0.0}
    """
    if G.is_multigraph():
        raise nx.NetworkXNotImplemented("the igraph engine takes simple graphs only")
    nodes = list(G)
    index = {node: position for position, node in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for u, v, data in G.edges(data=True):
        edges.append((index[u], index[v]))
        if weight is not None:
            weights.append(float(data.get(weight, 1)))
    if weights and min(weights) <= 0:
        raise ValueError("the igraph engine needs positive distances in the weight attribute")
    # Imported here: igraph takes most of a second to import, and every CLI
    # command would pay for it.
    import igraph  # type: ignore[import-untyped]  # noqa: PLC0415

    directed = G.is_directed()
    converted = igraph.Graph(n=len(nodes), edges=edges, directed=directed)
    chosen = None if sources is None else [index[source] for source in sources]
    raw = converted.betweenness(
        directed=directed, weights=weights if weight is not None else None, sources=chosen
    )
    both_ways = 1.0 if directed else 2.0
    return {node: float(raw[position]) * both_ways for position, node in enumerate(nodes)}
