"""The organisational backbone of a referral network, numbered for searching it
again and again: hops from every organisation to one target, and how those
change when a node or tie is lost or a new tie is added.

Brokerage questions try hundreds of losses and candidate ties on a backbone of a
few hundred nodes. Searching it whole each time, through networkx, cost more
than the rest of the question; here each node is a number, and a loss searches
again only the nodes whose every shortest route ran through it (a new tie, only
the nodes upstream of it).
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import numpy.typing as npt

__all__ = ["UNREACHED", "Backbone", "Routes", "ties_into"]

PERSON = "Person"
# The distance of a node with no route: no count of hops makes it up.
UNREACHED = 1 << 30

Ints = npt.NDArray[np.int64]


def _is_person(node: Hashable) -> bool:
    return isinstance(node, tuple) and len(node) == 2 and node[0] == PERSON


class Backbone:
    """The organisational nodes of a referral network, numbered: node ``i`` is
    ``nodes[i]``, with ties in from ``before[i]`` and out to ``after[i]``. People
    are left out: nothing leads from an organisation back to a person.

    >>> g = nx.DiGraph([("a", "hub"), ("b", "a"), ("hub", "trust")])
    >>> backbone = Backbone(g)
    >>> d = backbone.distances(backbone.index["trust"])
    >>> {n: int(d[i]) for i, n in enumerate(backbone.nodes)}
    {'a': 2, 'hub': 1, 'b': 3, 'trust': 0}
    >>> after, changed = backbone.without(d, node=backbone.index["hub"])
    >>> sorted(backbone.nodes[i] for i in changed), int(after[backbone.index["b"]]) == UNREACHED
    (['a', 'b', 'hub'], True)
    """

    def __init__(self, graph: nx.DiGraph) -> None:
        self.nodes: list[Hashable] = [node for node in graph if not _is_person(node)]
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.before = [[self.index[b] for b in graph.predecessors(n) if b in self.index]
                       for n in self.nodes]  # fmt: skip
        self.after = [[self.index[a] for a in graph.successors(n) if a in self.index]
                      for n in self.nodes]  # fmt: skip

    def distances(self, target: int, extra_ties: Iterable[tuple[int, int]] = ()) -> Ints:
        """Hops from every node to ``target`` (``UNREACHED`` with no route), with
        ``extra_ties`` (source, target) added."""
        into = ties_into(extra_ties)
        distance = [UNREACHED] * len(self.nodes)
        distance[target] = 0
        frontier, hops = [target], 0
        while frontier:
            hops += 1
            step = []
            for node in frontier:
                for before in (*self.before[node], *into.get(node, ())):
                    if distance[before] == UNREACHED:
                        distance[before] = hops
                        step.append(before)
            frontier = step
        return np.array(distance, dtype=np.int64)

    def without(
        self, distance: Ints, *, node: int | None = None, tie: tuple[int, int] | None = None
    ) -> tuple[Ints, list[int]]:
        """The distances once ``node`` or ``tie`` (on a shortest route) is lost, and
        the nodes whose distance changed: what searching again without it gives."""
        d = distance.tolist()
        lost = _lost_first(self, d, node, tie)
        changed = self._moved(d, lost)
        after = distance.copy()
        if changed:
            for moved, hops in self._rerouted(d, changed, node, tie).items():
                after[moved] = hops
        return after, changed

    def closer(
        self, distance: list[int], source: int, target: int, into: dict[int, list[int]]
    ) -> dict[int, int]:
        """The nodes a new tie ``source`` -> ``target`` brings nearer, with their new
        distances (``into``: ties already added, by the node they lead to). Only
        nodes upstream of ``source`` can gain, and only through nodes that gained."""
        start = distance[target] + 1
        if start >= distance[source]:
            return {}
        gained = {source: start}
        frontier = [source]
        while frontier:
            step = []
            for node in frontier:
                hops = gained[node] + 1
                for before in (*self.before[node], *into.get(node, ())):
                    if hops < distance[before] and hops < gained.get(before, UNREACHED):
                        gained[before] = hops
                        step.append(before)
            frontier = step
        return gained

    def _moved(self, distance: list[int], first: int | None) -> list[int]:
        """``first`` and every node all of whose shortest routes pass through the
        nodes already moved, level by level away from the target."""
        if first is None:
            return []
        moved, frontier = {first}, [first]
        while frontier:
            hops = distance[frontier[0]] + 1
            upstream = {b for n in frontier for b in self.before[n] if distance[b] == hops}
            frontier = [
                b
                for b in upstream - moved
                if all(a in moved for a in self.after[b] if distance[a] == hops - 1)
            ]
            moved.update(frontier)
        return sorted(moved)

    def _rerouted(
        self,
        distance: list[int],
        moved: list[int],
        node: int | None,
        tie: tuple[int, int] | None,
    ) -> dict[int, int]:
        """New distances of the ``moved`` nodes: the shortest way round through the
        nodes that kept theirs, found nearest first."""
        moving = set(moved)
        best = dict.fromkeys(moved, UNREACHED)
        queue: list[tuple[int, int]] = []
        for m in moved:
            if m == node:
                continue
            for a in self.after[m]:
                if a not in moving and a != node and (m, a) != tie and distance[a] + 1 < best[m]:
                    best[m] = distance[a] + 1
            if best[m] < UNREACHED:
                queue.append((best[m], m))
        heapq.heapify(queue)
        done: set[int] = set()
        while queue:
            hops, m = heapq.heappop(queue)
            if m in done:
                continue
            done.add(m)
            for b in self.before[m]:
                if b in moving and b != node and b not in done and (b, m) != tie:
                    if hops + 1 < best[b]:
                        best[b] = hops + 1
                        heapq.heappush(queue, (hops + 1, b))
        return best


class Routes:
    """Distances to one target in a backbone, and what each loss of a node or tie
    on a shortest route does to them (each loss searched once, however often asked)."""

    def __init__(self, backbone: Backbone, target: Hashable) -> None:
        self.backbone = backbone
        self.target = backbone.index.get(target)
        self.distance = (
            backbone.distances(self.target)
            if self.target is not None
            else np.full(len(backbone.nodes), UNREACHED, dtype=np.int64)
        )
        self._lost: dict[tuple[int | None, tuple[int, int] | None], tuple[Ints, list[int]]] = {}

    def without(
        self, *, node: int | None = None, tie: tuple[int, int] | None = None
    ) -> tuple[Ints, list[int]]:
        """``Backbone.without`` from the target's distances, searched once a loss."""
        key = (node, tie)
        if key not in self._lost:
            self._lost[key] = self.backbone.without(self.distance, node=node, tie=tie)
        return self._lost[key]

    def tight_nodes(self, start: Iterable[int]) -> set[int]:
        """Nodes on some shortest route from ``start`` to the target."""
        distance, after = self.distance.tolist(), self.backbone.after
        frontier = set(start)
        seen = set(frontier)
        while frontier:
            step = set()
            for node in frontier:
                for a in after[node]:
                    if distance[a] == distance[node] - 1 and a not in seen:
                        seen.add(a)
                        step.add(a)
            frontier = step
        return seen

    def tight_ties(self, nodes: Iterable[int]) -> list[tuple[int, int]]:
        """The ties out of ``nodes`` that lie on a shortest route."""
        distance = self.distance.tolist()
        return [(node, a) for node in nodes for a in self.backbone.after[node]
                if distance[a] == distance[node] - 1]  # fmt: skip


def ties_into(ties: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Added (source, target) ties by the node they lead to, as searches walk them."""
    into: dict[int, list[int]] = {}
    for source, target in ties:
        into.setdefault(target, []).append(source)
    return into


def _lost_first(
    backbone: Backbone, distance: list[int], node: int | None, tie: tuple[int, int] | None
) -> int | None:
    """The node a loss moves first: the node itself, or a tie's source when that
    tie was its only step nearer the target (else nothing moves)."""
    if node is not None:
        return node
    if tie is None:
        return None
    source, target = tie
    nearer = distance[source] - 1
    others = [a for a in backbone.after[source] if a != target and distance[a] == nearer]
    return None if others else source
