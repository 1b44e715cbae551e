"""The brokerage-gap algorithms against the plain way to work each answer out.

``graph.algorithms.brokerage_gaps`` searches again only what a loss moves, tries
only losses on shortest routes, and weighs only the people a loss could cut off.
Here every node and tie is removed in turn and the whole backbone searched again,
every person is weighed, and each suggested tie is tried by searching the whole
backbone with it: on random places the answers must be the same.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import cast

import networkx as nx
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.algorithms import brokerage_gaps as algo
from graph.algorithms.backbone import UNREACHED, Backbone, Routes

TARGET = ("AnchorInstitution", "trust")
Node = tuple[str, str]
Way = tuple[int, Node, int]  # person, node, hops
# A backbone, nearer ways in, further ways in, a hop limit and preferred nodes.
Place = tuple[nx.DiGraph, list[Way], list[Way], int, list[Node]]


def _distances(
    graph: nx.DiGraph,
    without_node: Node | None = None,
    without_tie: tuple[Node, Node] | None = None,
    extra: Iterable[tuple[Node, Node]] = (),
) -> dict[Node, int]:
    if TARGET not in graph or without_node == TARGET:
        return {}
    into: dict[Node, list[Node]] = {}
    for source, target in extra:
        into.setdefault(target, []).append(source)
    distance = {TARGET: 0}
    queue = deque([TARGET])
    while queue:
        node = queue.popleft()
        for before in [*graph.predecessors(node), *into.get(node, [])]:
            if before in distance or before == without_node or (before, node) == without_tie:
                continue
            distance[before] = distance[node] + 1
            queue.append(before)
    return distance


def _reaching(ways: list[Way], distance: dict[Node, int], max_hops: int) -> set[int]:
    return {p for p, node, hops in ways if node in distance and hops + distance[node] <= max_hops}


def _cuts(graph: nx.DiGraph, ways: list[Way], max_hops: int) -> tuple[dict, dict]:  # type: ignore[type-arg]
    linked = _reaching(ways, _distances(graph), max_hops)
    nodes = {}
    for node in graph:
        if node != TARGET:
            lost = len(linked - _reaching(ways, _distances(graph, without_node=node), max_hops))
            if lost:
                nodes[node] = lost
    ties = {}
    for tie in graph.edges:
        lost = len(linked - _reaching(ways, _distances(graph, without_tie=tie), max_hops))
        if lost:
            ties[tie] = lost
    return nodes, ties


def _suggestions(
    graph: nx.DiGraph, ways: list[Way], max_hops: int, prefer: list[Node], limit: int = 5
) -> list[algo.SuggestedTie]:
    added: list[tuple[Node, Node]] = []
    chosen = []
    for _ in range(limit):
        distance = _distances(graph, extra=added)
        stuck = {p for p, _, _ in ways} - _reaching(ways, distance, max_hops)
        if not stuck or not distance:
            break
        linked = [n for n in prefer if n in distance] or list(distance)
        best_to = min(linked, key=lambda n: (distance[n], str(n)))
        sources = sorted({n for p, n, _ in ways if p in stuck and n not in distance}, key=str)
        best = None
        for source in sources:
            trial = _distances(graph, extra=[*added, (source, best_to)])
            gain = len(stuck & _reaching(ways, trial, max_hops))
            if gain and (best is None or gain > best.reconnects):
                best = algo.SuggestedTie(source, best_to, gain, trial.get(source, 0))
        if best is None:
            break
        added.append((cast(Node, best.source), cast(Node, best.target)))
        chosen.append(best)
    return chosen


@st.composite
def places(draw: st.DrawFn) -> Place:
    """A backbone of organisations and hubs round the target, people's nearer ways
    in (1 or 2 hops) and further ones (3 hops), a hop limit and preferred hubs."""
    organisations = [("CommunityOrganisation", f"o{i}") for i in range(draw(st.integers(1, 9)))]
    hubs = [("Department", f"h{i}") for i in range(draw(st.integers(0, 2)))]
    nodes: list[Node] = [*organisations, *hubs, TARGET]
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    pairs = [(a, b) for a in nodes for b in nodes if a != b]
    graph.add_edges_from(draw(st.lists(st.sampled_from(pairs), max_size=20)))
    people = draw(st.integers(0, 12))
    way = st.tuples(st.integers(0, max(people - 1, 0)), st.sampled_from(organisations))
    near = [(p, o, draw(st.integers(1, 2))) for p, o in draw(st.lists(way, max_size=30))]
    far = [(p, o, 3) for p, o in draw(st.lists(way, max_size=30))] if people else []
    near = near if people else []
    return graph, _fewest(near), _fewest(far), draw(st.integers(1, 9)), hubs


def _fewest(ways: list[Way]) -> list[Way]:
    best: dict[tuple[int, Node], int] = {}
    for p, node, hops in ways:
        best[(p, node)] = min(hops, best.get((p, node), hops))
    return [(p, node, hops) for (p, node), hops in best.items()]


def _ways_in(backbone: Backbone, people: int, ways: list[Way]) -> algo.WaysIn:
    return algo.WaysIn(
        people=people,
        person=np.array([p for p, _, _ in ways], dtype=np.int64),
        node=np.array([backbone.index[n] for _, n, _ in ways], dtype=np.int64),
        hops=np.array([h for _, _, h in ways], dtype=np.int64),
    )


def _o(name: str) -> Node:
    return ("CommunityOrganisation", name)


def _backbone(*ties: tuple[Node, Node], alone: tuple[Node, ...] = ()) -> nx.DiGraph:
    graph = nx.DiGraph(ties)
    graph.add_nodes_from([TARGET, *alone])
    return graph


# Losing x moves m (its one short route ran through x) round the long way; x has a
# tie to m, and a lost node must not be a way round for anyone, itself included.
ROUND_THE_LOST: Place = (
    _backbone((_o("a"), TARGET), (_o("x"), _o("a")), (_o("m"), _o("x")), (_o("x"), _o("m")),
              (_o("m"), _o("b")), (_o("b"), _o("c")), (_o("c"), _o("d")), (_o("d"), TARGET)),
    [(0, _o("m"), 1)], [], 6, [],
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(places())
@example(ROUND_THE_LOST)
def test_losses_move_what_searching_again_moves(
    place: Place,
) -> None:
    graph = place[0]
    routes = Routes(Backbone(graph), TARGET)
    if routes.target is None:
        return
    nodes = cast(list[Node], routes.backbone.nodes)
    before = _distances(graph)
    for i, node in enumerate(nodes):
        if node == TARGET or node not in before:
            continue  # only a node on a route is ever lost
        after, changed = routes.without(node=i)
        expected = _distances(graph, without_node=node)
        assert {nodes[j]: int(d) for j, d in enumerate(after) if d < UNREACHED} == expected
        assert {nodes[j] for j in changed} == {n for n, d in before.items() if expected.get(n) != d}
    for source, target in routes.tight_ties(range(len(nodes))):
        after, changed = routes.without(tie=(source, target))
        expected = _distances(graph, without_tie=(nodes[source], nodes[target]))
        assert {nodes[j]: int(d) for j, d in enumerate(after) if d < UNREACHED} == expected


@settings(max_examples=400, deadline=None)
@given(places())
def test_cuts_and_suggestions_equal_trying_everything(
    place: Place,
) -> None:
    graph, near, far, max_hops, hubs = place
    ways = _fewest([*near, *far])
    people = 1 + max((p for p, _, _ in ways), default=-1)
    routes = Routes(Backbone(graph), TARGET)
    every = _ways_in(routes.backbone, people, ways)
    nodes, ties = _cuts(graph, ways, max_hops)
    assert algo.critical_nodes(routes, every, max_hops) == nodes
    assert algo.critical_ties(routes, every, max_hops) == ties
    assert algo.suggest_links(routes, every, max_hops, prefer=hubs) == _suggestions(
        graph, ways, max_hops, hubs
    )


# Within 3 hops a friend of a friend's organisation o3 is no way in, yet a tie from
# it to the trust brings o4, which serves the person, within reach: it comes first.
FAR_SOURCE: Place = (
    _backbone((_o("o4"), _o("o3")), alone=(_o("o7"),)),
    [(0, _o("o4"), 1), (0, _o("o7"), 1)], [(0, _o("o3"), 3)], 3, [],
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(places())
@example(FAR_SOURCE)
def test_the_unsettled_alone_give_the_same_answer(
    place: Place,
) -> None:
    """What the service does: further ways in read only for the people whose answer
    they can change, and only the people the nearer ways leave unsettled weighed."""
    graph, near, far, max_hops, hubs = place
    people = 1 + max((p for p, _, _ in [*near, *far]), default=-1)
    routes = Routes(Backbone(graph), TARGET)
    nearer = _ways_in(routes.backbone, people, near)
    open_ = algo.unsettled(routes, nearer, max_hops)
    further = algo.further_matter(routes, nearer, open_, max_hops, 3)
    read = [w for w in far if further[w[0]]]
    weighed = [w for w in _fewest([*near, *read]) if open_[w[0]]]
    ways = _fewest([*near, *far])
    some = _ways_in(routes.backbone, people, weighed)
    every = _ways_in(routes.backbone, people, ways)
    assert algo.critical_nodes(routes, some, max_hops) == algo.critical_nodes(
        routes, every, max_hops
    )
    assert algo.critical_ties(routes, some, max_hops) == algo.critical_ties(routes, every, max_hops)
    assert algo.suggest_links(routes, some, max_hops, prefer=hubs) == algo.suggest_links(
        routes, every, max_hops, prefer=hubs
    )
    merged = _ways_in(routes.backbone, people, near).merged(_ways_in(routes.backbone, people, read))
    linked = _reaching(ways, _distances(graph), max_hops)
    assert set(np.flatnonzero(merged.reaching(routes.distance, max_hops)).tolist()) == linked
