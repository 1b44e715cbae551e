"""Writing validated batches into the graph, and checking what they refer to.

Every write is one ``execute_write`` per batch with its audit event: MERGE on
constrained ids, so a retried or re-run batch leaves the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import LiteralString

from neo4j import Driver, ManagedTransaction

from graph.cypher import ingest_edges as e
from graph.cypher import ingest_links as lk
from graph.cypher import ingest_nodes as n
from graph.cypher import lookups
from graph.models.anchors import AnchorInstitution, Department, Vacancy
from graph.models.base import NodeModel
from graph.models.edges import Edge, EdgeEndpoints
from graph.models.organisations import CommunityOrganisation, Service
from graph.models.people import PersonProfile
from graph.models.places import Area, Property
from graph.models.provenance import Provenance
from graph.models.taxonomy import Occupation, Qualification, Skill
from graph.services.audit import audit_batch
from graph.vocabulary import PLACED_LABELS, Label, RelType

__all__ = [
    "EDGE_QUERIES",
    "Problem",
    "count_nodes_by_label",
    "count_relationships_by_type",
    "edge_problems",
    "existing_ids",
    "merge_nodes",
    "node_problems",
    "people_problems",
    "write_edges",
    "write_nodes",
]

EXISTING_IDS: dict[Label, LiteralString] = {
    Label.PERSON: lookups.EXISTING_PERSON_IDS,
    Label.SKILL: lookups.EXISTING_SKILL_IDS,
    Label.OCCUPATION: lookups.EXISTING_OCCUPATION_IDS,
    Label.QUALIFICATION: lookups.EXISTING_QUALIFICATION_IDS,
    Label.COMMUNITY_ORGANISATION: lookups.EXISTING_ORGANISATION_IDS,
    Label.SERVICE: lookups.EXISTING_SERVICE_IDS,
    Label.ANCHOR_INSTITUTION: lookups.EXISTING_ANCHOR_IDS,
    Label.DEPARTMENT: lookups.EXISTING_DEPARTMENT_IDS,
    Label.VACANCY: lookups.EXISTING_VACANCY_IDS,
    Label.PROPERTY: lookups.EXISTING_PROPERTY_IDS,
    Label.AREA: lookups.EXISTING_AREA_IDS,
}


@dataclass(frozen=True)
class NodeWriter:
    label: Label
    merge: LiteralString
    link: LiteralString | None
    # Link field -> the labels its ids may name (several: any one will do).
    references: dict[str, tuple[Label, ...]]


NODE_WRITERS: dict[type[NodeModel], NodeWriter] = {
    Area: NodeWriter(Label.AREA, n.MERGE_AREAS, lk.LINK_AREAS, {"parent_id": (Label.AREA,)}),
    Skill: NodeWriter(Label.SKILL, n.MERGE_SKILLS, None, {}),
    Occupation: NodeWriter(Label.OCCUPATION, n.MERGE_OCCUPATIONS, None, {}),
    Qualification: NodeWriter(
        Label.QUALIFICATION,
        n.MERGE_QUALIFICATIONS,
        lk.LINK_QUALIFICATION_OCCUPATIONS,
        {"occupation_id": (Label.OCCUPATION,)},
    ),
    CommunityOrganisation: NodeWriter(
        Label.COMMUNITY_ORGANISATION,
        n.MERGE_ORGANISATIONS,
        lk.LINK_ORGANISATION_AREAS,
        {"area_id": (Label.AREA,)},
    ),
    Service: NodeWriter(
        Label.SERVICE,
        n.MERGE_SERVICES,
        lk.LINK_SERVICE_ORGANISATIONS,
        {"organisation_id": (Label.COMMUNITY_ORGANISATION,)},
    ),
    AnchorInstitution: NodeWriter(
        Label.ANCHOR_INSTITUTION, n.MERGE_ANCHORS, lk.LINK_ANCHOR_AREAS, {"area_id": (Label.AREA,)}
    ),
    Department: NodeWriter(
        Label.DEPARTMENT,
        n.MERGE_DEPARTMENTS,
        lk.LINK_DEPARTMENTS,
        {"anchor_id": (Label.ANCHOR_INSTITUTION,), "area_id": (Label.AREA,)},
    ),
    Vacancy: NodeWriter(
        Label.VACANCY,
        n.MERGE_VACANCIES,
        lk.LINK_VACANCIES,
        {
            "anchor_id": (Label.ANCHOR_INSTITUTION,),
            "occupation_id": (Label.OCCUPATION,),
            "essential_skill_ids": (Label.SKILL,),
            "optional_skill_ids": (Label.SKILL,),
            "area_id": (Label.AREA,),
        },
    ),
    Property: NodeWriter(
        Label.PROPERTY,
        n.MERGE_PROPERTIES,
        lk.LINK_PROPERTIES,
        {
            "owner_id": (Label.ANCHOR_INSTITUTION, Label.COMMUNITY_ORGANISATION),
            "area_id": (Label.AREA,),
        },
    ),
}

EDGE_QUERIES: dict[EdgeEndpoints, LiteralString] = {
    (RelType.SUPPORTED_BY, Label.PERSON, Label.COMMUNITY_ORGANISATION): (
        e.MERGE_PERSON_SUPPORTED_BY_ORGANISATION
    ),
    (RelType.KNOWS, Label.PERSON, Label.PERSON): e.MERGE_PERSON_KNOWS_PERSON,
    (RelType.MENTORED_BY, Label.PERSON, Label.PERSON): e.MERGE_PERSON_MENTORED_BY_PERSON,
    (RelType.HAS_SKILL, Label.PERSON, Label.SKILL): e.MERGE_PERSON_HAS_SKILL,
    (RelType.HOLDS, Label.PERSON, Label.QUALIFICATION): e.MERGE_PERSON_HOLDS_QUALIFICATION,
    (RelType.APPLIED_TO, Label.PERSON, Label.VACANCY): e.MERGE_PERSON_APPLIED_TO_VACANCY,
    (RelType.PLACED_IN, Label.PERSON, Label.VACANCY): e.MERGE_PERSON_PLACED_IN_VACANCY,
    (RelType.REFERS_TO, Label.COMMUNITY_ORGANISATION, Label.COMMUNITY_ORGANISATION): (
        e.MERGE_ORGANISATION_REFERS_TO_ORGANISATION
    ),
    (RelType.REFERS_TO, Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT): (
        e.MERGE_ORGANISATION_REFERS_TO_DEPARTMENT
    ),
    (RelType.REFERS_TO, Label.COMMUNITY_ORGANISATION, Label.ANCHOR_INSTITUTION): (
        e.MERGE_ORGANISATION_REFERS_TO_ANCHOR
    ),
    (RelType.REFERS_TO, Label.DEPARTMENT, Label.COMMUNITY_ORGANISATION): (
        e.MERGE_DEPARTMENT_REFERS_TO_ORGANISATION
    ),
    (RelType.PARTNERS_WITH, Label.COMMUNITY_ORGANISATION, Label.COMMUNITY_ORGANISATION): (
        e.MERGE_ORGANISATION_PARTNERS_WITH_ORGANISATION
    ),
    (RelType.PARTNERS_WITH, Label.COMMUNITY_ORGANISATION, Label.ANCHOR_INSTITUTION): (
        e.MERGE_ORGANISATION_PARTNERS_WITH_ANCHOR
    ),
    (RelType.PARTNERS_WITH, Label.DEPARTMENT, Label.COMMUNITY_ORGANISATION): (
        e.MERGE_DEPARTMENT_PARTNERS_WITH_ORGANISATION
    ),
    (
        RelType.USES,
        Label.COMMUNITY_ORGANISATION,
        Label.PROPERTY,
    ): e.MERGE_ORGANISATION_USES_PROPERTY,
    (RelType.DELIVERED_AT, Label.SERVICE, Label.PROPERTY): (e.MERGE_SERVICE_DELIVERED_AT_PROPERTY),
}


@dataclass(frozen=True)
class Problem:
    """Why item ``index`` of a batch cannot be written: the field and the reason."""

    index: int
    field: str
    reason: str


# -- reads -------------------------------------------------------------------


def existing_ids(
    driver: Driver,
    database: str,
    label: Label,
    ids: Iterable[str],
    places: Sequence[str] | None = None,
) -> set[str]:
    """The subset of ``ids`` that name an existing node of ``label``; of a placed label,
    one in ``places`` (None: every place, as a load asks)."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    records, _, _ = driver.execute_query(
        EXISTING_IDS[label],
        ids=wanted,
        places=None if places is None else list(places),
        database_=database,
        routing_="r",
    )
    return {record["id"] for record in records}


