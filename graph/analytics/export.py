"""A projection written out for Gephi, yEd and the like: GraphML or GEXF.

Nodes are named ``<Label>:<id>`` (the GraphQL global id) and carry ``kind``,
``external_id``, ``group``, ``name`` where there is one (never for people) and
any scores given; GEXF also shows the name, or the global id, as the label. Text from
loaded files that a spreadsheet would run as a formula is prefixed (``graph.csv_cells``).
Edges carry ``weight`` and ``relationship`` (the type). Neo4j's element ids stay behind.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from enum import StrEnum
from pathlib import Path

import networkx as nx

from graph.csv_cells import safe_cell
from graph.private_files import create_private

__all__ = ["ExportFormat", "export_graph", "exportable"]


class ExportFormat(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"


def exportable(
    graph: nx.Graph, node_values: Mapping[str, Mapping[Hashable, float | int]] | None = None
) -> nx.Graph:
    """A copy of a projection with string node ids and only exportable attributes.

    ``node_values`` maps an attribute name (``"betweenness"``, ``"community"``)
    to each node's value; a value that is not a number is left out.

    >>> G = nx.Graph()
    >>> G.add_node(("Person", "p1"), label="Person", id="p1", group="micro_asset",
    ...            element_id="4:x:1")
    >>> G.add_node(("AnchorInstitution", "a"), label="AnchorInstitution", id="a",
    ...            group="macro_asset", name="City Hospital", element_id="4:x:2")
    >>> G.add_edge(("Person", "p1"), ("AnchorInstitution", "a"), weight=0.5, type="SUPPORTED_BY")
    >>> out = exportable(G, {"degree": {("Person", "p1"): 1.0}})
    >>> dict(out.nodes["Person:p1"])
    {'kind': 'Person', 'external_id': 'p1', 'group': 'micro_asset', 'degree': 1.0}
    >>> out.nodes["AnchorInstitution:a"]["name"]
    'City Hospital'
    """
    out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    names = {node: f"{data['label']}:{data['id']}" for node, data in graph.nodes(data=True)}
    for node, data in graph.nodes(data=True):
        # Gephi and yEd hand these tables on to spreadsheets, so text from loaded files
        # (ids, names) follows the CSV rule: a formula stays text.
        attributes: dict[str, object] = {
            "kind": data["label"],
            "external_id": safe_cell(data["id"]),
            "group": data["group"],
        }
        if data.get("name") is not None:
            attributes["name"] = safe_cell(data["name"])
        for attribute, values in (node_values or {}).items():
            value = values.get(node)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                attributes[attribute] = value
        out.add_node(names[node], **attributes)
    for u, v, data in graph.edges(data=True):
        # GEXF keeps ``type`` for an edge's direction, so the relationship
        # type travels under another name.
        out.add_edge(names[u], names[v], weight=float(data.get("weight", 1.0)),
                     relationship=str(data.get("type", "")))  # fmt: skip
    return out


def export_graph(
    graph: nx.Graph,
    path: Path,
    fmt: ExportFormat | None = None,
    *,
    node_values: Mapping[str, Mapping[Hashable, float | int]] | None = None,
) -> ExportFormat:
    """Write ``graph`` to ``path`` as GraphML or GEXF (by default from the suffix)."""
    chosen = fmt or ExportFormat(path.suffix.lstrip(".").lower())
    out = exportable(graph, node_values)
    # Owner-only before networkx writes a byte; it reopens the file and keeps the mode.
    create_private(path)
    if chosen is ExportFormat.GRAPHML:
        nx.write_graphml(out, path)
    else:
        for node, data in out.nodes(data=True):
            data["label"] = data.get("name", node)
        nx.write_gexf(out, path)
    return chosen
