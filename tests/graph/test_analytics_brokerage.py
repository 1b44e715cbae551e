"""Gould-Fernandez brokerage roles on triads and a small network worked out by hand."""

from __future__ import annotations

from itertools import permutations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics.brokerage_roles import ROLES, Role, brokerage_roles

NONE = dict.fromkeys((role.value for role in ROLES), 0)


def _only(role: Role, count: int = 1) -> dict[str, int]:
    return {**NONE, role.value: count}


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("AAA", Role.COORDINATOR),  # a resident joins two friends
        ("ABA", Role.ITINERANT),  # a charity joins two residents
        ("AAB", Role.REPRESENTATIVE),  # a resident carries a friend's contact to a charity
        ("ABB", Role.GATEKEEPER),  # a charity lets a resident in to the hub
        ("ABC", Role.LIAISON),  # a charity joins a resident to the hospital
    ],
)
def test_each_role_on_an_open_triad(groups: str, role: Role) -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, dict(zip("abc", groups, strict=True)), "group")
    found = brokerage_roles(G)
    assert found == {"a": NONE, "b": _only(role), "c": NONE}


@pytest.mark.parametrize("groups", ["AAA", "ABA", "AAB", "ABB", "ABC"])
def test_a_closed_triad_is_brokered_by_nobody(groups: str) -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    found = brokerage_roles(G, groups=dict(zip("abc", groups, strict=True)))
    assert all(counts == NONE for counts in found.values())


def test_only_the_direction_a_to_c_closes_a_triad() -> None:
    # c -> a does not let a reach c, so b still brokers a -> c.
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    found = brokerage_roles(G, groups=dict.fromkeys("abc", "X"))
    assert found["b"] == _only(Role.COORDINATOR)
    # ...and likewise c brokers b -> a and a brokers c -> b: a directed cycle.
    assert found["a"] == found["c"] == _only(Role.COORDINATOR)


def test_going_back_and_forth_or_to_itself_brokers_nothing() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "b")])
    assert brokerage_roles(G, groups={"a": 1, "b": 2}) == {"a": NONE, "b": NONE}


# r1, r2, r3: residents (micro); o1, o2: charities and h: the hub (intermediary);
# t: the trust (macro). Worked by hand, broker by broker:
#   o1 (preds r1 r2; succs h o2 r3): r1>h G, r1>o2 G, r1>r3 I, r2>h G, r2>o2 and r2>r3 closed
#   o2 (preds o1 r2; succs h t): o1>h closed, o1>t R, r2>h G, r2>t L
#   h (preds o1 o2; succs t): o1>t R, o2>t closed
#   r2 (preds r1; succs o1 o2 r3): r1>o1 closed, r1>o2 R, r1>r3 C
HAND = [("r1", "o1"), ("r2", "o1"), ("r1", "r2"), ("o1", "h"), ("o2", "h"), ("h", "t"),
        ("o1", "o2"), ("r2", "o2"), ("r2", "r3"), ("o2", "t"), ("o1", "r3")]  # fmt: skip
HAND_GROUPS = {"r1": "micro_asset", "r2": "micro_asset", "r3": "micro_asset",
               "o1": "intermediary", "o2": "intermediary", "h": "intermediary",
               "t": "macro_asset"}  # fmt: skip


def test_a_small_network_by_hand() -> None:
    G = nx.DiGraph(HAND)
    nx.set_node_attributes(G, HAND_GROUPS, "group")
    found = brokerage_roles(G)
    assert found == {
        "r1": NONE,
        "o1": {**NONE, "gatekeeper": 3, "itinerant": 1},
        "r2": {**NONE, "representative": 1, "coordinator": 1},
        "h": _only(Role.REPRESENTATIVE),
        "o2": {**NONE, "representative": 1, "gatekeeper": 1, "liaison": 1},
        "t": NONE,
        "r3": NONE,
    }
    assert brokerage_roles(G, "group") == brokerage_roles(G, groups=HAND_GROUPS)


def test_refuses_undirected_graphs_and_ungrouped_nodes() -> None:
    with pytest.raises(nx.NetworkXNotImplemented):
        brokerage_roles(nx.path_graph(3), groups={0: 0, 1: 0, 2: 0})
    G = nx.DiGraph([("a", "b")])
    G.nodes["a"]["group"] = "x"
    with pytest.raises(ValueError, match="node 'b' has no 'group'"):
        brokerage_roles(G)


def _brute_force(G: nx.DiGraph, groups: dict[int, int]) -> dict[int, dict[str, int]]:
    """Every ordered triple of distinct nodes, straight from the definition."""
    found = {node: dict(NONE) for node in G}
    names = {
        (True, True): "coordinator", (False, False): "itinerant",
        (True, False): "representative", (False, True): "gatekeeper",
    }  # fmt: skip
    for a, b, c in permutations(G, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and not G.has_edge(a, c):
            ga, gb, gc = groups[a], groups[b], groups[c]
            if ga != gb and gb != gc and ga != gc:
                found[b]["liaison"] += 1
            elif ga == gc and ga != gb:
                found[b]["itinerant"] += 1
            else:
                found[b][names[(ga == gb, gb == gc)]] += 1
    return found


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=9),
    edges=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=40),
    group_of=st.lists(st.integers(0, 2), min_size=9, max_size=9),
)
def test_equals_the_definition_on_random_graphs(
    n: int, edges: list[tuple[int, int]], group_of: list[int]
) -> None:
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from((a, b) for a, b in edges if a < n and b < n)
    groups = {node: group_of[node] for node in G}
    assert brokerage_roles(G, groups=groups) == _brute_force(G, groups)
