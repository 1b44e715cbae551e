"""Centrality measures, as networkx defines them.

Each function takes a graph and returns ``dict[node, float]`` with networkx's
values; most simply call networkx. ``betweenness_centrality`` keeps networkx's
signature but can hand the path counting to igraph (``engine``), which gives
the same values (to 1e-9) many times faster. ``scores`` computes any
``Measure`` by name, as the CLI and GraphQL ask for them.
"""

from __future__ import annotations

from collections.abc import Hashable
from enum import StrEnum

import networkx as nx
from networkx.utils import create_py_random_state

from graph.analytics.engines import Engine, igraph_betweenness
from graph.analytics.structure import cut_off

__all__ = [
    "LOW_IS_CENTRAL",
    "Measure",
    "betweenness_centrality",
    "closeness_centrality",
    "constraint",
    "degree_centrality",
    "effective_size",
    "eigenvector_centrality",
    "pagerank",
    "scores",
]


class Measure(StrEnum):
    """The measures a ranking can be asked for."""

    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    CLOSENESS = "closeness"
    EIGENVECTOR = "eigenvector"
    PAGERANK = "pagerank"
    CONSTRAINT = "constraint"
    EFFECTIVE_SIZE = "effective_size"
    ARTICULATION = "articulation"


# Burt's constraint is highest where a node's contacts all know each other, so
# the broker is the node with the least.
LOW_IS_CENTRAL: frozenset[Measure] = frozenset({Measure.CONSTRAINT})


def degree_centrality(G: nx.Graph) -> dict[Hashable, float]:
    """Degree over ``n - 1``: networkx's ``degree_centrality``.

    >>> degree_centrality(nx.star_graph(2))
    {0: 1.0, 1: 0.5, 2: 0.5}
    """
    return dict(nx.degree_centrality(G))


def betweenness_centrality(
    G: nx.Graph,
    k: int | None = None,
    normalized: bool = True,
    weight: str | None = None,
    endpoints: bool = False,
    seed: int | None = None,
    *,
    engine: Engine | str = Engine.AUTO,
) -> dict[Hashable, float]:
    """Shortest-path betweenness, exact or from ``k`` sampled sources.

    The arguments and values are networkx's ``betweenness_centrality``; the
    sources are sampled as networkx samples them, so the same ``seed`` gives
    the same estimate whichever engine runs.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
    k : int, optional
        Sample this many sources (with ``seed``, which is then required).
    normalized, weight, endpoints
        As in networkx; ``weight`` names an attribute read as a distance.
    seed : int, optional
        Seeds the sample of sources.
    engine : {"auto", "networkx", "igraph"}
        ``"auto"`` runs igraph on unweighted graphs without endpoints and
        networkx otherwise: networkx treats weighted path lengths that differ
        by a rounding error as different, igraph as equal, so only unweighted
        counts are certain to agree.

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> betweenness_centrality(G, engine="igraph") == nx.betweenness_centrality(G)
    True
    >>> betweenness_centrality(G, normalized=False)
    {0: 0.0, 1: 2.0, 2: 2.0, 3: 0.0}
    >>> betweenness_centrality(G, k=2, seed=1) == nx.betweenness_centrality(G, k=2, seed=1)
    True
    """
    if k is not None and seed is None:
        raise ValueError("a sampled betweenness needs an explicit seed")
    chosen = Engine(engine)
    if chosen is Engine.AUTO:
        fast = weight is None and not endpoints and not G.is_multigraph()
        chosen = Engine.IGRAPH if fast else Engine.NETWORKX
    if chosen is Engine.NETWORKX:
        found = nx.betweenness_centrality(
            G, k=k, normalized=normalized, weight=weight, endpoints=endpoints, seed=seed
        )
        return dict(found)
    if endpoints:
        raise ValueError("the igraph engine does not count endpoints; use engine='networkx'")
    sources = None
    if k is not None and k != len(G):
        sources = create_py_random_state(seed).sample(list(G.nodes()), k)
    ordered = igraph_betweenness(G, weight=weight, sources=sources)
    return _rescale(ordered, len(G), normalized, G.is_directed(), sources)


