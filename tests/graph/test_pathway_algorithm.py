"""The pathway search without a database: the case study's chain, the rules a route keeps,
and the k best routes against every route written out by brute force on random networks."""

from __future__ import annotations

import doctest
from collections.abc import Hashable, Sequence
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.algorithms import pathway as algo
from graph.algorithms.pathway import RankedRoute, k_best_routes, pathway_steps
from graph.algorithms.referral_paths import PathMode, k_best_paths, network_from_ties
from graph.models.matching import Gap, VacancyRequirements

P, CHARITY, HUB = ("Person", "p"), ("CommunityOrganisation", "charity"), ("Department", "hub")
TUITION, ADVICE = ("CommunityOrganisation", "tuition"), ("CommunityOrganisation", "advice")
RECOGNITION = ("CommunityOrganisation", "recognition")
TRUST, VACANCY = ("AnchorInstitution", "trust"), ("Vacancy", "nurse")

# The case study's place: the hub is part of the trust (a certain tie, so the shortest and
# most trusted referral path goes straight through it), and it refers people on to tuition,
# which works with the trust.
CASE_STUDY = [
    (P, None, CHARITY, "Refugee Support", "SUPPORTED_BY", 0.9),
    (CHARITY, None, HUB, "Learning Works", "REFERS_TO", 0.8),
    (HUB, None, TRUST, "Hospital Trust", "PART_OF", None),
    (HUB, None, TUITION, "Clinical English", "REFERS_TO", 0.7),
    (HUB, None, TUITION, None, "PARTNERS_WITH", None),
    (TUITION, None, TRUST, None, "PARTNERS_WITH", None),
    (HUB, None, RECOGNITION, "Healthcare Pathways", "REFERS_TO", 0.6),
    (RECOGNITION, None, TRUST, None, "REFERS_TO", 0.5),
    (TRUST, None, VACANCY, "Staff Nurse", "POSTS", None),
]
BOTH_WAYS = frozenset({"PARTNERS_WITH", "KNOWS"})


def _network(ties: Sequence[tuple[object, ...]]) -> nx.DiGraph:
    return network_from_ties(ties, BOTH_WAYS)  # type: ignore[arg-type]


def test_the_doctests_hold() -> None:
    failures, tried = doctest.testmod(algo, raise_on_error=False)
    assert tried > 0
    assert failures == 0


def test_the_case_study_chain_comes_first_where_the_referral_path_skips_tuition() -> None:
    graph = _network(CASE_STUDY)
    shortest = k_best_paths(graph, P, VACANCY, 1, 8, PathMode.FEWEST_HOPS)[0]
    assert shortest.nodes == (P, CHARITY, HUB, TRUST, VACANCY)  # what referralPaths gives
    tuition = [frozenset({TUITION})]
    best = k_best_routes(graph, P, VACANCY, tuition, 3, 8, PathMode.FEWEST_HOPS)
    assert best[0].nodes == (P, CHARITY, HUB, TUITION, TRUST, VACANCY)
    assert best[0].closed_at == (3,)
    assert best[0].returns == ()
    # Next, back to the hub after tuition, and on through its own tie to the trust.
    assert best[1].nodes == (P, CHARITY, HUB, TUITION, HUB, TRUST, VACANCY)
    assert best[1].returns == (4,)
    # Then the trust's own partnership with the tutor, there and back.
    assert best[2].nodes == (P, CHARITY, HUB, TRUST, TUITION, TRUST, VACANCY)
    assert best[2].closed_at == (4,)
    # The hub's referral to the tutor (0.7) is trusted more than the tutor's partnership
    # with the trust (0.5 as unrecorded), so the most trusted route goes back to the hub.
    trusted = k_best_routes(graph, P, VACANCY, tuition, 1, 8, PathMode.STRONGEST_TRUST)
    assert [(r.nodes, r.returns) for r in trusted] == [
        ((P, CHARITY, HUB, TUITION, HUB, TRUST, VACANCY), (4,))
    ]


def test_a_provider_that_refers_nobody_on_sends_the_person_back() -> None:
    """Immigration advice refers nobody anywhere: after it, the person goes back to the
    hub that sent them (at the trust of that referral), and on from there."""
    ties = [*CASE_STUDY, (HUB, None, ADVICE, "Law Centre", "REFERS_TO", 0.6)]
    found = k_best_routes(
        _network(ties), P, VACANCY, [frozenset({ADVICE}), frozenset({TUITION})], 1, 10,
        PathMode.FEWEST_HOPS,
    )  # fmt: skip
    assert [(r.nodes, r.closed_at, r.returns) for r in found] == [
        ((P, CHARITY, HUB, ADVICE, HUB, TUITION, TRUST, VACANCY), (3, 5), (4,))
    ]
    assert found[0].hops == 7
    # Gone back to the hub, the person was not sent there: a step closed at the hub has
    # nobody to go back to.
    found = k_best_routes(
        _network(ties), P, VACANCY, [frozenset({ADVICE}), frozenset({HUB})], 3, 10,
        PathMode.FEWEST_HOPS,
    )  # fmt: skip
    assert [(r.nodes, r.closed_at, r.returns) for r in found][0] == (
        (P, CHARITY, HUB, ADVICE, HUB, TRUST, VACANCY),
        (3, 4),
        (4,),
    )