def count_nodes_by_label(driver: Driver, database: str) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        lookups.COUNT_NODES_BY_LABEL, database_=database, routing_="r"
    )
    return {record["label"]: record["count"] for record in records}


def count_relationships_by_type(driver: Driver, database: str) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        lookups.COUNT_RELATIONSHIPS_BY_TYPE, database_=database, routing_="r"
    )
    return {record["type"]: record["count"] for record in records}


# -- reference checks ----------------------------------------------------------


def _ids_of(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _known(
    driver: Driver, database: str, wanted: dict[Label, set[str]], in_batch: dict[Label, set[str]]
) -> dict[Label, set[str]]:
    return {
        label: existing_ids(driver, database, label, ids - in_batch.get(label, set()))
        | (ids & in_batch.get(label, set()))
        for label, ids in wanted.items()
    }


def _missing_reason(labels: tuple[Label, ...], ident: str) -> str:
    names = " or ".join(str(label) for label in labels)
    return f"unknown {names} id {ident!r}"


def node_problems(driver: Driver, database: str, nodes: Sequence[NodeModel]) -> list[Problem]:
    """Rows whose link fields name nodes that are neither in the graph nor in this batch."""
    if not nodes:
        return []
    writer = NODE_WRITERS[type(nodes[0])]
    in_batch = {writer.label: {node.id for node in nodes}}
    wanted: dict[Label, set[str]] = defaultdict(set)
    for node in nodes:
        for field, labels in writer.references.items():
            for label in labels:
                wanted[label].update(_ids_of(getattr(node, field)))
    known = _known(driver, database, wanted, in_batch)
    problems = []
    for index, node in enumerate(nodes):
        for field, labels in writer.references.items():
            for ident in _ids_of(getattr(node, field)):
                if not any(ident in known[label] for label in labels):
                    problems.append(Problem(index, field, _missing_reason(labels, ident)))
    return problems


def people_problems(
    driver: Driver, database: str, profiles: Sequence[PersonProfile]
) -> list[Problem]:
    """Survey rows naming an area, skill or organisation the graph does not have."""
    references: dict[str, Label] = {
        "home_area_id": Label.AREA,
        "skill_ids": Label.SKILL,
        "organisation_ids": Label.COMMUNITY_ORGANISATION,
    }

    def values(profile: PersonProfile, field: str) -> list[str]:
        source = profile.person if field == "home_area_id" else profile
        return _ids_of(getattr(source, field))

    wanted: dict[Label, set[str]] = defaultdict(set)
    for profile in profiles:
        for field, label in references.items():
            wanted[label].update(values(profile, field))
    known = _known(driver, database, wanted, {})
    return [
        Problem(index, field, _missing_reason((label,), ident))
        for index, profile in enumerate(profiles)
        for field, label in references.items()
        for ident in values(profile, field)
        if ident not in known[label]
    ]


def edge_problems(driver: Driver, database: str, edges: Sequence[Edge]) -> list[Problem]:
    """Edges of a type not allowed between their labels, or naming unknown nodes."""
    wanted: dict[Label, set[str]] = defaultdict(set)
    for edge in edges:
        wanted[edge.from_label].add(edge.from_id)
        wanted[edge.to_label].add(edge.to_id)
    known = _known(driver, database, wanted, {})
    problems = []
    for index, edge in enumerate(edges):
        if edge.endpoints not in EDGE_QUERIES:
            problems.append(
                Problem(
                    index,
                    "kind",
                    f"{edge.rel_type} cannot link {edge.from_label} to {edge.to_label}",
                )
            )
            continue
        if edge.from_id not in known[edge.from_label]:
            problems.append(
                Problem(index, "from_id", _missing_reason((edge.from_label,), edge.from_id))
            )
        if edge.to_id not in known[edge.to_label]:
            problems.append(Problem(index, "to_id", _missing_reason((edge.to_label,), edge.to_id)))
    return problems


# -- writes --------------------------------------------------------------------


def merge_place(tx: ManagedTransaction, provenance: Provenance) -> list[str]:
    """The load's place, made if new (then its key, for the batch's journal entry)."""
    created = tx.run(
        n.MERGE_PLACE,
        place_id=provenance.place_id,
        place_name=provenance.place_name,
        loaded_at=provenance.loaded_at,
    ).single(strict=True)["created"]
    return [f"{Label.PLACE}:{provenance.place_id}"] if created else []


def merge_nodes(
    tx: ManagedTransaction, nodes: Sequence[NodeModel], provenance: Provenance
) -> list[str]:
    """MERGE nodes of one kind and their links inside ``tx`` (audited by the caller);
    the keys of what else it made (the load's place, when new)."""
    writer = NODE_WRITERS[type(nodes[0])]
    made = merge_place(tx, provenance) if writer.label in PLACED_LABELS else []
    merge_rows = [{"props": node.node_properties()} for node in nodes]
    link_rows = [
        {"id": node.id, **node.model_dump(include=set(node.LINK_FIELDS))} for node in nodes
    ]
    params = provenance.as_params()
    tx.run(writer.merge, {"rows": merge_rows, **params}).consume()
    if writer.link is not None:
        tx.run(writer.link, {"rows": link_rows, **params}).consume()
    return made


def write_nodes(
    driver: Driver, database: str, nodes: Sequence[NodeModel], provenance: Provenance
) -> None:
    """MERGE one batch of nodes of one kind and their links, with its audit event,
    in one transaction."""
    if not nodes:
        return
    label = NODE_WRITERS[type(nodes[0])].label

    def work(tx: ManagedTransaction) -> None:
        made = merge_nodes(tx, nodes, provenance)
        ids = [f"{label}:{node.id}" for node in nodes]
        # The event names the rows' ids; the journal the place too, when the batch made it.
        audit_batch(tx, provenance, label, ids, len(nodes), changed=[*made, *ids])

    with driver.session(database=database) as session:
        session.execute_write(work)


def write_edges(
    driver: Driver, database: str, edges: Sequence[Edge], provenance: Provenance
) -> None:
    """MERGE one batch of checked edges, grouped by kind, and its audit, in one transaction."""
    groups: dict[EdgeEndpoints, list[dict[str, object]]] = defaultdict(list)
    for edge in edges:
        groups[edge.endpoints].append(
            {
                "from_id": edge.from_id,
                "to_id": edge.to_id,
                "props": edge.properties(),
                "until": edge.until,
            }
        )
    params = provenance.as_params()

    def work(tx: ManagedTransaction) -> None:
        for endpoints, rows in groups.items():
            tx.run(EDGE_QUERIES[endpoints], {"rows": rows, **params}).consume()
        ends = [f"{e.from_label}:{e.from_id}" for e in edges]
        audit_batch(
            tx,
            provenance,
            "edges",
            ends + [f"{e.to_label}:{e.to_id}" for e in edges],
            len(edges),
            kinds={e.rel_type for e in edges},
        )

    with driver.session(database=database) as session:
        session.execute_write(work)
