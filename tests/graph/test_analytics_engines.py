"""The igraph engine gives networkx's betweenness (to 1e-9) on random graphs, and the
algorithms' docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import math
import pkgutil

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graph.analytics
from graph.analytics.centrality import betweenness_centrality
from graph.analytics.engines import igraph_betweenness


def _close(got: dict[object, float], expected: dict[object, float]) -> None:
    assert set(got) == set(expected)
    for node, value in expected.items():
        if math.isnan(value):
            assert math.isnan(got[node])
        else:
            assert abs(got[node] - value) <= 1e-9, (node, got[node], value)


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    directed = draw(st.booleans())
    n = draw(st.integers(min_value=0, max_value=25))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    if n:
        pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 4))
        for a, b, w in draw(st.lists(pairs, max_size=3 * n)):
            G.add_edge(a, b, w=w)
    return G


@settings(max_examples=120, deadline=None)
@given(G=graphs(), normalized=st.booleans(), weighted=st.booleans())
def test_exact_betweenness_equals_networkx(G: nx.Graph, normalized: bool, weighted: bool) -> None:
    weight = "w" if weighted else None
    expected = nx.betweenness_centrality(G, normalized=normalized, weight=weight)
    got = betweenness_centrality(G, normalized=normalized, weight=weight, engine="igraph")
    _close(got, expected)


@settings(max_examples=120, deadline=None)
@given(G=graphs(), normalized=st.booleans(), weighted=st.booleans(), data=st.data())
def test_sampled_betweenness_equals_networkx(
    G: nx.Graph, normalized: bool, weighted: bool, data: st.DataObject
) -> None:
    if len(G) == 0:
        return
    k = data.draw(st.integers(min_value=1, max_value=len(G)))
    seed = data.draw(st.integers(min_value=0, max_value=10_000))
    weight = "w" if weighted else None
    expected = nx.betweenness_centrality(G, k=k, normalized=normalized, weight=weight, seed=seed)
    got = betweenness_centrality(
        G, k=k, normalized=normalized, weight=weight, seed=seed, engine="igraph"
    )
    _close(got, expected)


def test_several_larger_random_graphs() -> None:
    for seed in range(4):
        for directed in (False, True):
            G = nx.gnp_random_graph(120, 0.04, seed=seed, directed=directed)
            _close(betweenness_centrality(G), nx.betweenness_centrality(G))
            _close(
                betweenness_centrality(G, k=30, seed=seed),
                nx.betweenness_centrality(G, k=30, seed=seed),
            )


def test_raw_sums_count_ordered_pairs() -> None:
    assert igraph_betweenness(nx.path_graph(3)) == {0: 0.0, 1: 2.0, 2: 0.0}
    assert igraph_betweenness(nx.DiGraph([(0, 1), (1, 2)])) == {0: 0.0, 1: 1.0, 2: 0.0}


def test_engine_choices_and_refusals() -> None:
    G = nx.path_graph(5)
    with pytest.raises(ValueError, match="explicit seed"):
        betweenness_centrality(G, k=2)
    with pytest.raises(ValueError, match="does not count endpoints"):
        betweenness_centrality(G, endpoints=True, engine="igraph")
    # auto falls back to networkx where igraph cannot promise networkx's values
    assert betweenness_centrality(G, endpoints=True) == nx.betweenness_centrality(G, endpoints=True)
    nx.set_edge_attributes(G, 0, "w")
    with pytest.raises(ValueError, match="positive distances"):
        betweenness_centrality(G, weight="w", engine="igraph")
    with pytest.raises(ValueError, match="not a valid Engine"):
        betweenness_centrality(G, engine="rocket")
    with pytest.raises(nx.NetworkXNotImplemented):
        igraph_betweenness(nx.MultiGraph([(0, 1)]))


def _modules() -> list[str]:
    return [
        f"graph.analytics.{info.name}" for info in pkgutil.iter_modules(graph.analytics.__path__)
    ]


@pytest.mark.parametrize("module", _modules())
def test_docstring_examples_run(module: str) -> None:
    failures, _ = doctest.testmod(importlib.import_module(module), raise_on_error=False)
    assert failures == 0
