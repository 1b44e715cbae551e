"""Where the bridge between people and an anchor is missing.

The referral network is the directed graph of ``graph.services.paths``: people
reach organisations through at most two word-of-mouth hops (their *entry
points*, read in bulk by ``graph.cypher.brokerage.ENTRY_POINTS``), then
organisational ties lead on to the anchor. A person *reaches* the anchor when
such a path has at most ``max_hops`` hops.

Removing a node or tie can only cut people off if it lies on a shortest route
to the anchor, so only those are tried; people with the same ways in (the
organisations they reach first, and how far away those are) are counted
together rather than one by one.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "EntryPoints",
    "critical_nodes",
    "critical_ties",
    "distances_to",
    "reaches",
    "suggest_links",
]

PERSON = "Person"
WORD_OF_MOUTH_HOPS = 2

# The organisations a person reaches first, each with the hops it took to get there.
EntryPoints = frozenset[tuple[Hashable, int]]


def _is_person(node: Hashable) -> bool:
    return isinstance(node, tuple) and len(node) == 2 and node[0] == PERSON


def distances_to(
    graph: nx.DiGraph,
    target: Hashable,
    *,
    without_node: Hashable | None = None,
    without_tie: tuple[Hashable, Hashable] | None = None,
    extra_ties: Iterable[tuple[Hashable, Hashable]] = (),
) -> dict[Hashable, int]:
    """Hops from every organisational node to ``target`` (people are not walked)."""
    if target == without_node or target not in graph:
        return {}
    extra: dict[Hashable, list[Hashable]] = {}
    for source, after in extra_ties:
        extra.setdefault(after, []).append(source)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        befores = [*graph.predecessors(node), *extra.get(node, [])]
        for before in befores:
            if _is_person(before) or before in distance or before == without_node:
                continue
            if without_tie is not None and (before, node) == without_tie:
                continue
            distance[before] = distance[node] + 1
            queue.append(before)
    return distance


def reaches(entries: EntryPoints, distance: Mapping[Hashable, int], max_hops: int) -> bool:
    return any(org in distance and hops + distance[org] <= max_hops for org, hops in entries)


def _linked(
    groups: Counter[EntryPoints], distance: Mapping[Hashable, int], max_hops: int
) -> Counter[EntryPoints]:
    return Counter({g: n for g, n in groups.items() if reaches(g, distance, max_hops)})


def _tight_nodes(
    groups: Counter[EntryPoints], distance: Mapping[Hashable, int], max_hops: int, graph: nx.DiGraph
) -> set[Hashable]:
    """Nodes on some shortest route from a linked group's way in to the target."""
    frontier = {
        org
        for group in groups
        for org, hops in group
        if org in distance and hops + distance[org] <= max_hops
    }
    seen = set(frontier)
    while frontier:
        step = set()
        for node in frontier:
            for after in graph.successors(node):
                if (
                    after in distance
                    and distance[after] == distance[node] - 1
                    and after not in seen
                ):
                    seen.add(after)
                    step.add(after)
        frontier = step
    return seen


def _groups_by_org(groups: Iterable[EntryPoints]) -> dict[Hashable, list[EntryPoints]]:
    by_org: dict[Hashable, list[EntryPoints]] = defaultdict(list)
    for group in groups:
        for org, _ in group:
            by_org[org].append(group)
    return by_org


def _useful_ways_in(
    linked: Counter[EntryPoints], distance: Mapping[Hashable, int], max_hops: int
) -> dict[EntryPoints, frozenset[Hashable]]:
    """For each linked group, the nodes of its ways in that reach the target in time."""
    return {
        group: frozenset(
            org for org, hops in group if org in distance and hops + distance[org] <= max_hops
        )
        for group in linked
    }


