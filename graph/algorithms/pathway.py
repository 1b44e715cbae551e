"""A person's whole route to a vacancy: referral hops with the gap-closing steps on the way.

A route runs over the referral network (``graph.algorithms.referral_paths``) from a start
to a vacancy and passes, in a fixed order, one provider of each step the pathway needs
(immigration advice, then English, then recognition of a qualification, then the missing
skills: the order of the readiness stages). The search runs on the network copied once
per step: moving along a tie keeps to the copy, and standing at a provider of the next
step moves to the next copy without a hop. A route reaches the vacancy in the last copy,
so it cannot skip a step, and an organisation may stand on it twice only with a step
closed in between (the hub that refers someone to tuition and takes them back after).
The copies are unrolled into hop layers, as ``k_best_paths`` does, so the hop limit and the
position rule bound the search itself.

Ranked as referral paths are: ``FEWEST_HOPS`` by hops, then trust cost; ``STRONGEST_TRUST``
by trust cost, then hops; ties by where the steps close, then by node keys.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx

from graph.algorithms.referral_paths import PathMode
from graph.models.matching import Gap, VacancyRequirements

__all__ = [
    "STEP_ORDER",
    "STEP_STAGE",
    "RankedRoute",
    "Step",
    "k_best_routes",
    "pathway_steps",
]

# The order a pathway needs its steps in, by gap kind (the readiness stages' order:
# engaged, language training, accreditation, placement).
STEP_ORDER = ("right_to_work", "language", "qualification", "skill")
# The readiness stage each step is worked through in; its time comes from there.
STEP_STAGE = {
    "right_to_work": None,
    "language": "language_training",
    "qualification": "accreditation",
    "skill": "placement",
}
# Yen's algorithm yields candidates that the hop limit or the word-of-mouth rule then
# refuse; past this many the search stops rather than run on over a dense network.
_MAX_EXAMINED = 2000
_COST_DIGITS = 9


@dataclass(frozen=True)
class Step:
    """One step the route must pass, closing ``gaps`` (all of one kind) at any of
    ``services``' providers."""

    kind: str
    gaps: tuple[Gap, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class RankedRoute:
    """``nodes`` in order; ``closed_at[i]`` is the position in ``nodes`` where step ``i``
    is closed; ``returns``, the positions reached by going back to the referrer after a
    step (the reverse of the tie taken to the provider, at its trust)."""

    nodes: tuple[Hashable, ...]
    closed_at: tuple[int, ...]
    hops: int
    cost: float
    returns: tuple[int, ...] = ()


def pathway_steps(gaps: Iterable[Gap], vacancy: VacancyRequirements) -> list[Step]:
    """The steps a route must pass for these gaps, in the order the pathway needs them;
    gaps of one kind (several missing skills) are one step.

    English classes do not bring someone to an IELTS band, so where the vacancy asks for
    one, only IELTS tuition closes the language gap.

    >>> v = VacancyRequirements(id="v", title="Nurse", min_ielts=7.0)
    >>> gaps = [Gap(kind="skill", description="needs triage", closed_by=["mentoring"]),
    ...         Gap(kind="language", description="IELTS 7.0 needed",
    ...             closed_by=["ielts_tuition", "english_classes"])]
    >>> [(s.kind, s.services) for s in pathway_steps(gaps, v)]
    [('language', ('ielts_tuition',)), ('skill', ('mentoring',))]
    """
    by_kind: dict[str, list[Gap]] = {}
    for gap in gaps:
        by_kind.setdefault(gap.kind, []).append(gap)
    steps = []
    for kind in sorted(by_kind, key=_order):
        found = by_kind[kind]
        services = list(dict.fromkeys(s for gap in found for s in gap.closed_by))
        if kind == "language" and vacancy.min_ielts is not None and "ielts_tuition" in services:
            services = ["ielts_tuition"]
        steps.append(Step(kind=kind, gaps=tuple(found), services=tuple(services)))
    return steps


def k_best_routes(
    graph: nx.DiGraph,
    source: Hashable,
    target: Hashable,
    providers: Sequence[frozenset[Hashable]],
    k: int,
    max_hops: int,
    mode: PathMode,
    latest_position: Callable[[Hashable], int | None] | None = None,
) -> list[RankedRoute]:
    """The ``k`` best routes of at most ``max_hops`` hops from source to target that pass
    a node of each of ``providers`` in turn.

    Parameters
    ----------
    graph : nx.DiGraph
        The referral network; edges carry ``cost``.
    providers : sequence of frozensets
        For each step in order, the nodes where it can be closed.
    latest_position : callable, optional
        For a node, the last position (hops from the source) it may stand at, or None.

    Examples
    --------
    >>> from graph.algorithms.referral_paths import network_from_ties
    >>> g = network_from_ties([("p", None, "hub", None, "REFERS_TO", 0.9),
    ...     ("hub", None, "trust", None, "PART_OF", None),
    ...     ("hub", None, "tutor", None, "REFERS_TO", 0.8),
    ...     ("tutor", None, "trust", None, "PARTNERS_WITH", 0.5)], frozenset())
    >>> [r.nodes for r in k_best_routes(g, "p", "trust", [], 1, 5, PathMode.FEWEST_HOPS)]
    [('p', 'hub', 'trust')]
    >>> best = k_best_routes(g, "p", "trust", [frozenset({"tutor"})], 1, 5,
    ...                      PathMode.FEWEST_HOPS)[0]
    >>> best.nodes, best.closed_at
    (('p', 'hub', 'tutor', 'trust'), (2,))
    """
    if k < 1 or source not in graph or target not in graph or source == target:
        return []
    layered = _unroll(graph, source, target, providers, max_hops, latest_position or _anywhere)
    if _SINK not in layered:
        return []
    weight = "hop" if mode is PathMode.FEWEST_HOPS else "cost"
    found: dict[tuple[Hashable, ...], RankedRoute] = {}
    candidates = nx.shortest_simple_paths(layered, (source, 0, 0, None), _SINK, weight=weight)
    for layered_path in islice(candidates, _MAX_EXAMINED):
        states = layered_path[:-1]
        if len({(node, stage) for node, stage, _, _ in states}) != len(states):
            continue  # a node twice with no step closed between: a loop, not a route
        route = _route(layered, states)
        ranked = sorted(found.values(), key=lambda r: _rank_key(r, mode))
        if len(ranked) >= k and _primary(route, mode) > _primary(ranked[k - 1], mode):
            break
        kept = found.get(route.nodes)
        # The same nodes with a step closed at another provider on them, or reached by
        # another tie: keep the better, so one route is listed once.
        if kept is None or _rank_key(route, mode) < _rank_key(kept, mode):
            found[route.nodes] = route
    return sorted(found.values(), key=lambda r: _rank_key(r, mode))[:k]


_SINK = ("__sink__", -1, -1, None)
# Node, steps closed, hops taken, and (at a provider of the next step, or one that has
# just closed it) the node the route came from, where the person may go back to.
State = tuple[Hashable, int, int, Hashable | None]


def _unroll(
    graph: nx.DiGraph,
    source: Hashable,
    target: Hashable,
    providers: Sequence[frozenset[Hashable]],
    max_hops: int,
    latest_position: Callable[[Hashable], int | None],
) -> nx.DiGraph:
    """The states a route from the source can reach and still finish from in time,
    joined by hops along ties (one hop), by closing the next step at one of its
    providers (no hop), and by going back, after a step, to whoever sent the person
    there (one hop): a provider the hub refers people to need not refer them on itself.
    Every way into the sink is a route within the hop limit that keeps the position
    rule."""
    last = len(providers)
    left = _hops_left(graph, target, providers)

    def via(stage: int, node: Hashable, came_from: Hashable) -> Hashable | None:
        return came_from if stage < last and node in providers[stage] else None

    layered = nx.DiGraph()
    start: State = (source, 0, 0, None)
    seen = {start}
    frontier = [start]
    while frontier:
        reached: list[State] = []
        for state in frontier:
            node, stage, hops, came_from = state
            moves: list[tuple[State, float, int, bool]] = []
            if stage < last and node in providers[stage]:
                moves.append(((node, stage + 1, hops, came_from), 0.0, 0, False))
            if hops < max_hops:
                moves.extend(
                    ((after, stage, hops + 1, via(stage, after, node)),
                     graph[node][after]["cost"], 1, False)
                    for after in graph.successors(node)
                )  # fmt: skip
                if came_from is not None and stage > 0 and node in providers[stage - 1]:
                    # Gone back, not sent: nobody to go back to from there.
                    back = (came_from, stage, hops + 1, None)
                    moves.append((back, graph[came_from][node]["cost"], 1, True))
            for after, cost, hop, went_back in moves:
                latest = latest_position(after[0])
                if latest is not None and after[2] > latest:
                    continue
                if after[2] + left.get((after[0], after[1]), max_hops + 1) > max_hops:
                    continue
                kept = layered.get_edge_data(state, after)
                if kept is None or cost < kept["cost"]:
                    layered.add_edge(state, after, cost=cost, hop=hop, back=went_back)
                if after[0] == target and after[1] == last:
                    layered.add_edge(after, _SINK, cost=0.0, hop=0, back=False)
                elif after not in seen:
                    seen.add(after)
                    reached.append(after)
        frontier = reached
    return layered


def _hops_left(
    graph: nx.DiGraph, target: Hashable, providers: Sequence[frozenset[Hashable]]
) -> dict[tuple[Hashable, int], int]:
    """At least how many hops from each ``(node, steps closed)`` to the target with every
    step closed: a breadth-first search backwards, where closing a step costs no hop and
    any provider of the step before may go back to a node that refers people to it."""
    last = len(providers)
    left = {(target, last): 0}
    queue = deque([(target, last)])
    while queue:
        node, stage = queue.popleft()
        hops = left[(node, stage)]
        if (
            stage > 0
            and node in providers[stage - 1]
            and left.get((node, stage - 1), hops + 1) > hops
        ):
            left[(node, stage - 1)] = hops
            queue.appendleft((node, stage - 1))  # no hop: ahead of those one hop further
        returning = (
            [v for v in graph.successors(node) if v in providers[stage - 1]] if stage else []
        )
        for before in [*graph.predecessors(node), *returning]:
            if left.get((before, stage), hops + 2) > hops + 1:
                left[(before, stage)] = hops + 1
                queue.append((before, stage))
    return left


def _route(layered: nx.DiGraph, states: Sequence[State]) -> RankedRoute:
    nodes: list[Hashable] = [states[0][0]]
    closed_at: list[int] = []
    returns: list[int] = []
    cost = 0.0
    for before, after in pairwise(states):
        edge = layered[before][after]
        cost += edge["cost"]
        if edge["hop"] == 0:
            closed_at.append(len(nodes) - 1)
            continue
        nodes.append(after[0])
        if edge["back"]:
            returns.append(len(nodes) - 1)
    return RankedRoute(tuple(nodes), tuple(closed_at), len(nodes) - 1,
                       round(cost, _COST_DIGITS) + 0.0, tuple(returns))  # fmt: skip


def _anywhere(node: Hashable) -> int | None:
    del node
    return None


def _order(kind: str) -> tuple[int, str]:
    return (STEP_ORDER.index(kind) if kind in STEP_ORDER else len(STEP_ORDER), kind)


def _primary(route: RankedRoute, mode: PathMode) -> float:
    return route.hops if mode is PathMode.FEWEST_HOPS else route.cost


def _rank_key(
    route: RankedRoute, mode: PathMode
) -> tuple[float, float, tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    tie = tuple(str(node) for node in route.nodes)
    if mode is PathMode.FEWEST_HOPS:
        return (route.hops, route.cost, route.closed_at, route.returns, tie)
    return (route.cost, route.hops, route.closed_at, route.returns, tie)
