"""Injection strings in every string argument are matched or stored as plain
data: a query leaves the graph as it was, a mutation changes only the node it
meant to and stores the string exactly, and no answer shows a stack trace or Cypher.

The arguments are found by walking the schema's Query and Mutation fields and
their input types, so a new String or ID argument is covered without an edit
here; a new *required* one must be given a valid value in ``VALID``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from neo4j import Driver

from graph.services.explore_nodes import EXPLORABLE
from graph.settings import Neo4jSettings
from graph.vocabulary import Label
from schema import build_schema
from schema.people_guard import RIGHTS_FIELDS
from tests.conftest import CLEAR_GRAPH
from tests.schema.place import load_place

PAYLOADS = [
    "'", '"', "`", "}) RETURN n //", "' OR 1=1 //", "// ", "DETACH DELETE",
    "MATCH (n) DETACH DELETE n", "x'}) MATCH (n) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n //', "`) DETACH DELETE n //", "\\' OR 1=1 //", "$id",
    "before\x00after", "Zoë — 東京 🚀 \u202eevil", "';" * 3000,
]  # fmt: skip

# Values for required arguments, so that the one under test is the only odd one.
VALID: dict[str, Any] = {
    "referralPaths.from": "Person:p-1",
    "referralPaths.to": "AnchorInstitution:anchor-lth",
    "matchingCandidates.vacancyId": "Vacancy:vac-nurse",
    "opportunitiesFor.personId": "Person:p-1",
    "pathway.vacancyId": "Vacancy:vac-nurse",
    "brokerageGaps.anchorId": "AnchorInstitution:anchor-lth",
    "funnel.anchorId": "AnchorInstitution:anchor-lth",
    "impact.anchorId": "AnchorInstitution:anchor-lth",
    "anchorFootprint.anchorId": "AnchorInstitution:anchor-lth",
    "partnershipNetwork.anchorId": "AnchorInstitution:anchor-lth",
    "recordReferral.from": "CommunityOrganisation:org-welcome",
    "recordReferral.to": "Department:dept-hub",
    "movePersonStage.personId": "Person:p-1",
    "openVacancy.input.id": "vac-walk",
    "openVacancy.input.title": "Walk-in vacancy",
    "openVacancy.input.anchor": "AnchorInstitution:anchor-lth",
    "closeVacancy.id": "Vacancy:vac-hca",
}
_OTHER_VALUES: dict[str, Any] = {"Int": 1, "Float": 0.5, "Boolean": False, "Date": "2025-01-01"}

# The kinds of node an ID argument names, so that an injected external id gets
# as far as the query; an ID argument not listed (``node(id:)``) is tried with
# every kind a global id may name.
_KINDS: dict[str, tuple[str, ...]] = {
    "area": ("Area",),
    "parent": ("Area",),
    "skill": ("Skill",),
    "essentialSkills": ("Skill",),
    "optionalSkills": ("Skill",),
    "trainedAs": ("Occupation",),
    "occupation": ("Occupation",),
    "organisation": ("CommunityOrganisation",),
    "anchor": ("AnchorInstitution",),
    "owner": ("AnchorInstitution", "CommunityOrganisation"),
}

# What each mutation is meant to change: a node label, or a relationship type.
INTENDED = {"openVacancy": "Vacancy", "closeVacancy": "Vacancy", "movePersonStage": "Person",
            "recordReferral": "REFERS_TO"}  # fmt: skip
# The audit log grows on reads of personal fields and on every write, by design, its
# chain head with it; a mutation given an idempotency key keeps it with its answer.
NOT_COMPARED = (Label.AUDIT_EVENT.value, "AuditChainHead", "Change", "IdempotencyKey")
# Arguments kept on a node of their own, not on what the mutation changes.
KEPT_APART = frozenset({"idempotencyKey"})
LEAKS = ("Traceback", 'File "', "neo4j.exceptions", "MATCH", "UNWIND", "RETURN", "DETACH")


@dataclass(frozen=True)
class Slot:
    """One String or ID argument, or a String or ID field of an input argument."""

    root: str
    field: str
    path: tuple[str, ...]
    kind: str
    many: bool

    @property
    def key(self) -> str:
        return ".".join((self.field, *self.path))


def string_slots(schema: GraphQLSchema) -> list[Slot]:
    slots: list[Slot] = []
    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for name, field in root.fields.items():
            for argument, definition in field.args.items():
                slots += _slots_in(root.name, name, (argument,), definition.type, frozenset())
    return slots


def _slots_in(
    root: str,
    field: str,
    path: tuple[str, ...],
    graphql_type: GraphQLInputType,
    seen: frozenset[str],
) -> list[Slot]:
    named = get_named_type(graphql_type)
    if named.name in {"String", "ID"}:
        return [Slot(root, field, path, named.name, is_list_type(get_nullable_type(graphql_type)))]
    if not isinstance(named, GraphQLInputObjectType) or named.name in seen:
        return []
    return [
        slot
        for name, inner in named.fields.items()
        for slot in _slots_in(root, field, (*path, name), inner.type, seen | {named.name})
    ]


SCHEMA = build_schema()._schema
# The rights mutations (consent, erasure) change a person and add a consent event in one
# write, and refuse what this walk sends (a caseworker's evidence, scopes); injection into
# them is tried in tests/graph/test_consent_rights.py and tests/schema/test_people_rights.py.
SLOTS = [
    slot for slot in string_slots(SCHEMA)
    if f"{slot.root}.{slot.field}" not in RIGHTS_FIELDS
]  # fmt: skip


# -- requests ---------------------------------------------------------------------


def _required(key: str, graphql_type: GraphQLInputType) -> Any:
    """A valid value for a required argument or input field."""
    if key in VALID:
        return VALID[key]
    named = get_named_type(graphql_type)
    assert named.name not in {"String", "ID"}, f"give {key} a valid value in VALID"
    if isinstance(named, GraphQLEnumType):
        value: Any = next(iter(named.values))
    elif isinstance(named, GraphQLInputObjectType):
        value = _required_fields(key, named)
    else:
        value = _OTHER_VALUES[named.name]
    return [value] if is_list_type(get_nullable_type(graphql_type)) else value


def _required_fields(key: str, input_type: GraphQLInputObjectType) -> dict[str, Any]:
    return {
        name: _required(f"{key}.{name}", field.type)
        for name, field in input_type.fields.items()
        if is_non_null_type(field.type) and field.default_value is Undefined
    }


def _arguments(slot: Slot, sent: str) -> dict[str, Any]:
    field = _root(slot).fields[slot.field]
    head, *rest = slot.path
    values = {
        name: _required(f"{slot.field}.{name}", argument.type)
        for name, argument in field.args.items()
        if name != head and is_non_null_type(argument.type) and argument.default_value is Undefined
    }
    value: Any = [sent] if slot.many else sent
    if not rest:
        values[head] = value
        return values
    argument_type = get_named_type(field.args[head].type)
    assert isinstance(argument_type, GraphQLInputObjectType)
    holder = values.setdefault(head, _required_fields(f"{slot.field}.{head}", argument_type))
    for name in rest[:-1]:
        holder = holder.setdefault(name, {})
    holder[rest[-1]] = value
    return values


def _root(slot: Slot) -> GraphQLObjectType:
    root = SCHEMA.query_type if slot.root == "Query" else SCHEMA.mutation_type
    assert root is not None
    return root


def _selection(slot: Slot) -> str:
    returned = get_named_type(_root(slot).fields[slot.field].type)
    leaves = ["__typename"]
    if isinstance(returned, GraphQLObjectType | GraphQLInterfaceType):
        leaves += [
            name
            for name, field in returned.fields.items()
            if is_leaf_type(get_named_type(field.type))
            and not any(is_non_null_type(a.type) for a in field.args.values())
        ]
    return " ".join(leaves)


def call(client: TestClient, slot: Slot, sent: str) -> dict[str, Any]:
    """Ask ``slot``'s field with ``sent`` in ``slot`` and valid values elsewhere."""
    field = _root(slot).fields[slot.field]
    arguments = _arguments(slot, sent)
    declared = ", ".join(f"${name}: {field.args[name].type}" for name in arguments)
    passed = ", ".join(f"{name}: ${name}" for name in arguments)
    operation = "query" if slot.root == "Query" else "mutation"
    text = f"{operation} Walk({declared}) {{ {slot.field}({passed}) {{ {_selection(slot)} }} }}"
    response = client.post("/graphql", json={"query": text, "variables": arguments})
    assert response.status_code in {200, 400}, response.text
    body: dict[str, Any] = response.json()
    return body