def _lost(
    linked: Counter[EntryPoints],
    by_org: Mapping[Hashable, list[EntryPoints]],
    useful: Mapping[EntryPoints, frozenset[Hashable]],
    before: Mapping[Hashable, int],
    after: Mapping[Hashable, int],
    max_hops: int,
) -> int:
    """People of linked groups who no longer reach the target. Only a group with a
    way in whose distance changed can be cut off, so the others are not looked at:
    that keeps a large place to a few groups per removal. A removed node has no
    distance in ``after``, so it counts as changed and no way in through it counts.
    A group with a useful way in through a node whose distance did not change still
    reaches, so only groups whose useful ways in all changed are checked in full."""
    changed = {node for node, hops in before.items() if after.get(node) != hops}
    touched = {group for node in changed for group in by_org.get(node, ())}
    return sum(
        linked[group]
        for group in touched
        if useful[group] <= changed and not reaches(group, after, max_hops)
    )


def critical_nodes(
    graph: nx.DiGraph, target: Hashable, groups: Counter[EntryPoints], max_hops: int
) -> dict[Hashable, int]:
    """For each node whose loss cuts people off from ``target``: how many it cuts."""
    distance = distances_to(graph, target)
    linked = _linked(groups, distance, max_hops)
    by_org = _groups_by_org(linked)
    useful = _useful_ways_in(linked, distance, max_hops)
    cuts: dict[Hashable, int] = {}
    for node in _tight_nodes(linked, distance, max_hops, graph) - {target}:
        after = distances_to(graph, target, without_node=node)
        lost = _lost(linked, by_org, useful, distance, after, max_hops)
        if lost:
            cuts[node] = lost
    return cuts


def critical_ties(
    graph: nx.DiGraph, target: Hashable, groups: Counter[EntryPoints], max_hops: int
) -> dict[tuple[Hashable, Hashable], int]:
    """For each organisational tie whose loss cuts people off: how many it cuts."""
    distance = distances_to(graph, target)
    linked = _linked(groups, distance, max_hops)
    by_org = _groups_by_org(linked)
    useful = _useful_ways_in(linked, distance, max_hops)
    tight = _tight_nodes(linked, distance, max_hops, graph)
    cuts: dict[tuple[Hashable, Hashable], int] = {}
    for node in tight:
        for after in graph.successors(node):
            if after not in distance or distance[after] != distance[node] - 1:
                continue
            tie = (node, after)
            changed = distances_to(graph, target, without_tie=tie)
            lost = _lost(linked, by_org, useful, distance, changed, max_hops)
            if lost:
                cuts[tie] = lost
    return cuts


@dataclass(frozen=True)
class SuggestedTie:
    source: Hashable
    target: Hashable
    reconnects: int
    hops_after: int


def suggest_links(
    graph: nx.DiGraph,
    target: Hashable,
    groups: Counter[EntryPoints],
    max_hops: int,
    *,
    limit: int = 5,
    prefer: Iterable[Hashable] = (),
) -> list[SuggestedTie]:
    """New ties from organisations serving cut-off people, chosen greedily: each
    step adds the tie that reconnects the most people not yet reconnected.

    A new tie goes to a ``prefer``-red node (such as the anchor's employment hub)
    when one is linked, else to the linked node nearest the target.
    """
    preferred = list(prefer)
    added: list[tuple[Hashable, Hashable]] = []
    chosen: list[SuggestedTie] = []
    for _ in range(limit):
        distance = distances_to(graph, target, extra_ties=added)
        unlinked = Counter({g: n for g, n in groups.items() if not reaches(g, distance, max_hops)})
        if not unlinked or not distance:
            break
        # A new tie into the anchor's own hub is the bridge the place already has
        # a door for; only without one does the nearest linked node serve.
        linked_preferred = [n for n in preferred if n in distance]
        best_to = min(linked_preferred or distance, key=lambda n: (distance[n], str(n)))
        sources = sorted({org for g in unlinked for org, _ in g if org not in distance}, key=str)
        best: SuggestedTie | None = None
        for source in sources:
            trial = distances_to(graph, target, extra_ties=[*added, (source, best_to)])
            gain = sum(n for g, n in unlinked.items() if reaches(g, trial, max_hops))
            if gain and (best is None or gain > best.reconnects):
                best = SuggestedTie(source, best_to, gain, trial.get(source, 0))
        if best is None:
            break
        added.append((best.source, best.target))
        chosen.append(best)
    return chosen