def test_steps_close_in_the_order_given_even_when_the_other_order_is_shorter() -> None:
    graph = _network(CASE_STUDY)
    # Recognition first would be hub -> recognition -> trust; tuition must come first.
    found = k_best_routes(
        graph, P, VACANCY, [frozenset({TUITION}), frozenset({RECOGNITION})], 1, 8,
        PathMode.FEWEST_HOPS,
    )  # fmt: skip
    assert found[0].nodes == (P, CHARITY, HUB, TUITION, HUB, RECOGNITION, TRUST, VACANCY)
    assert found[0].closed_at == (3, 5)


def test_one_provider_closes_two_steps_in_a_row_without_a_hop() -> None:
    graph = _network(CASE_STUDY)
    both = frozenset({TUITION})
    found = k_best_routes(graph, P, VACANCY, [both, both], 1, 8, PathMode.FEWEST_HOPS)
    assert found[0].nodes == (P, CHARITY, HUB, TUITION, TRUST, VACANCY)
    assert found[0].closed_at == (3, 3)
    assert found[0].hops == 5


def test_no_route_when_a_step_cannot_be_reached_or_the_hops_run_out() -> None:
    graph = _network(CASE_STUDY)
    assert k_best_routes(graph, P, VACANCY, [frozenset({ADVICE})], 3, 8, PathMode.FEWEST_HOPS) == []
    tuition = [frozenset({TUITION})]
    assert k_best_routes(graph, P, VACANCY, tuition, 3, 4, PathMode.FEWEST_HOPS) == []
    assert len(k_best_routes(graph, P, VACANCY, tuition, 3, 5, PathMode.FEWEST_HOPS)) == 1


def test_word_of_mouth_only_in_the_first_two_hops() -> None:
    friend, second, far = ("Person", "friend"), ("Person", "second"), ("Person", "far")
    ties = [
        (P, None, friend, None, "KNOWS", 0.9),
        (friend, None, second, None, "KNOWS", 0.9),
        (second, None, far, None, "KNOWS", 0.9),
        (far, None, HUB, None, "SUPPORTED_BY", 0.9),
        (HUB, None, TUITION, None, "REFERS_TO", 0.9),
        (TUITION, None, TRUST, None, "PARTNERS_WITH", 0.9),
        (TRUST, None, VACANCY, None, "POSTS", None),
    ]
    graph = _network(ties)
    steps = [frozenset({TUITION})]
    found = k_best_routes(graph, P, VACANCY, steps, 3, 8, PathMode.FEWEST_HOPS)
    assert [r.nodes for r in found] == [(P, friend, second, far, HUB, TUITION, TRUST, VACANCY)]

    def two_hops(node: Hashable) -> int | None:
        return 2 if isinstance(node, tuple) and node[0] == "Person" else None

    assert k_best_routes(graph, P, VACANCY, steps, 3, 8, PathMode.FEWEST_HOPS, two_hops) == []


def test_the_gaps_become_steps_in_the_pathways_order() -> None:
    vacancy = VacancyRequirements(id="v", title="Nurse", min_cefr="C1")
    gaps = [
        Gap(kind="skill", description="needs triage", closed_by=["mentoring", "placement"]),
        Gap(kind="qualification", description="recognition", closed_by=["accreditation_support"]),
        Gap(kind="skill", description="needs care", closed_by=["mentoring", "observership"]),
        Gap(kind="right_to_work", description="none", closed_by=["immigration_advice"]),
        Gap(kind="language", description="C1", closed_by=["ielts_tuition", "english_classes"]),
    ]
    steps = pathway_steps(gaps, vacancy)
    assert [(s.kind, s.services) for s in steps] == [
        ("right_to_work", ("immigration_advice",)),
        # A level, not an IELTS band: English classes may close it too.
        ("language", ("ielts_tuition", "english_classes")),
        ("qualification", ("accreditation_support",)),
        ("skill", ("mentoring", "placement", "observership")),
    ]
    assert [g.description for g in steps[3].gaps] == ["needs triage", "needs care"]


# --- against brute force ---------------------------------------------------------------

NODES = [("O", str(i)) for i in range(6)]


