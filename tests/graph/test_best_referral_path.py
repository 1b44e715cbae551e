"""The one best path (k = 1) found layer by layer equals the best of every simple
path, ranked as ``k_best_paths`` ranks them, on random networks with ties."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.algorithms.referral_paths import (
    PathMode,
    best_paths_to,
    k_best_paths,
    network_from_ties,
)

NODES = [("Person", "p0"), ("Person", "p1"), ("Person", "p2"), ("Org", "a"), ("Org", "b"),
         ("Org", "c"), ("Org", "d"), ("Hub", "h")]  # fmt: skip
# Few strengths, so that many paths tie on cost and the tie-break decides.
STRENGTHS = [None, 0.25, 0.5, 1.0]


def _rule(node: object) -> int | None:
    return 2 if isinstance(node, tuple) and node[0] == "Person" else None


def _brute_best(
    graph: nx.DiGraph, source: object, target: object, max_hops: int, mode: PathMode
) -> tuple[object, ...] | None:
    ranked = []
    for path in nx.all_simple_paths(graph, source, target, cutoff=max_hops):
        if any(_rule(node) is not None and i > 2 for i, node in enumerate(path) if i):
            continue
        cost = round(sum(graph[x][y]["cost"] for x, y in pairwise(path)), 9)
        names = tuple(map(str, path))
        hops = len(path) - 1
        ranked.append(((cost, hops, names) if mode is PathMode.STRONGEST_TRUST
                       else (hops, cost, names), tuple(path)))  # fmt: skip
    return min(ranked)[1] if ranked else None


ties = st.lists(
    st.tuples(
        st.sampled_from(NODES),
        st.sampled_from(NODES),
        st.sampled_from(["KNOWS", "REFERS_TO", "PARTNERS_WITH", "PART_OF"]),
        st.sampled_from(STRENGTHS),
    ),
    max_size=24,
)


@settings(max_examples=500, deadline=None)
# Two equal walks meet at c before the hub: the one through a wins the tie-break though
# the one through b was built first.
@example(
    [(NODES[0], NODES[4], "REFERS_TO", 1.0), (NODES[0], NODES[3], "REFERS_TO", 1.0),
     (NODES[4], NODES[5], "REFERS_TO", 0.5), (NODES[3], NODES[5], "REFERS_TO", 0.5),
     (NODES[5], NODES[7], "REFERS_TO", 0.5)],
    NODES[0], 3, PathMode.STRONGEST_TRUST,
)  # fmt: skip
@given(ties, st.sampled_from(NODES[:4]), st.integers(1, 6), st.sampled_from(list(PathMode)))
def test_one_best_path_is_the_best_simple_path(
    drawn: list[tuple[tuple[str, str], tuple[str, str], str, float | None]],
    source: tuple[str, str],
    max_hops: int,
    mode: PathMode,
) -> None:
    graph = network_from_ties(
        ((a, None, b, None, kind, strength) for a, b, kind, strength in drawn if a != b),
        frozenset({"KNOWS", "PARTNERS_WITH"}),
    )
    target = ("Hub", "h")
    graph.add_nodes_from([source, target])
    best = k_best_paths(graph, source, target, 1, max_hops, mode, _rule)
    expected = _brute_best(graph, source, target, max_hops, mode)
    assert [p.nodes for p in best] == ([] if expected is None else [expected])
    # The same as the first of Yen's ranking, which k > 1 still uses.
    assert best == k_best_paths(graph, source, target, 2, max_hops, mode, _rule)[:1]
    # Asked of many sources at once (the network prepared once for them all), the same.
    together = best_paths_to(graph, [*NODES[4:], source, *NODES[:4]], target, max_hops, mode, _rule)
    assert ([together[source]] if source in together else []) == best
