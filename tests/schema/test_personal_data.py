"""Refugees' personal data: no role without the right reaches it by any path.

The walk below finds every path through the schema that ends in a personal field
(direct, through connections, node(id) with inline and named fragments, aliases,
mutations) and tries each as every role that lacks the right. A personal value
must never come back: not in data, not in errors, not in the logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
)
from neo4j import Driver

from graph.access import Role
from graph.services.people_migration import bring_people_forward
from graph.settings import Neo4jSettings
from schema import build_schema
from tests.schema.place import into_default_place

YES = "consent_given_at: datetime('2024-01-01T00:00:00')"

SECRETS = {
    "p-a": ["Amina Secretname", "amina.secret@example.org", "+44 7700 900001", "Syrian-Secret",
            "Refugee-Status-Secret", "1 Hidden Street", "LS9 9ZZ"],
    "p-b": ["Bogdan Hiddenname", "bogdan.hidden@example.org", "Ukrainian-Secret"],
    "p-c": ["Chen Privatename", "chen.private@example.org"],
    "p-x": ["Xavier Neverconsented", "xavier.never@example.org"],
}  # fmt: skip
ALL_SECRETS = [value for values in SECRETS.values() for value in values]

PLACE = f"""
CREATE (a:CommunityOrganisation {{id: 'org-a', name: 'Refugee Welcome'}})
CREATE (b:CommunityOrganisation {{id: 'org-b', name: 'Newcomers Network'}})
CREATE (trust:AnchorInstitution {{id: 'trust', name: 'City Hospital Trust'}})
CREATE (care:Skill {{id: 'care', preferred_label: 'care'}})
CREATE (v:Vacancy {{id: 'v1', title: 'Staff Nurse', shortage: true, status: 'open'}})
CREATE (trust)-[:POSTS]->(v)
CREATE (v)-[:REQUIRES {{essential: true}}]->(care)
CREATE (pa:Person {{id: 'p-a', {YES}, stage: 'engaged', consent_scopes: ['matching', 'share:org-a']}})
CREATE (pb:Person {{id: 'p-b', {YES}, stage: 'engaged', consent_scopes: ['share:org-b']}})
CREATE (pc:Person {{id: 'p-c', {YES}, stage: 'engaged', consent_scopes: ['matching']}})
CREATE (px:Person {{id: 'p-x', stage: 'engaged', consent_scopes: ['share:org-a']}})
CREATE (pa)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {{id: 'p-a', name: 'Amina Secretname',
  email: 'amina.secret@example.org', phone: '+44 7700 900001', nationality: 'Syrian-Secret',
  immigration_status: 'Refugee-Status-Secret', address: '1 Hidden Street', postcode: 'LS9 9ZZ'}})
CREATE (pb)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {{id: 'p-b', name: 'Bogdan Hiddenname',
  email: 'bogdan.hidden@example.org', nationality: 'Ukrainian-Secret'}})
CREATE (pc)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {{id: 'p-c', name: 'Chen Privatename',
  email: 'chen.private@example.org'}})
CREATE (px)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {{id: 'p-x', name: 'Xavier Neverconsented',
  email: 'xavier.never@example.org'}})
WITH pa, pb, pc, px, a, b, care
CREATE (pa)-[:SUPPORTED_BY]->(a), (pb)-[:SUPPORTED_BY]->(b), (pc)-[:SUPPORTED_BY]->(a),
       (px)-[:SUPPORTED_BY]->(a)
CREATE (pa)-[:HAS_SKILL]->(care), (pb)-[:HAS_SKILL]->(care), (pc)-[:HAS_SKILL]->(care),
       (px)-[:HAS_SKILL]->(care)
