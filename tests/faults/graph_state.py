"""The state of a graph as plain data, to say that two loads left the same graph."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from neo4j import Driver

from graph.crypto.sealing import is_sealed

# Bookkeeping, not the place: migrations, the audit log of who loaded what, API keys.
_BOOKKEEPING = [
    "SchemaMigration",
    "AuditEvent",
    "AuditChainHead",
    "Change",
    "IdempotencyKey",
    "ApiKey",
]
# What two loads of the same rows may differ in: when a load ran (and so when a row
# last changed), when a consent event was recorded and its random id, and a row's digest
# (keyed with the person's key: another key store gives another). A sealed personal
# value differs too (a fresh nonce each time), so it counts as the same when both are
# sealed.
# created_at: when a load first wrote into a place (the Place node), a load time too.
_VOLATILE = ["loaded_at", "recorded_at", "changed_at", "row_digest", "created_at"]
_RANDOM_IDS = {"ConsentEvent"}
SEALED = "<sealed>"

NODES = """
MATCH (n)
WHERE NONE(label IN labels(n) WHERE label IN $bookkeeping)
RETURN labels(n) AS labels, properties(n) AS props
"""

RELATIONSHIPS = """
MATCH (a)-[r]->(b)
WHERE NONE(label IN labels(a) + labels(b) WHERE label IN $bookkeeping)
RETURN labels(a) AS from_labels, a.id AS from_id, type(r) AS type,
       labels(b) AS to_labels, b.id AS to_id, properties(r) AS props
"""


@dataclass(frozen=True)
class GraphState:
    """Counts per label and per type, and a digest of every node's and relationship's
    labels, ends and properties (``loaded_at`` aside)."""

    nodes: dict[str, int]
    relationships: dict[str, int]
    digest: str


def _canonical(record: dict[str, object]) -> str:
    props = record["props"]
    assert isinstance(props, dict)
    random_id = bool(_RANDOM_IDS & set(record.get("labels", [])))  # type: ignore[call-overload]
    shown = {**record, "props": {
        k: (SEALED if is_sealed(v) else v) for k, v in props.items()
        if k not in _VOLATILE and not (random_id and k == "id")
    }}  # fmt: skip
    for end in ("from", "to"):
        if _RANDOM_IDS & set(record.get(f"{end}_labels", [])):  # type: ignore[call-overload]
            shown[f"{end}_id"] = None
    for key in ("labels", "from_labels", "to_labels"):
        if key in shown:
            shown[key] = sorted(shown[key])  # type: ignore[call-overload]
    return json.dumps(shown, sort_keys=True, default=str)


def graph_state(driver: Driver, database: str) -> GraphState:
    nodes: dict[str, int] = {}
    relationships: dict[str, int] = {}
    lines: list[str] = []
    records, _, _ = driver.execute_query(NODES, bookkeeping=_BOOKKEEPING, database_=database)
    for record in records:
        for label in record["labels"]:
            nodes[label] = nodes.get(label, 0) + 1
        lines.append(_canonical(record.data()))
    records, _, _ = driver.execute_query(
        RELATIONSHIPS, bookkeeping=_BOOKKEEPING, database_=database
    )
    for record in records:
        relationships[record["type"]] = relationships.get(record["type"], 0) + 1
        lines.append(_canonical(record.data()))
    digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
    return GraphState(dict(sorted(nodes.items())), dict(sorted(relationships.items())), digest)
