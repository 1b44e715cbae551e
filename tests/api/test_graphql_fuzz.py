"""The GraphQL endpoint fuzzed from its own schema (hypothesis-graphql).

Queries and mutations generated from the schema, with ids of real nodes among the
random ones, go over HTTP to the real app on a small place whose people carry
recognisable personal details. Every caller gets an answer below 500 with every
error coded and no stack trace or Cypher; no caller without the right (a place
leader, an analyst, a loader, another organisation's caseworker, anyone anonymous)
ever sees one of those details. Some generated queries go over the request limits
(depth, aliases, cost): those are refused with a code, which is an answer too.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema
from neo4j import Driver

from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.services.people_migration import bring_people_forward
from graph.settings import Neo4jSettings
from schema import build_schema
from tests.conftest import CLEAR_GRAPH, bearer
from tests.schema.place import load_place

# Details no caller without the right may see, planted on the small place's people.
# Details planted on the small place's people, each value found nowhere else.
SENTINELS: dict[str, dict[str, str]] = {
    f"p-{n}": {
        "name": f"Zqxname{n} Sentinel",
        "email": f"zqx{n}@sentinel.example",
        "phone": f"+44 7700 9{n}9{n}9{n}",
        "nationality": f"Zqxlandic{n}",
        "immigration_status": f"Zqxstatus{n}",
        "address": f"{n} Zqxsentinel Street",
        "postcode": f"ZQ{n} 9QX",
    }
    for n in range(1, 5)
}
BORN = {ident: f"1901-02-0{ident[-1]}" for ident in SENTINELS}
PLANT = """
UNWIND $people AS person
MATCH (p:Person {id: person.id})
MERGE (p)-[:HAS_PERSONAL_RECORD]->(r:PersonalRecord {id: person.id})
SET r += person.details, r.date_of_birth = date(person.born)
WITH p
WHERE p.id = 'p-1'
SET p.consent_scopes = ['matching', 'share:org-welcome']
"""

CALLERS: dict[str, dict[str, str]] = {
    "admin": bearer(Role.ADMIN, subject="fuzz-admin"),
    "caseworker of org-welcome": bearer(Role.CASEWORKER, "org-welcome", subject="fuzz-cw"),
    "place leader": bearer(Role.PLACE_LEADER, subject="fuzz-leader"),
    "analyst": bearer(Role.ANALYST, subject="fuzz-analyst"),
    "loader": bearer(Role.LOADER, subject="fuzz-loader"),
    "caseworker of another organisation": bearer(Role.CASEWORKER, "org-elsewhere"),
    "anonymous": {},
}
# Whose details each caller may see: p-1 and p-2 consented, p-1 also to share with
# org-welcome; p-3 never consented and p-4 withdrew, so nobody sees theirs.
MAY_SEE: dict[str, set[str]] = {"admin": {"p-1", "p-2"}, "caseworker of org-welcome": {"p-1"}}


def _hidden_from(caller: str) -> list[str]:
    return [
        value
        for ident, details in SENTINELS.items()
        if ident not in MAY_SEE.get(caller, set())
        for value in [*details.values(), BORN[ident]]
    ]


LEAKS = ("Traceback", "MATCH (", "RETURN ", "UNWIND ", "neo4j.exceptions", 'File "')

REAL_IDS = [
    "Person:p-1", "Person:p-2", "Person:p-3", "Person:p-4", "PersonalRecord:p-1",
    "CommunityOrganisation:org-welcome", "CommunityOrganisation:org-english",
    "CommunityOrganisation:org-church", "Department:dept-hub", "AnchorInstitution:anchor-lth",
    "AnchorInstitution:anchor-council", "Vacancy:vac-nurse", "Vacancy:vac-hca",
    "Skill:skill-triage", "Occupation:occ-nurse", "Qualification:q-bsc-nursing",
    "Area:E01011331", "Area:E05011400", "Property:prop-hall", "Service:svc-ielts",
]  # fmt: skip


def _string(values: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    return values.map(lambda value: graphql.StringValueNode(value=value))


def _mostly(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # Three in four of the usual kind, so that most operations get past argument checks
    # to the data, and the odd ones still turn up.
    return st.one_of(usual, usual, usual, odd)


# Values of the right type: ill-typed ones are the negative test's business.
SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "ID": _string(_mostly(st.sampled_from(REAL_IDS), st.text(max_size=20))),
    "Int": _mostly(st.integers(1, 20), st.integers(-(2**31), 2**31 - 1)).map(
        lambda value: graphql.IntValueNode(value=str(value))
    ),
    "Float": _mostly(st.floats(0, 1), st.floats(-1e9, 1e9)).map(
        lambda value: graphql.FloatValueNode(value=repr(value))
    ),
    "Date": _string(st.dates().map(str)),
    "DateTime": _string(st.datetimes().map(lambda moment: moment.isoformat())),
}
SCHEMA = build_schema()._schema
PERSON = SCHEMA.get_type("Person")


def _selection(text: str) -> graphql.SelectionNode:
    operation = graphql.parse(text).definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    return operation.selection_set.selections[0]


PERSONAL = _selection(
    "{ zqxPersonal: personal { name email phone dateOfBirth nationality immigrationStatus "
    "address postcode } }"
)


def _ids(kind: str) -> list[str]:
    return [ident for ident in REAL_IDS if ident.startswith(f"{kind}:")]


# Ids of the right kind for arguments (and filter fields) by name.
PLAUSIBLE_IDS: dict[str, list[str]] = {
    "anchorId": _ids("AnchorInstitution"),
    "anchor": _ids("AnchorInstitution"),
    "vacancyId": _ids("Vacancy"),
    "vacancy": _ids("Vacancy"),
    "personId": _ids("Person"),
    "personIds": _ids("Person"),
    "from": _ids("Person") + _ids("CommunityOrganisation") + _ids("Department"),
    "to": _ids("Vacancy") + _ids("AnchorInstitution") + _ids("Department"),
    "occupation": _ids("Occupation"),
    "trainedAs": _ids("Occupation"),
    "area": _ids("Area"),
    "parent": _ids("Area"),
    "skill": _ids("Skill"),
    "organisation": _ids("CommunityOrganisation"),
    # node(id:) is the widest way to a person: people come up more often.
    "id": _ids("Person") + REAL_IDS,
}
PAGE_SIZES = ("first", "k", "maxHops")


class _TowardsPeople(graphql.Visitor):
    """Steers a generated operation towards the people's details: most id arguments
    name a real node of the right kind, pages are small and start at the beginning,
    stage changes are dated today, and the personal details are asked for wherever a
    person (or a node that may be one) is selected. The rest (paths, aliases, other
    arguments) stays as generated."""

    def __init__(self, info: graphql.TypeInfo, rng: random.Random) -> None:
        super().__init__()
        self.info = info
        self.rng = rng

    def _plausible(self, name: str, value: graphql.ValueNode) -> graphql.ValueNode:
        if self.rng.random() < 0.2:
            return value
        if name in PLAUSIBLE_IDS:
            return graphql.StringValueNode(value=self.rng.choice(PLAUSIBLE_IDS[name]))
        if name in PAGE_SIZES:
            return graphql.IntValueNode(value=str(self.rng.randint(1, 10)))
        if name in ("after", "on"):
            # From the first page; on today (a stage change must not go back in time).
            return graphql.NullValueNode()
        return value

    def leave_argument(self, node: graphql.ArgumentNode, *_: object) -> graphql.ArgumentNode:
        return graphql.ArgumentNode(
            name=node.name, value=self._plausible(node.name.value, node.value)
        )

    def leave_object_field(
        self, node: graphql.ObjectFieldNode, *_: object
    ) -> graphql.ObjectFieldNode:
        value = self._plausible(node.name.value, node.value)
        return graphql.ObjectFieldNode(name=node.name, value=value)

    def leave_selection_set(
        self, node: graphql.SelectionSetNode, *_: object
    ) -> graphql.SelectionSetNode | None:
        parent = self.info.get_parent_type()
        if parent is PERSON:
            return graphql.SelectionSetNode(selections=(*node.selections, PERSONAL))
        if graphql.is_abstract_type(parent) and SCHEMA.is_sub_type(parent, PERSON):  # type: ignore[arg-type]
            on_person = graphql.InlineFragmentNode(
                type_condition=graphql.NamedTypeNode(name=graphql.NameNode(value="Person")),
                selection_set=graphql.SelectionSetNode(selections=(PERSONAL,)),
                directives=(),
            )
            return graphql.SelectionSetNode(selections=(*node.selections, on_person))
        return None


def towards_people(document: str, rng: random.Random) -> str:
    info = graphql.TypeInfo(SCHEMA)
    visitor = graphql.TypeInfoVisitor(info, _TowardsPeople(info, rng))
    return graphql.print_ast(graphql.visit(graphql.parse(document), visitor))


@pytest.fixture(scope="module")
def fuzz_place(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Driver:
    with driver.session(database=neo4j_settings.database) as session:
        session.run(CLEAR_GRAPH).consume()
    load_place(driver, neo4j_settings.database, Path(tmp_path_factory.mktemp("fuzz-place")))
    people = [
        {"id": ident, "details": details, "born": BORN[ident]}
        for ident, details in SENTINELS.items()
    ]
    driver.execute_query(PLANT, people=people, database_=neo4j_settings.database)
    # Planted in the shape of before migration 0007: sealed now, as db migrate would.
    bring_people_forward(driver, neo4j_settings.database)
    return driver


@pytest.fixture(scope="module")
def app_client(fuzz_place: Driver, neo4j_settings: Neo4jSettings) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(), neo4j_settings)) as client:
        yield client


def _ask(client: TestClient, caller: str, document: str, accept: str) -> str:
    response = client.post(
        "/graphql", json={"query": document}, headers={**CALLERS[caller], "Accept": accept}
    )
    assert response.status_code < 500, (caller, document, response.text)
    body: str = response.text
    assert [leak for leak in LEAKS if leak in body] == [], (caller, document, body)
    for error in json.loads(body).get("errors") or []:
        assert error["extensions"]["code"], (caller, document, error)
    return body


def test_the_planted_details_are_there_to_be_found(app_client: TestClient) -> None:
    """The control: without it, a schema walk that never reached them would pass."""
    query = (
        "{ people(first: 10) { edges { node { externalId personal { name email phone "
        "nationality immigrationStatus address postcode dateOfBirth } } } } }"
    )
    everyone = _ask(app_client, "admin", query, "application/json")
    for ident in MAY_SEE["admin"]:
        assert all(value in everyone for value in SENTINELS[ident].values()), everyone
        assert BORN[ident] in everyone
    welcome = _ask(app_client, "caseworker of org-welcome", query, "application/json")
    assert SENTINELS["p-1"]["name"] in welcome
    assert SENTINELS["p-2"]["name"] not in welcome


FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)  # fmt: skip
# The root fields from which a person can be reached.
TO_PEOPLE = ["people", "node", "matchingCandidates", "opportunitiesFor", "movePersonStage"]
ACCEPT = st.sampled_from(["application/json", "application/graphql-response+json"])
# A person's rights change who may see what (a grant, an erasure) or hand an administrator
# everything held (the access export): tests/schema/test_people_rights.py covers them.
RIGHTS = ("recordConsent", "withdrawConsent", "erasePerson", "exportPerson")


def _no_rights_field(document: object) -> bool:
    return not any(name in str(document) for name in RIGHTS)


@FUZZ
@given(
    document=from_schema(SCHEMA, custom_scalars=SCALARS).filter(_no_rights_field)
    | from_schema(SCHEMA, custom_scalars=SCALARS, fields=TO_PEOPLE),
    accept=ACCEPT,
    rng=st.randoms(use_true_random=False),
)
def test_generated_operations_as_every_caller(
    app_client: TestClient, document: str, accept: str, rng: random.Random
) -> None:
    for variant in (document, towards_people(document, rng)):
        for caller in CALLERS:
            body = _ask(app_client, caller, variant, accept)
            assert [value for value in _hidden_from(caller) if value in body] == [], (
                caller, variant,
            )  # fmt: skip


@settings(FUZZ, max_examples=40)
@given(document=from_schema(SCHEMA, custom_scalars=SCALARS, mode=Mode.NEGATIVE), accept=ACCEPT)
def test_operations_that_break_the_schema_are_refused_with_a_code(
    app_client: TestClient, document: str, accept: str
) -> None:
    for caller in ("admin", "anonymous"):
        _ask(app_client, caller, document, accept)
