"""Request limits: queries over a limit are refused before anything runs, the
app's own queries pass under the defaults, and production hides the schema.

"Before anything runs" is measured on the real driver: every query it sends is a
Bolt RUN message, logged at DEBUG on ``neo4j.io``. A refused request sends as
many as ``{ __typename }``, which touches no resolver that reads the graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from graphql import get_introspection_query, parse
from neo4j import Driver
from strawberry.extensions import DisableIntrospection
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition

from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.settings import Neo4jSettings
from schema import build_schema
from schema.analytics import AnalyticsQuery
from schema.limits import (
    GraphQLSettings,
    Measure,
    algorithm_fields,
    limit_extensions,
    measure_operations,
)
from schema.pathway import PathwayQuery
from schema.place_comparison import PlaceComparisonQuery
from schema.place_view import PlaceViewQuery
from schema.questions import QuestionsQuery
from tests.conftest import bearer
from tests.schema.test_questions import BROKERAGE, MATCHING, PATHS

GRAPHQL_RESPONSE = "application/graphql-response+json"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
DEFAULTS = GraphQLSettings()


def post(client: TestClient, query: str, **variables: Any) -> httpx.Response:
    body = {"query": query, "variables": variables}
    response: httpx.Response = client.post(
        "/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE}
    )
    return response


@pytest.fixture
def bolt_runs(caplog: pytest.LogCaptureFixture) -> Callable[[], int]:
    """How many queries the driver has sent so far in this test."""
    caplog.set_level(logging.DEBUG, logger="neo4j.io")
    return lambda: sum("  C: RUN " in record.getMessage() for record in caplog.records)


def _runs_for(client: TestClient, runs: Callable[[], int], query: str, **variables: Any) -> int:
    before = runs()
    post(client, query, **variables)
    return runs() - before


# -- measuring ---------------------------------------------------------------------

PEOPLE_PAGE = "{ people(first: 5) { edges { node { id skills { id } } } } }"


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ("{ serviceInfo { name } }", {}, Measure(depth=1, cost=2)),
        # edges 1 + node 1 + id 1 + skills (1 + 20 x id): the edges are the page of
        # 5, not another list of 20.
        (PEOPLE_PAGE, {}, Measure(depth=4, cost=1 + 5 * (1 + 1 + 1 + (1 + 20)))),
        ("query ($n: Int!) { people(first: $n) { totalCount } }", {"n": 7}, Measure(1, 0, 8)),
        ("query ($n: Int = 3) { people(first: $n) { totalCount } }", {}, Measure(1, 0, 4)),
        ("{ people { totalCount } }", {}, Measure(depth=1, cost=21)),
        # k is the page of referral paths; each question adds its algorithm cost.
        ('{ referralPaths(from: "a", to: "b", k: 2) { hops } }', {}, Measure(1, 0, 1003)),
        ('{ brokerageGaps(anchorId: "a") { candidates } }', {}, Measure(1, 0, 1002)),
        # A fragment counts each time it is spread (CVE-2026-47707's amplification).
        (
            "query { ...F ...F ...F } fragment F on Query { a: serviceInfo { name } }",
            {},
            Measure(depth=1, aliases=3, cost=6),
        ),
        (
            "{ __schema { types { fields { name } } } __typename a: __typename }",
            {},
            Measure(0, 1, 0),
        ),
    ],
)
def test_operations_are_measured(query: str, variables: dict[str, Any], expected: Measure) -> None:
    schema = build_schema(DEFAULTS)._schema
    measures = measure_operations(schema, parse(query), DEFAULTS, variables)
    assert list(measures.values()) == [expected]


def test_every_question_and_nothing_else_is_costed_as_an_algorithm() -> None:
    """The limits find algorithm fields by their RunsAlgorithm mark: a question left
    unmarked would cost as little as a lookup."""
    questions = {
        NameConverter().get_graphql_name(field)
        for query in (
            QuestionsQuery,
            PathwayQuery,
            AnalyticsQuery,
            PlaceViewQuery,
            PlaceComparisonQuery,
        )  # fmt: skip
        for field in get_object_definition(query, strict=True).fields
    }
    assert len(questions) == 12
    assert algorithm_fields(build_schema(DEFAULTS)._schema) == questions


def test_a_fragment_cycle_ends_the_walk() -> None:
    """graphql-core refuses the cycle itself; the measure only has to end (strawberry's
    depth limiter recursed for ever on one before 0.315.7: CVE-2026-47706)."""
    query = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A serviceInfo { name } }"
    schema = build_schema(DEFAULTS)._schema
    assert list(measure_operations(schema, parse(query), DEFAULTS).values()) == [Measure(1, 0, 2)]


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"MAX_DEPTH": "4", "MAX_ALIASES": "2", "MAX_TOKENS": "300",
                        "MAX_COST": "900", "INTROSPECTION": "false"}.items():  # fmt: skip
        monkeypatch.setenv(f"ASSETBRIDGE_GRAPHQL_{name}", value)
    settings = GraphQLSettings()
    assert (settings.max_depth, settings.max_aliases, settings.max_tokens, settings.max_cost) == (
        4, 2, 300, 900,
    )  # fmt: skip
    assert DisableIntrospection in limit_extensions(settings)
    assert DisableIntrospection not in limit_extensions(DEFAULTS)


# -- refusals over HTTP -------------------------------------------------------------


def _nested(field: str, times: int, leaf: str) -> str:
    return f"{field} {{ " * times + leaf + " }" * times


SERVICE = "serviceInfo { name neo4j { reachable } }"
DEEP = '{ node(id: "Area:E01011331") { ... on Area { ' + _nested("parent", 13, "id") + " } } }"
ALIASES = "{ " + " ".join(f"a{i}: {SERVICE}" for i in range(16)) + " }"
ALIASES_BY_FRAGMENT = (
    "query { ...F ...F ...F ...F } fragment F on Query { "
    + " ".join(f"a{i}: {SERVICE}" for i in range(4))
    + " }"
)
MUTATION_ALIASES = "mutation { " + " ".join(
    f'c{i}: closeVacancy(id: "Vacancy:vac-{i}") {{ status }}' for i in range(16)
) + " }"  # fmt: skip
TOKENS = "{ " + SERVICE + " __typename" * 2000 + " }"
EXPENSIVE = "{ people(first: 100) { edges { node { skills { broader { narrower { id } } } } } } }"
EXPENSIVE_BY_VARIABLE = (
    "query ($n: Int!) { people(first: $n) { edges { node { skills { broader { narrower { id } } } }"
    " } } }"
)
CIRCULAR = (
    "query { skills { edges { node { ...A } } } }"
    " fragment A on Skill { broader { ...B } } fragment B on Skill { narrower { ...A } }"
)
OVER_BUDGET = (
    "query cost 842301 exceeds the limit of 25000; ask for smaller pages or fewer nested lists"
)

REFUSED: dict[str, tuple[str, dict[str, Any], str, str]] = {
    "deep": (DEEP, {}, TOO_COMPLEX, "query depth 14 exceeds the limit of 10"),
    "aliases": (ALIASES, {}, TOO_COMPLEX, "query alias count 16 exceeds the limit of 15"),
    "aliases by fragment": (
        ALIASES_BY_FRAGMENT,
        {},
        TOO_COMPLEX,
        "query alias count 16 exceeds the limit of 15",
    ),  # fmt: skip
    "mutation aliases": (
        MUTATION_ALIASES,
        {},
        TOO_COMPLEX,
        "mutation alias count 16 exceeds the limit of 15",
    ),  # fmt: skip
    "tokens": (
        TOKENS,
        {},
        "GRAPHQL_PARSE_FAILED",
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
    ),
    "cost": (EXPENSIVE, {}, TOO_COMPLEX, OVER_BUDGET),
    "cost by variable": (EXPENSIVE_BY_VARIABLE, {"n": 100}, TOO_COMPLEX, OVER_BUDGET),
    "circular fragments": (
        CIRCULAR,
        {},
        "GRAPHQL_VALIDATION_FAILED",
        "Cannot spread fragment 'A' within itself via 'B'.",
    ),  # fmt: skip
}


@pytest.mark.parametrize(("query", "variables", "code", "message"), REFUSED.values(), ids=REFUSED)
def test_over_a_limit_is_refused_before_execution(
    clean_db: Driver,
    client: TestClient,
    bolt_runs: Callable[[], int],
    query: str,
    variables: dict[str, Any],
    code: str,
    message: str,
) -> None:
    nothing = _runs_for(client, bolt_runs, "{ __typename }")
    before = bolt_runs()
    response = post(client, query, **variables)
    assert bolt_runs() - before == nothing
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [(message, code)]


def test_the_run_count_sees_execution(
    clean_db: Driver, client: TestClient, bolt_runs: Callable[[], int]
) -> None:
    """The measure above would catch a refusal that came too late."""
    nothing = _runs_for(client, bolt_runs, "{ __typename }")
    assert _runs_for(client, bolt_runs, "{ " + SERVICE + " }") > nothing
    assert _runs_for(client, bolt_runs, EXPENSIVE_BY_VARIABLE, n=1) > nothing


# -- what the app asks still passes ---------------------------------------------------

EXPLORE = """
query Explore($after: String) {
  people(first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id stage rightToWork
      trainedAs { preferredLabel }
      homeArea { name parent { name } }
      skills { preferredLabel broader { preferredLabel } }
      supportedBy { strength organisation { name } }
    } }
  }
  anchors(first: 10) {
    edges { node { name vacancies { title status essentialSkills { preferredLabel } } } }
  }
}
"""

PATHWAY = """query ($o: ID!, $v: ID!) { pathway(organisationId: $o, vacancyId: $v, k: 3) {
    needs { kind gaps time { medianDays } } unmet { kind }
    routes { rank hops explanation
      steps { node { id kind name } role why closes services arrivedBy { type } } } } }"""

IN_USE: dict[str, tuple[str, dict[str, Any]]] = {
    "referral paths": (PATHS, {"from": "Person:p-1", "to": "Vacancy:v-1", "mode": "FEWEST_HOPS"}),
    "matching candidates": (MATCHING, {"vacancy": "Vacancy:v-1"}),
    "opportunities": ('{ opportunitiesFor(personId: "Person:p-1") { vacancy score } }', {}),
    "brokerage gaps": (BROKERAGE, {}),
    # The explorer page's whole route (api/static/explore.js).
    "pathway": (PATHWAY, {"o": "CommunityOrganisation:org-1", "v": "Vacancy:v-1"}),
    "explore": (EXPLORE, {}),
    "GraphiQL's schema query": (get_introspection_query(descriptions=True), {}),
}


@pytest.mark.parametrize(("query", "variables"), IN_USE.values(), ids=IN_USE)
def test_the_apps_own_queries_pass(
    clean_db: Driver, client: TestClient, query: str, variables: dict[str, Any]
) -> None:
    response = post(client, query, **variables)
    # Under graphql-response+json a refused request is a 400; one that ran is a 200,
    # whatever its resolvers made of an empty graph.
    assert response.status_code == 200, response.text


# -- production -------------------------------------------------------------------------


@pytest.fixture
def production(neo4j_settings: Neo4jSettings) -> Iterator[TestClient]:
    app = create_app(ApiSettings(environment="production"), neo4j_settings)
    with TestClient(app, headers=bearer(Role.ADMIN, subject="test-admin")) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("{ __schema { queryType { name } } }", "__schema"),
        ('{ __type(name: "Person") { name } }', "__type"),
    ],
)
def test_production_refuses_introspection(production: TestClient, query: str, field: str) -> None:
    response = post(production, query)
    assert response.status_code == 400
    first, *_ = errors = response.json()["errors"]
    assert first["message"] == (
        f"GraphQL introspection has been disabled, but the requested query contained the field "
        f"'{field}'."
    )
    assert {error["extensions"]["code"] for error in errors} == {"GRAPHQL_VALIDATION_FAILED"}


def test_production_still_names_types(production: TestClient) -> None:
    assert post(production, "{ __typename }").json() == {"data": {"__typename": "Query"}}


def test_development_answers_introspection(client: TestClient) -> None:
    response = post(client, "{ __schema { queryType { name } } }")
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_production_serves_no_graphiql(production: TestClient, client: TestClient) -> None:
    asked = {"Accept": "text/html"}
    assert "GraphiQL" in client.get("/graphql", headers=asked).text
    response = production.get("/graphql", headers=asked)
    # No GET route at all: GraphiQL is its only use, and queries over GET stay off.
    assert response.status_code == 404
    assert "GraphiQL" not in response.text
