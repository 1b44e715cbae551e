"""Pull a subgraph of the place out of Neo4j into networkx.

A projection names the node labels and relationship types to keep (closed enums,
each type mapped to its own pre-written query), whether the graph is directed,
an optional area (what lies within it) or anchor (what lies within a few hops
of it), and the relationship property that weighs a tie.

Nodes are keyed ``(label, id)`` as in ``graph.services.paths`` and carry
``label``, ``id``, ``group`` (see ``GROUPS``), ``element_id`` (Neo4j's, for
writing scores back) and ``name`` for organisations, places and the rest;
people have no name attribute at all. Edges carry ``weight`` (the property's
value, 1.0 where it is missing) and ``type``.

Rows come from the server in records of ``BATCH_ROWS``, ``FETCH_SIZE`` records a
pull, and go into the graph as they arrive: a million relationships take a few
dozen round trips and are never held as a list of records beside the graph they
become. Nodes and ties
arrive in id order, so seeded algorithms that walk the graph in order (sampled
betweenness, Louvain) repeat on the same data. Unlike other
repository reads, the work function consumes a live result: the graph it builds
is the only copy, and a retried transaction starts a fresh one.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, LiteralString

import networkx as nx
from neo4j import READ_ACCESS, Driver, ManagedTransaction

from graph.cypher import analytics as q
from graph.errors import InvalidInputError, NotFoundError
from graph.services.history import as_of_day
from graph.services.ingest import existing_ids
from graph.vocabulary import Label, RelType

__all__ = [
    "BATCH_ROWS",
    "DEFAULT_LABELS",
    "DEFAULT_REL_TYPES",
    "FETCH_SIZE",
    "GROUPS",
    "Group",
    "MAX_ANCHOR_HOPS",
    "NodeKey",
    "PROJECTABLE_LABELS",
    "PROJECTABLE_TYPES",
    "Projection",
    "RECIPROCAL_TYPES",
    "WeightProperty",
    "project",
]

NodeKey = tuple[str, str]

# Rows in one record, and records the driver pulls from the server in one go:
# 50,000 rows a round trip.
BATCH_ROWS = 10_000
FETCH_SIZE = 5
MAX_ANCHOR_HOPS = 10


class Group(StrEnum):
    """Where a node stands between the residents and the anchors of a place."""

    MICRO_ASSET = "micro_asset"
    INTERMEDIARY = "intermediary"
    MACRO_ASSET = "macro_asset"
    PROPERTY = "property"
    TAXONOMY = "taxonomy"
    PLACE = "place"


# People are micro assets; community organisations, the anchor's departments
# (its employment hub among them) and the services organisations offer stand
# between; an anchor and the vacancies it posts are the macro asset.
GROUPS: dict[Label, Group] = {
    Label.PERSON: Group.MICRO_ASSET,
    Label.COMMUNITY_ORGANISATION: Group.INTERMEDIARY,
    Label.DEPARTMENT: Group.INTERMEDIARY,
    Label.SERVICE: Group.INTERMEDIARY,
    Label.ANCHOR_INSTITUTION: Group.MACRO_ASSET,
    Label.VACANCY: Group.MACRO_ASSET,
    Label.PROPERTY: Group.PROPERTY,
    Label.SKILL: Group.TAXONOMY,
    Label.OCCUPATION: Group.TAXONOMY,
    Label.QUALIFICATION: Group.TAXONOMY,
    Label.AREA: Group.PLACE,
}

# Personal records and bookkeeping nodes are never projected.
PROJECTABLE_LABELS: frozenset[Label] = frozenset(GROUPS)

_RELATIONSHIPS: dict[RelType, LiteralString] = {
    RelType.HAS_SKILL: q.RELATIONSHIPS_HAS_SKILL,
    RelType.HOLDS: q.RELATIONSHIPS_HOLDS,
    RelType.QUALIFIES_FOR: q.RELATIONSHIPS_QUALIFIES_FOR,
    RelType.SUPPORTED_BY: q.RELATIONSHIPS_SUPPORTED_BY,
    RelType.KNOWS: q.RELATIONSHIPS_KNOWS,
    RelType.REFERS_TO: q.RELATIONSHIPS_REFERS_TO,
    RelType.PARTNERS_WITH: q.RELATIONSHIPS_PARTNERS_WITH,
    RelType.OFFERS: q.RELATIONSHIPS_OFFERS,
    RelType.POSTS: q.RELATIONSHIPS_POSTS,
    RelType.REQUIRES: q.RELATIONSHIPS_REQUIRES,
    RelType.FOR_OCCUPATION: q.RELATIONSHIPS_FOR_OCCUPATION,
    RelType.BROADER: q.RELATIONSHIPS_BROADER,
    RelType.OWNS: q.RELATIONSHIPS_OWNS,
    RelType.USES: q.RELATIONSHIPS_USES,
    RelType.LIVES_IN: q.RELATIONSHIPS_LIVES_IN,
    RelType.LOCATED_IN: q.RELATIONSHIPS_LOCATED_IN,
    RelType.APPLIED_TO: q.RELATIONSHIPS_APPLIED_TO,
    RelType.PLACED_IN: q.RELATIONSHIPS_PLACED_IN,
    RelType.MENTORED_BY: q.RELATIONSHIPS_MENTORED_BY,
    RelType.PART_OF: q.RELATIONSHIPS_PART_OF,
    RelType.DELIVERED_AT: q.RELATIONSHIPS_DELIVERED_AT,
    RelType.WITHIN: q.RELATIONSHIPS_WITHIN,
}
PROJECTABLE_TYPES: frozenset[RelType] = frozenset(_RELATIONSHIPS)

# Ties that hold both ways whichever way they were recorded: in a directed
# projection they become a pair of arcs (as in the referral network).
RECIPROCAL_TYPES: frozenset[RelType] = frozenset(
    {RelType.KNOWS, RelType.MENTORED_BY, RelType.PARTNERS_WITH}
)

# The referral network: residents, the organisations that support them, the
# anchors' departments and the anchors, over trust and referral ties.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label.PERSON,
    Label.COMMUNITY_ORGANISATION,
    Label.DEPARTMENT,
    Label.ANCHOR_INSTITUTION,
)
DEFAULT_REL_TYPES: tuple[RelType, ...] = (
    RelType.KNOWS,
    RelType.MENTORED_BY,
    RelType.SUPPORTED_BY,
    RelType.REFERS_TO,
    RelType.PARTNERS_WITH,
    RelType.PART_OF,
)


class WeightProperty(StrEnum):
    """Relationship properties that may weigh a tie."""

    STRENGTH = "strength"
    COUNT = "count"


@dataclass(frozen=True)
class Projection:
    """What to pull out of Neo4j.

    ``area_id`` keeps what lies within that area (see graph/cypher/analytics.py);
    ``anchor_id`` keeps what lies within ``anchor_hops`` ties of that anchor,
    either way along a tie. ``weight`` None weighs every tie 1.0. Ties that keep
    history are those that held on ``as_of`` (today when None). Only nodes in
    ``places`` (``Caller.places_param``; None: every place) and the ties between
    them are pulled; the vocabulary belongs to no place and is always there.
    """

    labels: tuple[Label, ...] = DEFAULT_LABELS
    rel_types: tuple[RelType, ...] = DEFAULT_REL_TYPES
    directed: bool = False
    area_id: str | None = None
    anchor_id: str | None = None
    anchor_hops: int = 3
    weight: WeightProperty | None = WeightProperty.STRENGTH
    as_of: date | None = None
    places: tuple[str, ...] | None = None


def project(driver: Driver, database: str, projection: Projection | None = None) -> nx.Graph:
    """The subgraph ``projection`` names, as an ``nx.Graph`` or ``nx.DiGraph``.

    Between two nodes only the strongest tie is kept (highest weight; the first
    seen on a tie). Ties from a node to itself are left out.
    """
    chosen = projection or Projection()
    _check(driver, database, chosen)
    labels = sorted({label.value for label in chosen.labels})
    weight = chosen.weight.value if chosen.weight else ""
    as_of = as_of_day(chosen.as_of)
    places = None if chosen.places is None else sorted(set(chosen.places))

    def work(tx: ManagedTransaction) -> nx.Graph:
        graph = nx.DiGraph() if chosen.directed else nx.Graph()
        nodes = tx.run(q.PROJECT_NODES, labels=labels, area_id=chosen.area_id,
                       places=places, batch=BATCH_ROWS)  # fmt: skip
        keys = _add_nodes(graph, nodes)
        for rel_type in dict.fromkeys(chosen.rel_types):
            rows = tx.run(_RELATIONSHIPS[rel_type], weight=weight, batch=BATCH_ROWS, as_of=as_of)
            both_ways = chosen.directed and rel_type in RECIPROCAL_TYPES
            _add_ties(graph, keys, rows, rel_type.value, both_ways)
        return graph

    with driver.session(
        database=database, default_access_mode=READ_ACCESS, fetch_size=FETCH_SIZE
    ) as session:
        graph = session.execute_read(work)
    if chosen.anchor_id is not None:
        _keep_near(graph, (Label.ANCHOR_INSTITUTION.value, chosen.anchor_id), chosen.anchor_hops)
    return graph


def _check(driver: Driver, database: str, projection: Projection) -> None:
    if not projection.labels:
        raise InvalidInputError("labels: name at least one label")
    refused = sorted(label.value for label in set(projection.labels) - PROJECTABLE_LABELS)
    if refused:
        raise InvalidInputError(f"labels: {', '.join(refused)} cannot be projected")
    types = sorted(t.value for t in set(projection.rel_types) - PROJECTABLE_TYPES)
    if types:
        raise InvalidInputError(f"relationship types: {', '.join(types)} cannot be projected")
    if not 1 <= projection.anchor_hops <= MAX_ANCHOR_HOPS:
        raise InvalidInputError(f"anchor hops must be between 1 and {MAX_ANCHOR_HOPS}")
    if projection.anchor_id is not None:
        if Label.ANCHOR_INSTITUTION not in projection.labels:
            raise InvalidInputError("an anchor filter needs AnchorInstitution among the labels")
        if not existing_ids(
            driver, database, Label.ANCHOR_INSTITUTION, [projection.anchor_id], projection.places
        ):
            raise NotFoundError(f"anchor: no anchor institution with id {projection.anchor_id!r}")
    if projection.area_id is not None and not existing_ids(
        driver, database, Label.AREA, [projection.area_id], projection.places
    ):
        raise NotFoundError(f"area: no area with id {projection.area_id!r}")


_GROUP_OF = {label.value: group.value for label, group in GROUPS.items()}


def _add_nodes(graph: nx.Graph, records: Any) -> dict[str, NodeKey]:
    keys: dict[str, NodeKey] = {}
    for (batch,) in records:
        for element_id, label, node_id, name in batch:
            key = (label, node_id)
            attributes = {"label": label, "id": node_id, "group": _GROUP_OF[label]}
            if name is not None:
                attributes["name"] = name
            graph.add_node(key, element_id=element_id, **attributes)
            keys[element_id] = key
    return keys


def _add_ties(
    graph: nx.Graph, keys: dict[str, NodeKey], records: Any, rel_type: str, both_ways: bool
) -> None:
    for (batch,) in records:
        for source_id, target_id, value in batch:
            source, target = keys.get(source_id), keys.get(target_id)
            if source is None or target is None or source == target:
                continue  # an end outside the projection, or a tie to itself
            weight = 1.0 if value is None else float(value)
            _add_tie(graph, source, target, rel_type, weight)
            if both_ways:
                _add_tie(graph, target, source, rel_type, weight)


def _add_tie(
    graph: nx.Graph, source: Hashable, target: Hashable, rel_type: str, weight: float
) -> None:
    data = graph.get_edge_data(source, target)
    if data is None:
        graph.add_edge(source, target, weight=weight, type=rel_type)
    elif weight > data["weight"]:
        data["weight"] = weight
        data["type"] = rel_type


def _keep_near(graph: nx.Graph, anchor: NodeKey, hops: int) -> None:
    ties = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    near = (
        nx.single_source_shortest_path_length(ties, anchor, cutoff=hops) if anchor in graph else {}
    )
    graph.remove_nodes_from([node for node in list(graph) if node not in near])
