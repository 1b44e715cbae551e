"""Single points of failure: articulation points, bridges, and how much each cuts off.

A directed graph is read as undirected here: a tie carries people whichever
way it was recorded, and a node whose loss splits the network splits it for
both directions.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

__all__ = ["articulation_points", "bridges", "cut_off"]


def articulation_points(G: nx.Graph) -> list[Hashable]:
    """Nodes whose removal splits their connected component, in networkx's order.

    >>> articulation_points(nx.path_graph(4))
    [2, 1]
    """
    return list(nx.articulation_points(_undirected(G)))


def bridges(G: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """Ties whose removal splits their connected component.

    >>> sorted(bridges(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])))
    [(2, 3)]
    """
    return list(nx.bridges(_undirected(G)))


def cut_off(G: nx.Graph) -> dict[Hashable, int]:
    """For every node, how many others would lose touch with the largest part
    of their component if it went: zero except at articulation points.

    Computed once over the block-cut tree (biconnected blocks joined at the
    articulation points), in time linear in the size of the graph.

    Examples
    --------
    Node 2 joins three branches; without it the largest keeps two nodes and
    the other three are cut off:

    >>> G = nx.Graph([(0, 1), (1, 2), (2, 3), (3, 4), (2, 5)])
    >>> cut_off(G)
    {0: 0, 1: 1, 2: 3, 3: 1, 4: 0, 5: 0}
    """
    U = _undirected(G)
    counts = dict.fromkeys(G, 0)
    blocks = [frozenset(block) for block in nx.biconnected_components(U)]
    cuts = set(nx.articulation_points(U))
    if not cuts:
        return counts
    tree = nx.Graph()
    owned: dict[Hashable, int] = {}
    for position, block in enumerate(blocks):
        key = ("block", position)
        owned[key] = sum(1 for node in block if node not in cuts)
        tree.add_node(key)
        for node in block & cuts:
            tree.add_edge(key, ("cut", node))
    for node in cuts:
        owned[("cut", node)] = 1
    for component in nx.connected_components(tree):
        _count_component(tree, component, owned, counts)
    return counts


def _count_component(
    tree: nx.Graph,
    component: set[Hashable],
    owned: dict[Hashable, int],
    counts: dict[Hashable, int],
) -> None:
    root = next(iter(component))
    order = list(nx.dfs_preorder_nodes(tree, root))
    parent = dict(nx.dfs_predecessors(tree, root))
    below = {key: owned[key] for key in order}
    for key in reversed(order[1:]):
        below[parent[key]] += below[key]
    total = below[root]
    for key in order:
        kind, node = key
        if kind != "cut":
            continue
        parts = [below[child] for child in tree[key] if parent.get(child) == key]
        if key != root:
            parts.append(total - below[key])
        counts[node] = total - 1 - max(parts)


def _undirected(G: nx.Graph) -> nx.Graph:
    return G.to_undirected(as_view=True) if G.is_directed() else G
