"""Communities by Louvain modularity, seeded so that a run can be repeated."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

__all__ = ["louvain_communities", "membership", "modularity"]


def louvain_communities(
    G: nx.Graph,
    *,
    seed: int,
    weight: str | None = "weight",
    resolution: float = 1.0,
    threshold: float = 1e-07,
) -> list[set[Hashable]]:
    """networkx's ``louvain_communities``, largest community first.

    Ties in size go by the smallest node (as text), so the order does not hang
    on set iteration.

    >>> G = nx.barbell_graph(4, 0)
    >>> [sorted(c) for c in louvain_communities(G, seed=1)]
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    found = nx.community.louvain_communities(
        G, weight=weight, resolution=resolution, threshold=threshold, seed=seed
    )
    return sorted(
        (set(community) for community in found),
        key=lambda c: (-len(c), min(str(node) for node in c)),
    )


def membership(communities: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    """Each node's community, numbered from 0 in the order given.

    >>> membership([{"a", "b"}, {"c"}]) == {"a": 0, "b": 0, "c": 1}
    True
    """
    return {node: index for index, community in enumerate(communities) for node in community}


def modularity(
    G: nx.Graph,
    communities: Iterable[Iterable[Hashable]],
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """networkx's ``modularity`` of a partition.

    >>> round(modularity(nx.barbell_graph(4, 0), [range(4), range(4, 8)]), 4)
    0.4231
    """
    return float(
        nx.community.modularity(G, list(communities), weight=weight, resolution=resolution)
    )
