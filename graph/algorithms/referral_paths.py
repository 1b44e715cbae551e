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
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

import networkx as nx

__all__ = [
    "DEFAULT_STRENGTH",
    "PathMode",
    "RankedPath",
    "Tie",
    "TieTable",
    "best_paths_to",
    "hops_to",
    "k_best_paths",
    "network_from_ties",
    "network_of",
    "tie_table",
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


Tie = tuple[Hashable, str | None, Hashable, str | None, str, float | None]


@dataclass(frozen=True)
class TieTable:
    """Ties reduced as ``network_from_ties`` reduces them, before the graph is built:
    each node's name, and the most trusted tie each way between two nodes as (cost,
    type, strength). Kept as it is (never changed), so a part of the network read
    once, such as the organisational backbone, can be the start of many networks."""

    names: Mapping[Hashable, str | None]
    best: Mapping[tuple[Hashable, Hashable], tuple[float, str, float]]


def tie_table(
    ties: Iterable[Tie], both_ways: frozenset[str], start: TieTable | None = None
) -> TieTable:
    """``start`` (untouched) with ``ties`` added after its own: types in ``both_ways``
    run both ways; between two nodes only the most trusted tie is kept, the first of
    equals; a node keeps the first name given."""
    names: dict[Hashable, str | None] = dict(start.names) if start else {}
    best: dict[tuple[Hashable, Hashable], tuple[float, str, float]] = (
        dict(start.best) if start else {}
    )
    # Strengths take few values: each weighed once (a logarithm a tie cost a third of
    # the building).
    weights: dict[tuple[str, float | None], tuple[float, float]] = {}
    for source, source_name, target, target_name, rel_type, given in ties:
        if source not in names:
            names[source] = source_name
        if target not in names:
            names[target] = target_name
        weight = weights.get((rel_type, given))
        if weight is None:
            weight = weights[(rel_type, given)] = _tie_weight(rel_type, given)
        strength, cost = weight
        kept = best.get((source, target))
        if kept is None or cost < kept[0]:
            best[(source, target)] = (cost, rel_type, strength)
        if rel_type in both_ways:
            kept = best.get((target, source))
            if kept is None or cost < kept[0]:
                best[(target, source)] = (cost, rel_type, strength)
    return TieTable(names, best)


def network_of(table: TieTable) -> nx.DiGraph:
    """The network of a tie table. Built in bulk: at thousands of ties, networkx's
    per-call checks cost more than the reading."""
    graph = nx.DiGraph()
    graph.add_nodes_from((node, {"name": name}) for node, name in table.names.items())
    graph.add_edges_from(
        (a, b, {"type": rel_type, "strength": strength, "cost": cost})
        for (a, b), (cost, rel_type, strength) in table.best.items()
    )
    return graph


def network_from_ties(ties: Iterable[Tie], both_ways: frozenset[str]) -> nx.DiGraph:
    """The network of ``(source, source name, target, target name, type, strength)``
    ties. Types in ``both_ways`` run both ways; between two nodes only the most
    trusted tie is kept; a node keeps the first name given."""
    return network_of(tie_table(ties, both_ways))


def _tie_weight(rel_type: str, strength: float | None) -> tuple[float, float]:
    if strength is None:
        kind = "structural" if rel_type in STRUCTURAL_TYPES else "trust"
        strength = DEFAULT_STRENGTH[kind]
    return strength, trust_cost(strength)


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
    hops_to_target: Mapping[Hashable, int] | None = None,
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
    hops_to_target : mapping, optional
        ``hops_to(graph, target, max_hops)``, for a caller asking of many sources.

    Examples
    --------
    >>> g = network_from_ties([("a", None, "b", None, "REFERS_TO", 0.9),
    ...     ("b", None, "c", None, "REFERS_TO", 0.9), ("a", None, "c", None, "REFERS_TO", 0.1)],
    ...     frozenset())
    >>> [p.nodes for p in k_best_paths(g, "a", "c", 2, 3, PathMode.FEWEST_HOPS)]
    [('a', 'c'), ('a', 'b', 'c')]
    >>> [p.nodes for p in k_best_paths(g, "a", "c", 1, 3, PathMode.STRONGEST_TRUST)]
    [('a', 'b', 'c')]
    >>> k_best_paths(g, "a", "c", 1, 3, PathMode.FEWEST_HOPS, lambda n: 0 if n == "c" else None)
    []
    """
    if k < 1 or source not in graph or target not in graph or source == target:
        return []
    if k == 1:
        best = best_paths_to(graph, [source], target, max_hops, mode, latest_position)
        return list(best.values())
    remaining = hops_to(graph, target, max_hops) if hops_to_target is None else hops_to_target
    if source not in remaining:
        return []
    layered = _unroll(graph, source, target, max_hops, latest_position or _anywhere, remaining)
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


def hops_to(graph: nx.DiGraph, target: Hashable, max_hops: int) -> dict[Hashable, int]:
    """Fewest hops from each node that can reach ``target`` within ``max_hops``."""
    distance = {target: 0}
    frontier = [target]
    for hops in range(1, max_hops + 1):
        reached = []
        for node in frontier:
            for before in graph.predecessors(node):
                if before not in distance:
                    distance[before] = hops
                    reached.append(before)
        frontier = reached
    return distance


def _anywhere(node: Hashable) -> int | None:
    del node
    return None


def _unroll(
    graph: nx.DiGraph,
    source: Hashable,
    target: Hashable,
    max_hops: int,
    latest_position: Callable[[Hashable], int | None],
    remaining: Mapping[Hashable, int],
) -> nx.DiGraph:
    """Copy ``(node, position)`` for each position a walk from the source can reach
    and still reach the target from in time (by ``remaining``, a lower bound: a
    few copies may lead nowhere, which costs the search little)."""
    layered = nx.DiGraph()
    frontier = {source}
    for position in range(1, max_hops + 1):
        reached = set()
        for node in frontier:
            for after in graph.successors(node):
                latest = latest_position(after)
                if after == source or (latest is not None and position > latest):
                    continue
                if position + remaining.get(after, max_hops + 1) > max_hops:
                    continue
                data = graph[node][after]
                layered.add_edge((node, position - 1), (after, position), cost=data["cost"], hop=1)
                if after == target:
                    layered.add_edge((after, position), _SINK, cost=0.0, hop=0)
                else:
                    reached.add(after)
        frontier = reached
    return layered


def best_paths_to(
    graph: nx.DiGraph,
    sources: Iterable[Hashable],
    target: Hashable,
    max_hops: int,
    mode: PathMode,
    latest_position: Callable[[Hashable], int | None] | None = None,
) -> dict[Hashable, RankedPath]:
    """The best path (``k_best_paths`` with k = 1) from each of ``sources`` to one
    target; sources with none are absent. The network is prepared once for them all.

    >>> g = network_from_ties([("a", None, "b", None, "REFERS_TO", 0.9),
    ...     ("b", None, "c", None, "REFERS_TO", 0.9), ("a", None, "c", None, "REFERS_TO", 0.1)],
    ...     frozenset())
    >>> {s: p.nodes for s, p in best_paths_to(g, ["a", "b"], "c", 3, PathMode.FEWEST_HOPS).items()}
    {'a': ('a', 'c'), 'b': ('b', 'c')}
    """
    if target not in graph:
        return {}
    steps = _Steps(graph, target, max_hops, latest_position or _anywhere)
    found = {}
    for source in sources:
        best = steps.best_path(source, mode) if source in graph and source != target else None
        if best is not None:
            found[source] = best
    return found


# A walk in the making: its cost so far, its nodes' keys as text (the tie-break), its nodes.
_Walk = tuple[float, tuple[str, ...], tuple[Hashable, ...]]
# A step from a node: the node after, its cost, the last position it may stand at (None:
# anywhere), the fewest hops from it to the target, and its key as text.
_Step = tuple[Hashable, float, int | None, int, str]


class _Steps:
    """The network's steps that can still reach one target within ``max_hops``, read
    once from networkx (whose views cost more than the search) for many sources."""

    def __init__(
        self,
        graph: nx.DiGraph,
        target: Hashable,
        max_hops: int,
        latest_position: Callable[[Hashable], int | None],
    ) -> None:
        self.graph = graph
        self.target = target
        self.max_hops = max_hops
        self.remaining = hops_to(graph, target, max_hops)
        self._latest = latest_position
        self._from: dict[Hashable, list[_Step]] = {}

    def after(self, node: Hashable) -> list[_Step]:
        steps = self._from.get(node)
        if steps is None:
            steps = self._from[node] = [
                (after, data["cost"], self._latest(after), self.remaining[after], str(after))
                for after, data in self.graph.succ[node].items()
                if after in self.remaining
            ]
        return steps

    def best_path(self, source: Hashable, mode: PathMode) -> RankedPath | None:
        """The one best path from ``source``, by the same rank as ``k_best_paths``,
        found hop layer by hop layer keeping only the best walk to each node at each
        position.

        Why not Yen for one path: to know the first path it finds is the best under
        the tie-break it must find the next one too, a search per node of the first;
        matching asks this of every candidate. A walk that revisits a node is never
        the best (cutting the loop saves hops and costs nothing more, and only moves
        nodes earlier, which the position rules allow), so keeping walks loses nothing."""
        if source not in self.remaining:
            return None
        target, max_hops = self.target, self.max_hops
        layer: dict[Hashable, _Walk] = {source: (0.0, (str(source),), (source,))}
        best: tuple[tuple[float, float, tuple[str, ...]], RankedPath] | None = None
        for position in range(1, max_hops + 1):
            reached: dict[Hashable, _Walk] = {}
            for node, (cost, names, nodes) in layer.items():
                for after, step_cost, latest, remaining, name in self.after(node):
                    if after == source or (latest is not None and position > latest):
                        continue
                    if position + remaining > max_hops:
                        continue
                    walk = (cost + step_cost, (*names, name), (*nodes, after))
                    if after == target:
                        best = _better_end(best, walk, position, mode)
                        continue
                    kept = reached.get(after)
                    if kept is None or _walk_key(walk) < _walk_key(kept):
                        reached[after] = walk
            layer = reached
        return None if best is None else best[1]


def _better_end(
    best: tuple[tuple[float, float, tuple[str, ...]], RankedPath] | None,
    walk: _Walk,
    hops: int,
    mode: PathMode,
) -> tuple[tuple[float, float, tuple[str, ...]], RankedPath] | None:
    cost = round(walk[0], _COST_DIGITS)
    key = (cost, hops, walk[1]) if mode is PathMode.STRONGEST_TRUST else (hops, cost, walk[1])
    if (best is not None and best[0] <= key) or len(set(walk[2])) != len(walk[2]):
        return best
    return key, RankedPath(walk[2], hops, cost)


def _walk_key(walk: _Walk) -> tuple[float, tuple[str, ...]]:
    # Walks to one node at one position have the same hops: cost, then the tie-break.
    return (round(walk[0], _COST_DIGITS), walk[1])


def _primary(path: RankedPath, mode: PathMode) -> float:
    return path.hops if mode is PathMode.FEWEST_HOPS else path.cost


def _rank_key(path: RankedPath, mode: PathMode) -> tuple[float, float, tuple[str, ...]]:
    tie = tuple(str(node) for node in path.nodes)
    if mode is PathMode.FEWEST_HOPS:
        return (path.hops, path.cost, tie)
    return (path.cost, path.hops, tie)