def variants(slot: Slot, payload: str, cursor: str | None) -> list[str]:
    """``payload`` as sent, and dressed so that it reaches the query: inside a
    global id of each kind the argument takes, or inside a well-formed cursor."""
    dressed = [payload]
    if slot.kind == "ID":
        dressed += [f"{kind}:{payload}" for kind in _kinds(slot)]
    if cursor is not None:
        dressed.append(_forged(cursor, payload))
    return dressed


def _kinds(slot: Slot) -> tuple[str, ...]:
    if slot.key in VALID:
        return (str(VALID[slot.key]).partition(":")[0],)
    return _KINDS.get(slot.path[-1], tuple(label.value for label in EXPLORABLE))


def a_cursor(client: TestClient, slot: Slot) -> str | None:
    """A real cursor of ``slot``'s list, when ``slot`` is a list's ``after``."""
    if slot.path != ("after",):
        return None
    returned = get_named_type(_root(slot).fields[slot.field].type)
    if not isinstance(returned, GraphQLObjectType) or "pageInfo" not in returned.fields:
        return None
    text = f"{{ {slot.field}(first: 1) {{ pageInfo {{ endCursor }} }} }}"
    body = client.post("/graphql", json={"query": text}).json()
    cursor: str | None = body["data"][slot.field]["pageInfo"]["endCursor"]
    return cursor


