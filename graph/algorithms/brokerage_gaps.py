"""Where the bridge between people and an anchor is missing.

The referral network is the directed graph of ``graph.services.paths``: people
reach organisations through at most two word-of-mouth hops (their *ways in*,
read by ``graph.cypher.brokerage.ENTRY_POINTS`` and ``FAR_ENTRY_POINTS``), then
organisational ties (``graph.algorithms.backbone``) lead on to the anchor. A
person *reaches* the anchor when such a path has at most ``max_hops`` hops.

The people are many (tens of thousands, each with a score of ways in) and rarely
share the same ones, so their ways in are flat arrays (``WaysIn``) and every
count is a vectorised pass. Removing a node or tie can only cut people off if it
lies on a shortest route to the anchor, so only those are tried, and only the
ways in through the nodes it moves are looked at.

Most people cannot be cut off at all: one of their nearer ways in reaches the
anchor round any single loss. ``unsettled`` finds the others, and only their
ways in are read further and weighed (``further_matter`` says whose further ways
in can matter at all).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.algorithms.backbone import UNREACHED, Routes, ties_into

__all__ = [
    "SuggestedTie",
    "WaysIn",
    "critical_nodes",
    "critical_ties",
    "further_matter",
    "suggest_links",
    "unsettled",
]

# The fewest hops in which a new tie from one organisation reconnects someone served
# by another: to their organisation, on to the tie's source, over the tie.
_RECONNECT_HOPS = 3

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class WaysIn:
    """People's ways in, flat: way ``k`` is person ``person[k]`` (of ``0 ..
    people - 1``) reaching backbone node ``node[k]`` in ``hops[k]`` hops."""

    people: int
    person: Ints
    node: Ints
    hops: Ints

    def reaching(self, distance: Ints, max_hops: int) -> Flags:
        """Whether each person reaches the target within ``max_hops``."""
        ok = self.hops + distance[self.node] <= max_hops
        return np.bincount(self.person[ok], minlength=self.people) > 0

    def where(self, keep: Flags) -> WaysIn:
        return WaysIn(self.people, self.person[keep], self.node[keep], self.hops[keep])

    def merged(self, more: WaysIn) -> WaysIn:
        """These ways in and ``more``, one per person and node: the fewest hops.

        Ordered by person, node and hops packed into one integer: one sort of
        integers costs a fraction of a sort by three keys and three gathers."""
        person = np.concatenate([self.person, more.person])
        node = np.concatenate([self.node, more.node])
        hops = np.concatenate([self.hops, more.hops])
        if person.size == 0:
            return WaysIn(self.people, person, node, hops)
        nodes, longest = int(node.max()) + 1, int(hops.max()) + 1
        key = np.sort((person * nodes + node) * longest + hops)
        pair = key // longest
        first = np.ones(key.size, dtype=np.bool_)
        first[1:] = pair[1:] != pair[:-1]
        pair = pair[first]
        return WaysIn(self.people, pair // nodes, pair % nodes, key[first] % longest)


@dataclass(frozen=True)
class SuggestedTie:
    source: Hashable
    target: Hashable
    reconnects: int
    hops_after: int


def unsettled(routes: Routes, ways: WaysIn, max_hops: int) -> Flags:
    """People some loss would cut off through these ways in, and those with no way
    in that reaches the target. Anyone else reaches it whatever is lost: more ways
    in cannot change that, they count in no cut, and no new tie is for them, so
    ``critical_nodes``, ``critical_ties`` and ``suggest_links`` give the same
    answer from the unsettled people's ways in alone.

    With no route to the target at all, no way in can count: no one is unsettled."""
    if routes.target is None:
        return np.zeros(ways.people, dtype=np.bool_)
    useful = _useful(routes, ways, max_hops)
    open_: Flags = useful.per_person == 0
    for after, changed in _losses(routes, useful):
        open_[useful.cut(after, changed, max_hops)] = True
    return open_


def further_matter(
    routes: Routes, ways: WaysIn, unsettled: Flags, max_hops: int, hops: int
) -> Flags:
    """Whose ways in ``hops`` away (further than any in ``ways``) can change an
    answer, given who is ``unsettled``: all of them when such a way in can itself
    reach the target (the target is at least one hop beyond any organisation);
    else only people with no route, and only within ``_RECONNECT_HOPS``, since the
    organisation can still start a suggested tie that brings one of theirs nearer."""
    if max_hops > hops:
        return unsettled
    if max_hops >= _RECONNECT_HOPS:
        return unsettled & ~ways.reaching(routes.distance, max_hops)
    return np.zeros(ways.people, dtype=np.bool_)


def critical_nodes(routes: Routes, ways: WaysIn, max_hops: int) -> dict[Hashable, int]:
    """For each node whose loss cuts people off from the target: how many it cuts."""
    if routes.target is None:
        return {}
    useful = _useful(routes, ways, max_hops)
    cuts: dict[Hashable, int] = {}
    for node in routes.tight_nodes(useful.nodes) - {routes.target}:
        lost = useful.cut(*routes.without(node=node), max_hops).size
        if lost:
            cuts[routes.backbone.nodes[node]] = lost
    return cuts


def critical_ties(
    routes: Routes, ways: WaysIn, max_hops: int
) -> dict[tuple[Hashable, Hashable], int]:
    """For each organisational tie whose loss cuts people off: how many it cuts."""
    if routes.target is None:
        return {}
    useful = _useful(routes, ways, max_hops)
    nodes = routes.backbone.nodes
    cuts: dict[tuple[Hashable, Hashable], int] = {}
    for source, target in routes.tight_ties(routes.tight_nodes(useful.nodes)):
        lost = useful.cut(*routes.without(tie=(source, target)), max_hops).size
        if lost:
            cuts[(nodes[source], nodes[target])] = lost
    return cuts


def suggest_links(
    routes: Routes,
    ways: WaysIn,
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
    backbone, t = routes.backbone, routes.target
    if t is None:
        return []
    preferred = [backbone.index[n] for n in prefer if n in backbone.index]
    label = [str(node) for node in backbone.nodes]
    added: list[tuple[int, int]] = []
    chosen: list[SuggestedTie] = []
    for _ in range(limit):
        distance = backbone.distances(t, added)
        stuck = ~ways.reaching(distance, max_hops)
        if not stuck.any():
            break
        d = distance.tolist()
        # A new tie into the anchor's own hub is the bridge the place already has
        # a door for; only without one does the nearest linked node serve.
        linked = [n for n in preferred if d[n] < UNREACHED] or [
            n for n, hops in enumerate(d) if hops < UNREACHED
        ]
        best_to = min(linked, key=lambda n: (d[n], label[n]))
        cut_off = _ByNode(ways.where(stuck[ways.person]), len(d))
        sources = sorted((n for n in cut_off.nodes if d[n] == UNREACHED), key=label.__getitem__)
        into = ties_into(added)
        best: tuple[int, int, int] | None = None  # (gain, source, hops after)
        for source in sources:
            gained = backbone.closer(d, source, best_to, into)
            trial = distance.copy()
            trial[list(gained)] = list(gained.values())
            gain = cut_off.reached(list(gained), trial, max_hops)
            if gain and (best is None or gain > best[0]):
                best = (gain, source, gained.get(source, 0))
        if best is None:
            break
        gain, source, hops_after = best
        added.append((source, best_to))
        chosen.append(
            SuggestedTie(backbone.nodes[source], backbone.nodes[best_to], gain, hops_after)
        )
    return chosen


class _ByNode:
    """Ways in sorted by node, so those through a few nodes are read as slices."""

    def __init__(self, ways: WaysIn, nodes: int) -> None:
        order = np.argsort(ways.node, kind="stable")
        self.person = ways.person[order]
        self.node = ways.node[order]
        self.hops = ways.hops[order]
        self.start = np.searchsorted(self.node, np.arange(nodes + 1)).tolist()
        self.nodes = np.unique(self.node).tolist()
        # Ways in a person has here: all must change before the person can be cut off.
        self.per_person = np.bincount(self.person, minlength=ways.people)

    def through(self, nodes: Sequence[int]) -> npt.NDArray[np.intp]:
        spans = [np.arange(self.start[n], self.start[n + 1]) for n in nodes]
        return np.concatenate(spans) if spans else np.zeros(0, dtype=np.intp)

    def reached(self, nodes: Sequence[int], distance: Ints, max_hops: int) -> int:
        """How many people reach the target through one of ``nodes``."""
        rows = self.through(nodes)
        ok = rows[self.hops[rows] + distance[self.node[rows]] <= max_hops]
        return int(np.unique(self.person[ok]).size)

    def cut(self, distance: Ints, changed: Sequence[int], max_hops: int) -> Ints:
        """People who reached the target before and not at ``distance``: all their
        ways in ran through ``changed`` nodes, and none of those reaches now."""
        rows = self.through(changed)
        if rows.size == 0:
            return np.zeros(0, dtype=np.int64)
        people = self.person[rows]
        touched, seen = np.unique(people, return_counts=True)
        cut: Ints = touched[seen == self.per_person[touched]]
        if cut.size == 0:
            return cut
        ok = self.hops[rows] + distance[self.node[rows]] <= max_hops
        still: Ints = cut[~np.isin(cut, people[ok])]
        return still


def _useful(routes: Routes, ways: WaysIn, max_hops: int) -> _ByNode:
    """The ways in that reach the target in time: a loss only lengthens routes, so
    no other way in can ever count."""
    useful = ways.where(ways.hops + routes.distance[ways.node] <= max_hops)
    return _ByNode(useful, len(routes.backbone.nodes))


def _losses(routes: Routes, useful: _ByNode) -> Iterator[tuple[Ints, list[int]]]:
    """What each loss of a node or tie on a shortest route from ``useful`` does."""
    tight = routes.tight_nodes(useful.nodes)
    for node in tight - {routes.target}:
        yield routes.without(node=node)
    for tie in routes.tight_ties(tight):
        yield routes.without(tie=tie)
