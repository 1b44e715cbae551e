"""Gould and Fernandez's brokerage roles in a directed graph of groups.

Node ``b`` brokers between ``a`` and ``c`` when ``a -> b -> c``, ``a != c`` and
there is no tie ``a -> c`` (Gould and Fernandez 1989, as statnet's
``brokerage()`` counts them). Each such two-path gives ``b`` one of five roles,
by the groups of the three nodes:

=============== ============ ==================================================
role            two-path     the broker...
=============== ============ ==================================================
coordinator     A -> A -> A  joins two members of its own group
itinerant       A -> B -> A  joins two members of another group (consultant)
representative  A -> A -> B  carries its own group's contact out to another
gatekeeper      A -> B -> B  lets an outsider's contact in to its own group
liaison         A -> B -> C  joins two groups, neither its own
=============== ============ ==================================================
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from enum import StrEnum
from typing import Any

import networkx as nx

__all__ = ["ROLES", "Role", "brokerage_roles", "role_of"]


class Role(StrEnum):
    COORDINATOR = "coordinator"
    ITINERANT = "itinerant"
    REPRESENTATIVE = "representative"
    GATEKEEPER = "gatekeeper"
    LIAISON = "liaison"


ROLES: tuple[Role, ...] = tuple(Role)


def role_of(source_group: Hashable, broker_group: Hashable, target_group: Hashable) -> Role:
    """The role a broker plays on one open two-path, from the three groups.

    >>> [role_of(*groups).value for groups in ["AAA", "ABA", "AAB", "ABB", "ABC"]]
    ['coordinator', 'itinerant', 'representative', 'gatekeeper', 'liaison']
    """
    if source_group == broker_group:
        return Role.COORDINATOR if broker_group == target_group else Role.REPRESENTATIVE
    if broker_group == target_group:
        return Role.GATEKEEPER
    return Role.ITINERANT if source_group == target_group else Role.LIAISON


def brokerage_roles(
    G: nx.DiGraph, attribute: str = "group", *, groups: Mapping[Any, Hashable] | None = None
) -> dict[Hashable, dict[str, int]]:
    """For every node, how many open two-paths it brokers in each role.

    Parameters
    ----------
    G : nx.DiGraph
    attribute : str
        The node attribute naming each node's group.
    groups : mapping, optional
        Each node's group, in place of ``attribute``.

    Returns
    -------
    dict
        ``{node: {"coordinator": int, "itinerant": int, "representative": int,
        "gatekeeper": int, "liaison": int}}``, every node and every role present.

    Raises
    ------
    ValueError
        If a node has no group.
    NetworkXNotImplemented
        If ``G`` is undirected or a multigraph.

    Examples
    --------
    A resident reaches the hub through a community organisation:

    >>> G = nx.DiGraph([("resident", "charity"), ("charity", "hub")])
    >>> kind = {"resident": "micro", "charity": "intermediary", "hub": "intermediary"}
    >>> brokerage_roles(G, groups=kind)["charity"]
    {'coordinator': 0, 'itinerant': 0, 'representative': 0, 'gatekeeper': 1, 'liaison': 0}
    >>> G.add_edge("resident", "hub")  # a direct tie: nobody brokers it
    >>> sum(brokerage_roles(G, groups=kind)["charity"].values())
    0
    """
    if not G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("brokerage roles need a simple directed graph")
    group = dict(groups) if groups is not None else nx.get_node_attributes(G, attribute)
    for node in G:
        if node not in group:
            raise ValueError(f"node {node!r} has no {attribute!r} to group it by")
    found = {node: dict.fromkeys((role.value for role in ROLES), 0) for node in G}
    for broker in G:
        targets = [c for c in G.successors(broker) if c != broker]
        if not targets:
            continue
        counts = found[broker]
        broker_group = group[broker]
        for source in G.predecessors(broker):
            if source == broker:
                continue
            direct = G.succ[source]
            source_group = group[source]
            for target in targets:
                if target == source or target in direct:
                    continue
                counts[role_of(source_group, broker_group, group[target])] += 1
    return found