"""

PERSONAL = (
    "personal { name email phone dateOfBirth nationality immigrationStatus address postcode }"
)

# Values for required arguments, by name; a person's id names someone with details.
ARGUMENTS = {
    "id": '"Person:p-a"', "personId": '"Person:p-a"', "vacancyId": '"Vacancy:v1"',
    "stage": "ACCREDITATION", "from": '"Person:p-a"', "to": '"Vacancy:v1"',
    "anchorId": '"AnchorInstitution:trust"',
}  # fmt: skip


def _unwrap(graphql_type: object) -> object:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type


def _arguments(field: GraphQLField) -> str | None:
    parts = []
    for name, argument in field.args.items():
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined:
            if name not in ARGUMENTS:
                return None  # cannot call it meaningfully; it would fail validation
            parts.append(f"{name}: {ARGUMENTS[name]}")
    return f"({', '.join(parts)})" if parts else ""


def _paths_to_personal(schema: GraphQLSchema, depth: int = 6) -> Iterator[str]:
    """Every selection, from a root field, that ends in Person.personal."""

    def walk(graphql_type: object, seen: frozenset[str], level: int) -> Iterator[str]:
        named = _unwrap(graphql_type)
        if level > depth or not hasattr(named, "name") or named.name in seen:
            return
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            members = (named.types if isinstance(named, GraphQLUnionType)
                       else schema.get_possible_types(named))  # fmt: skip
            for member in members:
                for inner in walk(member, seen, level):
                    yield f"... on {member.name} {{ {inner} }}"
            return
        if not isinstance(named, GraphQLObjectType):
            return
        if named.name == "Person":
            yield PERSONAL
        for name, field in named.fields.items():
            arguments = _arguments(field)
            if arguments is None or name == "personal":
                continue
            for inner in walk(field.type, seen | {named.name}, level + 1):
                yield f"{name}{arguments} {{ {inner} }}"

    for root, keyword in ((schema.query_type, "query"), (schema.mutation_type, "mutation")):
        assert root is not None
        for name, field in root.fields.items():
            arguments = _arguments(field)
            if arguments is None:
                continue
            for inner in walk(field.type, frozenset(), 1):
                yield f"{keyword} {{ {name}{arguments} {{ {inner} }} }}"


def _variants(document: str) -> list[str]:
    """The same path, plain, under an alias, and through a named fragment on Person."""
    keyword, _, rest = document.partition(" { ")
    aliased = f"{keyword} {{ sneaky: {rest}"
    if PERSONAL in document:
        fragmented = document.replace(PERSONAL, "...details") + (
            f" fragment details on Person {{ {PERSONAL} }}"
        )
        return [document, aliased, fragmented]
    return [document, aliased]


DOCUMENTS = sorted({v for d in _paths_to_personal(build_schema()._schema) for v in _variants(d)})


def test_the_walk_finds_the_paths() -> None:
    roots = {doc.split("{", 2)[1].split("(")[0].split("{")[0].strip() for doc in DOCUMENTS}
    assert {"people", "node", "movePersonStage", "sneaky: people"} <= roots
    assert 'node(id: "Person:p-a")' in " ".join(DOCUMENTS)


def test_the_documents_do_reach_personal_data_for_an_administrator(
    clean_db: Driver, neo4j_settings: Neo4jSettings, client: TestClient
) -> None:
    """The control: without it, documents that fail validation would 'pass' the leak test."""
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    into_default_place(clean_db, neo4j_settings.database)
    # Written in the shape of before migration 0007; bring it forward (values sealed).
    bring_people_forward(clean_db, neo4j_settings.database)
    reached = [
        document for document in DOCUMENTS
        if document.startswith("query")
        and "Amina Secretname" in client.post("/graphql", json={"query": document}).text
    ]  # fmt: skip
    assert len(reached) == len([d for d in DOCUMENTS if d.startswith("query")])


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    into_default_place(clean_db, neo4j_settings.database)
    # Written in the shape of before migration 0007; bring it forward (values sealed).
    bring_people_forward(clean_db, neo4j_settings.database)
    return clean_db


WITHOUT_THE_RIGHT = [
    (Role.PLACE_LEADER, None),
    (Role.ANALYST, None),
    (Role.LOADER, None),
    (Role.CASEWORKER, "org-elsewhere"),
]


@pytest.mark.parametrize(("role", "organisation"), WITHOUT_THE_RIGHT)
def test_no_personal_value_reaches_a_role_without_the_right(
    place: Driver,
    client_as: Callable[..., TestClient],
    role: Role,
    organisation: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_as(role, organisation)
    for document in DOCUMENTS:
        response = client.post("/graphql", json={"query": document})
        leaked = [secret for secret in ALL_SECRETS if secret in response.text]
        assert leaked == [], (role, document)
    assert [s for s in ALL_SECRETS if s in caplog.text] == []


def test_anonymous_callers_get_nothing(place: Driver, anonymous_client: TestClient) -> None:
    for document in DOCUMENTS:
        body = anonymous_client.post("/graphql", json={"query": document}).json()
        assert body.get("data") in (None, {}) or all(v is None for v in body["data"].values())
        assert {e["extensions"]["code"] for e in body["errors"]} <= {
            "UNAUTHENTICATED", "GRAPHQL_VALIDATION_FAILED",
        }  # fmt: skip
        assert not [s for s in ALL_SECRETS if s in str(body)]


NAMES = "{ people(first: 50) { edges { node { externalId personal { name } } } } }"


def test_place_leader_sees_no_names_and_no_people(
    place: Driver, client_as: Callable[..., TestClient]
) -> None:
    body = client_as(Role.PLACE_LEADER).post("/graphql", json={"query": NAMES}).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_caseworker_sees_by_name_only_those_who_consented_to_their_organisation(
    place: Driver, client_as: Callable[..., TestClient]
) -> None:
    body = client_as(Role.CASEWORKER, "org-a").post("/graphql", json={"query": NAMES}).json()
    people = {
        e["node"]["externalId"]: e["node"]["personal"] for e in body["data"]["people"]["edges"]
    }
    # p-x shared with org-a but never consented overall: not visible at all.
    assert people == {"p-a": {"name": "Amina Secretname"}, "p-b": None, "p-c": None}


def test_reads_of_personal_data_are_audited_without_values(
    place: Driver, client_as: Callable[..., TestClient], client: TestClient
) -> None:
    client_as(Role.CASEWORKER, "org-a").post("/graphql", json={"query": NAMES})
    log = client.post("/graphql", json={"query": "{ auditLog(first: 10) { events { subject role "
                                        "organisationId operation targetIds detail } } }"}).json()  # fmt: skip
    # The place was written in the old shape and brought forward: the migration's own
    # events name nobody.
    migration = [e for e in log["data"]["auditLog"]["events"] if e["subject"] == "migration:0007"]
    assert [e["targetIds"] for e in migration] == [[], []]
    events = [e for e in log["data"]["auditLog"]["events"] if e not in migration]
    assert events == [{"subject": "test-caseworker", "role": "caseworker",
                       "organisationId": "org-a", "operation": "read_personal",
                       "targetIds": ["p-a"], "detail": None}]  # fmt: skip
    assert not [s for s in ALL_SECRETS if s in str(log)]


def test_only_admins_read_the_audit_log(
    place: Driver, client_as: Callable[..., TestClient]
) -> None:
    for role in (Role.PLACE_LEADER, Role.ANALYST, Role.CASEWORKER, Role.LOADER):
        body = (
            client_as(role, "org-a")
            .post("/graphql", json={"query": "{ auditLog { events { id } } }"})
            .json()
        )
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_writes_are_audited(
    place: Driver, client_as: Callable[..., TestClient], client: TestClient
) -> None:
    caseworker = client_as(Role.CASEWORKER, "org-a")
    moved = caseworker.post("/graphql", json={"query": 'mutation { movePersonStage(personId: "Person:p-a", '
                                               'stage: ACCREDITATION) { stage } }'}).json()  # fmt: skip
    assert moved["data"]["movePersonStage"]["stage"] == "ACCREDITATION"
    # A person who shares only with another organisation cannot be moved by this caseworker.
    refused = caseworker.post("/graphql", json={"query": 'mutation { movePersonStage(personId: "Person:p-b", '
                                                 'stage: ACCREDITATION) { stage } }'}).json()  # fmt: skip
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    log = client.post(
        "/graphql", json={"query": "{ auditLog { events { operation targetIds detail } } }"}
    ).json()
    assert {"operation": "move_person_stage", "targetIds": ["Person:p-a"],
            "detail": "stage=accreditation"} in log["data"]["auditLog"]["events"]  # fmt: skip


def test_a_caseworker_reads_a_date_of_birth_as_a_date(
    clean_db: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    # A date stored by the code before migration 0007 comes back from the driver as its
    # own type; sealed in place and opened, it must still read as a date.
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    into_default_place(clean_db, neo4j_settings.database)
    clean_db.execute_query(
        "MATCH (r:PersonalRecord {id: 'p-a'}) SET r.date_of_birth = date('1988-04-02')",
        database_=neo4j_settings.database,
    )
    bring_people_forward(clean_db, neo4j_settings.database)
    query = "{ people(first: 5) { edges { node { externalId personal { dateOfBirth } } } } }"
    body = client_as(Role.CASEWORKER, "org-a").post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    people = {
        e["node"]["externalId"]: e["node"]["personal"] for e in body["data"]["people"]["edges"]
    }
    assert people["p-a"] == {"dateOfBirth": "1988-04-02"}
