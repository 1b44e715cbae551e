"""k best referral paths through a directed referral network.

The network is a ``networkx.DiGraph`` whose nodes are ``(label, id)`` tuples
carrying a ``name``, and whose edges carry ``type``, ``strength`` (trust, 0 to 1)
and ``cost`` (``-ln strength``, so the path of least cost is the path whose
trusts multiply to the most). Between two nodes only the most trusted
relationship is kept.

Ties are broken by hop count, then by the sequence of node keys, so the answer
does not depend on the order in which the graph was built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

import networkx as nx

__all__ = [
    "DEFAULT_STRENGTH",
    "PathMode",
    "RankedPath",
    "add_tie",
    "k_best_paths",
    "trust_cost",
]

# Trust ties recorded without a strength count as middling; structural ties
# (a hub is part of its anchor, an anchor posts its vacancy) as certain.
DEFAULT_STRENGTH = {"structural": 1.0, "trust": 0.5}
STRUCTURAL_TYPES = frozenset({"PART_OF", "POSTS"})
_MIN_STRENGTH = 0.01
_COST_DIGITS = 9


class PathMode(StrEnum):
    FEWEST_HOPS = "fewest_hops"
    STRONGEST_TRUST = "strongest_trust"


@dataclass(frozen=True)
class RankedPath:
    nodes: tuple[Hashable, ...]
    hops: int
    cost: float


def trust_cost(strength: float) -> float:
    """Cost of one hop: ``-ln(strength)``; zero for full trust.

    >>> trust_cost(1.0)
    0.0
    >>> round(trust_cost(0.5), 4)
    0.6931
    """
    return -math.log(max(min(strength, 1.0), _MIN_STRENGTH)) + 0.0


def add_tie(
    graph: nx.DiGraph, source: Hashable, target: Hashable, rel_type: str, strength: float | None
) -> None:
    """Add one relationship, keeping the more trusted of two between the same pair."""
    if strength is None:
        kind = "structural" if rel_type in STRUCTURAL_TYPES else "trust"
        strength = DEFAULT_STRENGTH[kind]
    cost = trust_cost(strength)
    existing = graph.get_edge_data(source, target)
    if existing is None or cost < existing["cost"]:
        graph.add_edge(source, target, type=rel_type, strength=strength, cost=cost)


def path_cost(graph: nx.DiGraph, nodes: Sequence[Hashable]) -> float:
    return round(float(sum(graph[a][b]["cost"] for a, b in pairwise(nodes))), _COST_DIGITS)


def k_best_paths(
    graph: nx.DiGraph,
    source: Hashable,
    target: Hashable,
    k: int,
    max_hops: int,
    mode: PathMode,
    latest_position: Callable[[Hashable], int | None] | None = None,
) -> list[RankedPath]:
    """The ``k`` best simple paths of at most ``max_hops`` hops from source to target.

    Runs Yen's algorithm (``networkx.shortest_simple_paths``) on the graph unrolled
    into hop layers, so the hop limit and position rules bound the search itself
    rather than filtering an unbounded enumeration.

    Parameters
    ----------
    graph : nx.DiGraph
        Edges must carry ``cost``.
    mode : PathMode
        ``FEWEST_HOPS`` ranks by hops, then cost; ``STRONGEST_TRUST`` by cost, then hops.
    latest_position : callable, optional
        For a node, the last position (hops from the source) at which it may stand
        on a path, or None for anywhere.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> add_tie(g, "a", "b", "REFERS_TO", 0.9); add_tie(g, "b", "c", "REFERS_TO", 0.9)
    >>> add_tie(g, "a", "c", "REFERS_TO", 0.1)
    >>> [p.nodes for p in k_best_paths(g, "a", "c", 2, 3, PathMode.FEWEST_HOPS)]
    [('a', 'c'), ('a', 'b', 'c')]
    >>> [p.nodes for p in k_best_paths(g, "a", "c", 1, 3, PathMode.STRONGEST_TRUST)]
    [('a', 'b', 'c')]
    >>> k_best_paths(g, "a", "c", 1, 3, PathMode.FEWEST_HOPS, lambda n: 0 if n == "c" else None)
    []
    """
    if k < 1 or source not in graph or target not in graph or source == target:
        return []
    layered = _unroll(graph, source, target, max_hops, latest_position or _anywhere)
    if _SINK not in layered:
        return []
    weight = "hop" if mode is PathMode.FEWEST_HOPS else "cost"
    found: list[RankedPath] = []
    for layered_path in nx.shortest_simple_paths(layered, (source, 0), _SINK, weight=weight):
        nodes = tuple(node[0] for node in layered_path[:-1])
        if len(set(nodes)) != len(nodes):
            continue  # a walk that revisits a node is not a path
        ranked = RankedPath(nodes, len(nodes) - 1, path_cost(graph, nodes))
        if len(found) >= k and _primary(ranked, mode) > _primary(found[k - 1], mode):
            break
        found.append(ranked)
        found.sort(key=lambda p: _rank_key(p, mode))
    return found[:k]


_SINK = ("__sink__", -1)


def _anywhere(node: Hashable) -> int | None:
    del node
    return None


def _unroll(
    graph: nx.DiGraph,
    source: Hashable,
    target: Hashable,
    max_hops: int,
    latest_position: Callable[[Hashable], int | None],
) -> nx.DiGraph:
    """Copy ``(node, position)`` for each position a walk from the source can reach,
    keeping only what can still reach the target in time."""
    layered = nx.DiGraph()
    frontier = {source}
    for position in range(1, max_hops + 1):
        reached = set()
        for node in frontier:
            for after in graph.successors(node):
                latest = latest_position(after)
                if after == source or (latest is not None and position > latest):
                    continue
                data = graph[node][after]
                layered.add_edge((node, position - 1), (after, position), cost=data["cost"], hop=1)
                if after == target:
                    layered.add_edge((after, position), _SINK, cost=0.0, hop=0)
                else:
                    reached.add(after)
        frontier = reached
    if _SINK not in layered:
        return layered
    keep = nx.ancestors(layered, _SINK) | {_SINK}
    return layered.subgraph(keep).copy()


def _primary(path: RankedPath, mode: PathMode) -> float:
    return path.hops if mode is PathMode.FEWEST_HOPS else path.cost


def _rank_key(path: RankedPath, mode: PathMode) -> tuple[float, float, tuple[str, ...]]:
    tie = tuple(str(node) for node in path.nodes)
    if mode is PathMode.FEWEST_HOPS:
        return (path.hops, path.cost, tie)
    return (path.cost, path.hops, tie)