def _forged(cursor: str, payload: str) -> str:
    """The cursor with its keyset (everything after the list and sort) replaced."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return cursor
    forged = [*decoded[:2], *(payload for _ in decoded[2:])]
    return base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")


# -- checks -------------------------------------------------------------------------

Snapshot = tuple[dict[str, Any], dict[str, Any]]

NODES = """
MATCH (n)
WHERE NOT any(label IN labels(n) WHERE label IN $skip)
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS properties
"""
RELATIONSHIPS = """
MATCH (a)-[r]->(b)
WHERE NOT any(label IN labels(a) + labels(b) WHERE label IN $skip)
RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS source, elementId(b) AS target,
       properties(r) AS properties
"""


def snapshot(driver: Driver, database: str) -> Snapshot:
    nodes, _, _ = driver.execute_query(NODES, skip=NOT_COMPARED, database_=database)
    rels, _, _ = driver.execute_query(RELATIONSHIPS, skip=NOT_COMPARED, database_=database)
    return (
        {r["id"]: (sorted(r["labels"]), r["properties"]) for r in nodes},
        {r["id"]: (r["type"], r["source"], r["target"], r["properties"]) for r in rels},
    )


def fingerprint(graph: Snapshot) -> tuple[int, int, str]:
    """Node and relationship counts, and a checksum of every property."""
    nodes, rels = graph
    text = repr(sorted((key, repr(value)) for part in graph for key, value in part.items()))
    return len(nodes), len(rels), hashlib.sha256(text.encode()).hexdigest()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def assert_clean(body: dict[str, Any], sent: str) -> None:
    """No stack trace or Cypher in the answer, once the string we sent is taken out."""
    codes = [error.get("extensions", {}).get("code") for error in body.get("errors", [])]
    # A string that broke a query's text would show here, masked as INTERNAL.
    assert "INTERNAL" not in codes, body
    echoes = sorted(_echoes(sent) - {""}, key=len, reverse=True)
    for text in _strings(body):
        for echo in echoes:
            text = text.replace(echo, "")
        for leak in LEAKS:
            assert leak not in text, (leak, text)


def _echoes(sent: str) -> set[str]:
    """How an answer may quote ``sent``: as is, as Python's repr, or its external id."""
    external = sent.partition(":")[2]
    return {sent, repr(sent), repr(sent)[1:-1], external, repr(external), repr(external)[1:-1]}