def closeness_centrality(G: nx.Graph, distance: str | None = None) -> dict[Hashable, float]:
    """networkx's ``closeness_centrality`` (Wasserman and Faust's form for
    graphs in pieces; incoming distances on a directed graph).

    >>> closeness_centrality(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    return dict(nx.closeness_centrality(G, distance=distance))


def eigenvector_centrality(
    G: nx.Graph, weight: str | None = None, max_iter: int = 1000, tol: float = 1e-06
) -> dict[Hashable, float]:
    """networkx's ``eigenvector_centrality`` (power iteration).

    Raises ``nx.PowerIterationFailedConvergence`` where it does not settle, as
    on many directed graphs with sinks.

    >>> {n: round(v, 4) for n, v in eigenvector_centrality(nx.star_graph(2)).items()}
    {0: 0.7071, 1: 0.5, 2: 0.5}
    """
    return dict(nx.eigenvector_centrality(G, max_iter=max_iter, tol=tol, weight=weight))


def pagerank(
    G: nx.Graph, alpha: float = 0.85, weight: str | None = "weight"
) -> dict[Hashable, float]:
    """networkx's ``pagerank``; an undirected tie counts both ways.

    >>> {n: round(v, 4) for n, v in pagerank(nx.star_graph(2)).items()}
    {0: 0.4865, 1: 0.2568, 2: 0.2568}
    """
    found = nx.pagerank(G, alpha=alpha, weight=weight)
    return {node: float(value) for node, value in found.items()}


def constraint(G: nx.Graph, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's constraint (networkx's ``constraint``): low where a node's
    contacts are not tied to each other. NaN for a node with no ties.

    >>> constraint(nx.star_graph(2))[0]
    0.5
    """
    return dict(nx.constraint(G, weight=weight))


def effective_size(G: nx.Graph, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's effective size (networkx's ``effective_size``): contacts less
    their redundancy. NaN for a node with no ties.

    >>> effective_size(nx.star_graph(2))[0]
    2.0
    """
    return dict(nx.effective_size(G, weight=weight))


def scores(
    G: nx.Graph,
    measure: Measure,
    *,
    weight: str | None = None,
    k: int | None = None,
    seed: int = 0,
    engine: Engine | str = Engine.AUTO,
) -> dict[Hashable, float]:
    """The values of ``measure`` for every node.

    ``weight`` names a tie-strength attribute used by eigenvector, PageRank,
    constraint and effective size; betweenness and closeness always count hops
    here, and ``k`` samples betweenness sources with ``seed``. Articulation
    counts the nodes each node's loss would cut off (``structure.cut_off``).

    >>> scores(nx.path_graph(3), Measure.ARTICULATION)
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    if measure is Measure.DEGREE:
        return degree_centrality(G)
    if measure is Measure.BETWEENNESS:
        return betweenness_centrality(G, k=k, seed=seed if k is not None else None, engine=engine)
    if measure is Measure.CLOSENESS:
        return closeness_centrality(G)
    if measure is Measure.EIGENVECTOR:
        return eigenvector_centrality(G, weight=weight)
    if measure is Measure.PAGERANK:
        return pagerank(G, weight=weight)
    if measure is Measure.CONSTRAINT:
        return constraint(G, weight=weight)
    if measure is Measure.EFFECTIVE_SIZE:
        return effective_size(G, weight=weight)
    return {node: float(count) for node, count in cut_off(G).items()}


def _rescale(
    ordered: dict[Hashable, float],
    n: int,
    normalized: bool,
    directed: bool,
    sources: list[Hashable] | None,
) -> dict[Hashable, float]:
    # networkx's conventions (3.6, endpoints excluded): divide by the ordered
    # pairs a node could lie between, or halve an undirected graph's sums; a
    # sample scales up by n-1 over k, and a sampled source, which cannot lie on
    # its own paths, by n-1 over k-1.
    pairs = n - 1
    if pairs < 2:
        return ordered
    both_ways = 1 if directed else 2
    if sources is None:
        scale = 1 / (pairs * (pairs - 1)) if normalized else 1 / both_ways
        return {node: value * scale for node, value in ordered.items()}
    k = len(sources)
    top = 1 / (pairs - 1) if normalized else pairs / both_ways
    as_source = top / (k - 1) if k > 1 else float("nan")
    otherwise = top / k
    sampled = set(sources)
    return {
        node: value * (as_source if node in sampled else otherwise)
        for node, value in ordered.items()
    }
