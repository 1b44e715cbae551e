"""Ranked answers for the CLI and GraphQL: project, measure, rank, optionally write back."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import networkx as nx
from neo4j import Driver

from graph.analytics.brokerage_roles import ROLES, brokerage_roles
from graph.analytics.centrality import LOW_IS_CENTRAL, Measure, scores
from graph.analytics.communities import louvain_communities, modularity
from graph.analytics.engines import Engine
from graph.analytics.projection import Projection, project
from graph.analytics.writeback import write_scores
from graph.errors import InvalidInputError
from graph.models.analytics import (
    BrokerageRanking,
    CentralityRanking,
    Community,
    CommunityReport,
    RoleCounts,
    ScoredNode,
)
from graph.models.paths import PathNode
from graph.vocabulary import Label

__all__ = [
    "DEFAULT_SEED",
    "GROUP_ATTRIBUTES",
    "MAX_FIRST",
    "brokerage_ranking",
    "centrality_ranking",
    "community_report",
    "path_node",
]

DEFAULT_SEED = 2007
MAX_FIRST = 1000
# Node attributes every projection carries that brokerage can group by.
GROUP_ATTRIBUTES = ("group", "label")
_LEADING = 5


def centrality_ranking(
    driver: Driver,
    database: str,
    measure: Measure,
    projection: Projection | None = None,
    *,
    first: int | None = 20,
    k: int | None = None,
    sample_above: int | None = None,
    seed: int = DEFAULT_SEED,
    engine: Engine | str = Engine.AUTO,
    write_back: bool = False,
    computed_on: date | None = None,
) -> CentralityRanking:
    """The ``first`` nodes by ``measure`` (all when None), most central first.

    Betweenness samples ``k`` seeded sources when ``k`` is given, or 256 when
    the graph has more than ``sample_above`` nodes. With ``write_back`` every
    node's score is stored in Neo4j (graph.analytics.writeback).
    """
    _check_first(first)
    chosen = projection or Projection()
    graph = project(driver, database, chosen)
    sample = k if k is not None and k < len(graph) else None
    if sample is None and sample_above is not None and len(graph) > sample_above:
        sample = min(256, len(graph) - 1)
    weight = "weight" if chosen.weight is not None else None
    try:
        values = scores(graph, measure, weight=weight, k=sample, seed=seed, engine=engine)
    except nx.PowerIterationFailedConvergence as error:
        raise InvalidInputError(
            f"{measure.value} centrality does not settle on this graph; "
            "try an undirected projection"
        ) from error
    stamp = computed_on or date.today()
    written = None
    if write_back:
        written = write_scores(driver, database, graph, measure, values, computed_on=stamp)
    ordered = _ranked(values, ascending=measure in LOW_IS_CENTRAL)
    ranked = [
        ScoredNode(
            rank=rank, node=path_node(graph, node), group=graph.nodes[node]["group"], score=score
        )  # fmt: skip
        for rank, (node, score) in enumerate(ordered[:first], start=1)
    ]
    return CentralityRanking(
        measure=measure.value,
        nodes=graph.number_of_nodes(),
        relationships=graph.number_of_edges(),
        sampled_sources=sample if measure is Measure.BETWEENNESS else None,
        computed_on=stamp,
        written=written,
        ranked=ranked,
    )


def brokerage_ranking(
    driver: Driver,
    database: str,
    projection: Projection | None = None,
    *,
    group_by: str = "group",
    first: int | None = 20,
) -> BrokerageRanking:
    """Nodes by the open two-paths they broker, most first, with each role's count.

    The projection is made directed whatever ``projection`` says: brokerage is
    about who passes contact on to whom.
    """
    _check_first(first)
    if group_by not in GROUP_ATTRIBUTES:
        raise InvalidInputError(f"groupBy must be one of {', '.join(GROUP_ATTRIBUTES)}")
    chosen = replace(projection or Projection(), directed=True)
    graph = project(driver, database, chosen)
    roles = brokerage_roles(graph, group_by)
    totals = {node: float(sum(counts.values())) for node, counts in roles.items()}
    ordered = [(node, total) for node, total in _ranked(totals, ascending=False) if total > 0]
    ranked = [
        RoleCounts(
            rank=rank,
            node=path_node(graph, node),
            group=str(graph.nodes[node][group_by]),
            total=int(total),
            **{role.value: roles[node][role.value] for role in ROLES},
        )
        for rank, (node, total) in enumerate(ordered[:first], start=1)
    ]
    return BrokerageRanking(
        group_by=group_by,
        nodes=graph.number_of_nodes(),
        relationships=graph.number_of_edges(),
        ranked=ranked,
    )


def community_report(
    driver: Driver,
    database: str,
    projection: Projection | None = None,
    *,
    seed: int = DEFAULT_SEED,
    resolution: float = 1.0,
    first: int | None = 20,
    with_members: bool = False,
) -> CommunityReport:
    """Louvain communities, largest first: their size, their mix of groups and
    their best-connected members (and, ``with_members``, every member: the membership an
    analyst joins with other data)."""
    _check_first(first)
    chosen = projection or Projection()
    graph = project(driver, database, chosen)
    weight = "weight" if chosen.weight is not None else None
    found = louvain_communities(graph, seed=seed, weight=weight, resolution=resolution)
    degree = dict(graph.degree())
    communities = []
    for index, members in enumerate(found[:first]):
        leading = sorted(members, key=lambda node: (-degree[node], str(node)))[:_LEADING]
        mix = Counter(str(graph.nodes[node]["group"]) for node in members)
        communities.append(
            Community(
                index=index,
                size=len(members),
                groups=dict(sorted(mix.items())),
                leading=[path_node(graph, node) for node in leading],
                members=(
                    [path_node(graph, node) for node in sorted(members, key=str)]
                    if with_members
                    else None
                ),
            )
        )
    return CommunityReport(
        nodes=graph.number_of_nodes(),
        relationships=graph.number_of_edges(),
        modularity=modularity(graph, found, weight=weight, resolution=resolution) if found else 0.0,
        communities=communities,
    )


def path_node(graph: nx.Graph, node: Hashable) -> PathNode:
    """A projected node as the rest of the service names nodes; people unnamed."""
    data: Mapping[str, Any] = graph.nodes[node]
    label = Label(data["label"])
    name = None if label is Label.PERSON else data.get("name")
    return PathNode(label=label, id=data["id"], name=name)


def _ranked(values: Mapping[Hashable, float], *, ascending: bool) -> list[tuple[Hashable, float]]:
    # Undefined scores (constraint of a node with no ties) rank nowhere; ties
    # go by node key so that the order is the same from run to run.
    numbers = [(node, value) for node, value in values.items() if not math.isnan(value)]
    sign = 1.0 if ascending else -1.0
    return sorted(numbers, key=lambda item: (sign * item[1], str(item[0])))


def _check_first(first: int | None) -> None:
    if first is not None and not 1 <= first <= MAX_FIRST:
        raise InvalidInputError(f"first must be between 1 and {MAX_FIRST}")