def _differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = before.keys() | after.keys()
    return {
        key: after.get(key, before.get(key)) for key in keys if before.get(key) != after.get(key)
    }


def assert_kept_apart(driver: Driver, database: str, sent: str) -> None:
    """The idempotency key is kept, as given, on its own node (after the subject)."""
    records, _, _ = driver.execute_query(
        "MATCH (k:IdempotencyKey) WHERE k.id ENDS WITH $suffix RETURN count(k) AS n",
        suffix=f":{sent}",
        database_=database,
    )
    assert records[0]["n"] == 1, sent


def assert_intended(field: str, before: Snapshot, after: Snapshot, sent: str, stored: bool) -> None:
    """One node of ``field``'s kind changed (with its relationships), or a relationship
    of its kind, and holds ``sent`` exactly (but for the surrounding whitespace that
    every node model strips)."""
    intended = INTENDED[field]
    nodes, rels = _differences(before[0], after[0]), _differences(before[1], after[1])
    assert before[0].keys() <= after[0].keys(), "a node was deleted"
    assert len(nodes) <= 1, nodes
    assert all(intended in labels for labels, _ in nodes.values()), nodes
    kinds = {**before[0], **after[0]}
    assert all(
        kind == intended or intended in kinds[source][0] or intended in kinds[target][0]
        for kind, source, target, _ in rels.values()
    ), rels
    if stored:
        values = [v for _, props in nodes.values() for v in props.values()]
        values += [v for *_, props in rels.values() for v in props.values()]
        kept = sent.strip()
        assert kept in values or [kept] in values, (sent, nodes)


# -- the walk ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def walk_place(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Driver:
    """One place for the whole walk: every test checks that it leaves it as it was,
    or changed only as a mutation meant."""
    with driver.session(database=neo4j_settings.database) as session:
        session.run(CLEAR_GRAPH).consume()
    load_place(driver, neo4j_settings.database, Path(tmp_path_factory.mktemp("place")))
    return driver


def test_the_walk_finds_the_arguments() -> None:
    keys = {slot.key for slot in SLOTS}
    assert {"node.id", "people.after", "organisations.filter.search", "referralPaths.from",
            "openVacancy.input.title", "openVacancy.input.essentialSkills"} <= keys  # fmt: skip
    assert {slot.field for slot in SLOTS if slot.root == "Mutation"} == INTENDED.keys()


@pytest.mark.parametrize("slot", [s for s in SLOTS if s.root == "Query"], ids=lambda s: s.key)
def test_a_query_matches_injection_as_data(
    walk_place: Driver, neo4j_settings: Neo4jSettings, client: TestClient, slot: Slot
) -> None:
    before = snapshot(walk_place, neo4j_settings.database)
    cursor = a_cursor(client, slot)
    for payload in PAYLOADS:
        for sent in variants(slot, payload, cursor):
            assert_clean(call(client, slot, sent), sent)
    assert fingerprint(snapshot(walk_place, neo4j_settings.database)) == fingerprint(before)


@pytest.mark.parametrize("slot", [s for s in SLOTS if s.root == "Mutation"], ids=lambda s: s.key)
def test_a_mutation_stores_injection_as_data(
    walk_place: Driver, neo4j_settings: Neo4jSettings, client: TestClient, slot: Slot
) -> None:
    database = neo4j_settings.database
    for payload in PAYLOADS:
        for sent in variants(slot, payload, a_cursor(client, slot)):
            before = snapshot(walk_place, database)
            body = call(client, slot, sent)
            assert_clean(body, sent)
            after = snapshot(walk_place, database)
            if body.get("errors"):
                assert fingerprint(after) == fingerprint(before), body
                # A string is stored as given or refused as bad input, nothing else.
                codes = {error["extensions"]["code"] for error in body["errors"]}
                assert slot.kind == "ID" or codes == {"BAD_USER_INPUT"}, body
            elif slot.path[-1] in KEPT_APART:
                assert_kept_apart(walk_place, database, sent)
            else:
                assert_intended(slot.field, before, after, sent, stored=slot.kind == "String")