def _brute_force(
    graph: nx.DiGraph,
    source: Hashable,
    target: Hashable,
    providers: Sequence[frozenset[Hashable]],
    k: int,
    max_hops: int,
    mode: PathMode,
) -> list[RankedRoute]:
    """Every walk of at most ``max_hops`` hops that repeats no (node, steps closed) pair,
    along ties or, just after a step, back to the node the walk came from; every way of
    closing the steps on it in order; the best of each node sequence kept."""
    best: dict[tuple[Hashable, ...], RankedRoute] = {}

    def walk(
        nodes: list[Hashable], closed: list[int], back: list[int], cost: float,
        seen: set[tuple[Hashable, int]], just_closed: bool,
    ) -> None:  # fmt: skip
        here, stage = nodes[-1], len(closed)
        if here == target and stage == len(providers):
            route = RankedRoute(tuple(nodes), tuple(closed), len(nodes) - 1,
                                round(cost, 9) + 0.0, tuple(back))  # fmt: skip
            kept = best.get(route.nodes)
            if kept is None or _key(route, mode) < _key(kept, mode):
                best[route.nodes] = route
            return
        if stage < len(providers) and here in providers[stage] and (here, stage + 1) not in seen:
            walk(nodes, [*closed, len(nodes) - 1], back, cost, seen | {(here, stage + 1)}, True)
        if len(nodes) - 1 >= max_hops:
            return
        for after in graph.successors(here):
            if (after, stage) not in seen:
                walk([*nodes, after], closed, back, cost + graph[here][after]["cost"],
                     seen | {(after, stage)}, False)  # fmt: skip
        came_from = nodes[-2] if len(nodes) > 1 else None
        sent = came_from is not None and len(nodes) - 1 not in back  # not itself gone back
        if just_closed and sent and (came_from, stage) not in seen:
            walk([*nodes, came_from], closed, [*back, len(nodes)],
                 cost + graph[came_from][here]["cost"], seen | {(came_from, stage)}, False)  # fmt: skip

    walk([source], [], [], 0.0, {(source, 0)}, False)
    return sorted(best.values(), key=lambda r: _key(r, mode))[:k]


def _key(route: RankedRoute, mode: PathMode) -> tuple[object, ...]:
    tie = tuple(str(n) for n in route.nodes)
    if mode is PathMode.FEWEST_HOPS:
        return (route.hops, route.cost, route.closed_at, route.returns, tie)
    return (route.cost, route.hops, route.closed_at, route.returns, tie)


@st.composite
def networks(draw: st.DrawFn) -> tuple[nx.DiGraph, list[frozenset[Hashable]]]:
    pairs = [(a, b) for a in NODES for b in NODES if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=14))
    strengths = st.sampled_from([0.3, 0.5, 0.8, 1.0])
    ties = [(a, None, b, None, "REFERS_TO", draw(strengths)) for a, b in chosen]
    providers: list[frozenset[Hashable]] = draw(
        st.lists(st.frozensets(st.sampled_from(NODES), min_size=1, max_size=2), max_size=3)
    )
    return network_from_ties(ties, frozenset()), providers


@given(
    place=networks(),
    k=st.integers(1, 4),
    max_hops=st.integers(1, 7),
    mode=st.sampled_from(list(PathMode)),
)
def test_the_k_best_routes_are_those_brute_force_finds(
    place: tuple[nx.DiGraph, list[frozenset[Hashable]]], k: int, max_hops: int, mode: PathMode
) -> None:
    graph, providers = place
    source, target = NODES[0], NODES[-1]
    if source not in graph or target not in graph:
        assert k_best_routes(graph, source, target, providers, k, max_hops, mode) == []
        return
    found = k_best_routes(graph, source, target, providers, k, max_hops, mode)
    expected = _brute_force(graph, source, target, providers, k, max_hops, mode)
    # Routes equal in rank may be listed in either order beyond the k-th; compare keys.
    assert [_key(r, mode)[:2] for r in found] == [_key(r, mode)[:2] for r in expected]
    for route in found:
        for i, (a, b) in enumerate(pairwise(route.nodes), start=1):
            if i in route.returns:  # back after a step closed there, along the tie taken
                assert i - 1 in route.closed_at
                assert route.nodes[i - 2] == b
                assert graph.has_edge(b, a)
            else:
                assert graph.has_edge(a, b)
        assert [route.nodes[i] in providers[s] for s, i in enumerate(route.closed_at)] == [
            True
        ] * len(providers)
        assert list(route.closed_at) == sorted(route.closed_at)


@pytest.mark.parametrize("mode", list(PathMode))
def test_routes_are_listed_once_whichever_provider_on_them_closes_the_step(mode: PathMode) -> None:
    ties = [
        (P, None, TUITION, None, "REFERS_TO", 0.9),
        (TUITION, None, ADVICE, None, "REFERS_TO", 0.9),
        (ADVICE, None, VACANCY, None, "REFERS_TO", 0.9),
    ]
    found = k_best_routes(_network(ties), P, VACANCY, [frozenset({TUITION, ADVICE})], 3, 5, mode)
    assert [(r.nodes, r.closed_at) for r in found] == [((P, TUITION, ADVICE, VACANCY), (1,))]
