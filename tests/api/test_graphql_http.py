"""GraphQL over HTTP: media types, status codes and error bodies, on the real app."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.settings import Neo4jSettings
from tests.conftest import bearer
from tests.schema.place import load_place

GRAPHQL_RESPONSE = "application/graphql-response+json; charset=utf-8"
JSON = "application/json; charset=utf-8"
ACCEPT_GRAPHQL = {"Accept": "application/graphql-response+json"}
ACCEPT_JSON = {"Accept": "application/json"}


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    load_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def _post(
    client: TestClient, query: str, headers: dict[str, str], **variables: Any
) -> tuple[int, str, dict[str, Any]]:
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or None}, headers=headers
    )
    return response.status_code, response.headers["content-type"], response.json()


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body["errors"]]


def test_a_query_answers_in_the_media_type_asked_for(client: TestClient, place: Driver) -> None:
    query = '{ node(id: "Area:E08000035") { id ... on Area { name } } }'
    expected = {"data": {"node": {"id": "Area:E08000035", "name": "Leeds"}}}
    assert _post(client, query, ACCEPT_GRAPHQL) == (200, GRAPHQL_RESPONSE, expected)
    assert _post(client, query, ACCEPT_JSON) == (200, JSON, expected)


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ areas { ", {}, "GRAPHQL_PARSE_FAILED"),
        ("{ areas { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ people { edges { node { name } } } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ organisations(sort: POPULARITY) { totalCount } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        (
            "query ($s: OrganisationSort!) { organisations(sort: $s) { totalCount } }",
            {"s": "POPULARITY"},
            "BAD_USER_INPUT",
        ),
        ("query ($n: Int!) { areas(first: $n) { totalCount } }", {}, "BAD_USER_INPUT"),
    ],
)
def test_request_errors_are_400_with_graphql_response_json_and_200_with_json(
    client: TestClient, query: str, variables: dict[str, Any], code: str
) -> None:
    status, media, body = _post(client, query, ACCEPT_GRAPHQL, **variables)
    assert (status, media, _codes(body)) == (400, GRAPHQL_RESPONSE, [code])
    # A request error has no data entry at all.
    assert "data" not in body
    status, media, body = _post(client, query, ACCEPT_JSON, **variables)
    assert (status, media, _codes(body)) == (200, JSON, [code])
    assert "data" not in body


@pytest.mark.parametrize("headers", [ACCEPT_GRAPHQL, ACCEPT_JSON])
def test_field_errors_are_200_in_either_media_type(
    client: TestClient, place: Driver, headers: dict[str, str]
) -> None:
    query = '{ node(id: "Area:nowhere") { id } areas(filter: {kind: WARD}) { totalCount } }'
    status, _, body = _post(client, query, headers)
    assert status == 200
    assert body["data"] == {"node": None, "areas": {"totalCount": 2}}
    assert _codes(body) == ["NOT_FOUND"]
    # A field error that nulls the whole of data is still a response that ran.
    status, _, body = _post(client, "{ areas(first: 101) { totalCount } }", headers)
    assert (status, body["data"], _codes(body)) == (200, None, ["BAD_USER_INPUT"])


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, GRAPHQL_RESPONSE),  # no Accept: graphql-response+json, as after the watershed
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json, application/graphql-response+json", JSON),
        ("application/graphql-response+json, application/json", GRAPHQL_RESPONSE),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0.1, application/json", JSON),
        ("text/html, application/graphql-response+json; charset=utf-8", GRAPHQL_RESPONSE),
    ],
)
def test_accept_is_negotiated(client: TestClient, accept: str | None, media: str) -> None:
    headers = {"Content-Type": "application/json"}
    if accept is not None:
        headers["Accept"] = accept
    else:
        del client.headers["accept"]
    response = client.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (200, media)
    assert response.json() == {"data": {"__typename": "Query"}}


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    response = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"] == {"code": "NOT_ACCEPTABLE"}


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b'{"query": ', "application/json", "Unable to parse request body as JSON"),
        (b"{ __typename }", "text/plain", "Unsupported content type"),
        (
            b'{"query": "{ __typename }", "variables": [7]}',
            "application/json",
            "The GraphQL operation's `variables` must be an object or null, if provided.",
        ),
    ],
)
@pytest.mark.parametrize(
    ("headers", "media"), [(ACCEPT_GRAPHQL, GRAPHQL_RESPONSE), (ACCEPT_JSON, JSON)]
)
def test_a_request_that_is_not_well_formed_is_400(
    client: TestClient,
    content: bytes,
    content_type: str,
    message: str,
    headers: dict[str, str],
    media: str,
) -> None:
    response = client.post(
        "/graphql", content=content, headers={**headers, "Content-Type": content_type}
    )
    assert (response.status_code, response.headers["content-type"]) == (400, media)
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }


def test_queries_over_get_are_refused(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "{ __typename }"}, headers=ACCEPT_GRAPHQL)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"] == {"code": "METHOD_NOT_ALLOWED"}


def test_graphiql_is_still_served(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "GraphiQL" in response.text


def test_an_unexpected_error_is_masked(
    client: TestClient, clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    clean_db.execute_query(
        "CREATE (:Area {id: 'E00000001', name: 'Nowhere', kind: 'galaxy'})",
        database_=neo4j_settings.database,
    )
    query = "{ areas { totalCount edges { node { name } } } }"
    response = client.post("/graphql", json={"query": query}, headers=ACCEPT_GRAPHQL)
    assert response.status_code == 200
    assert response.json()["errors"] == [
        {
            "message": "Internal server error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["areas"],
            "extensions": {"code": "INTERNAL"},
        }
    ]
    for leak in ("Traceback", "MATCH", "galaxy", "ValidationError"):
        assert leak not in response.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def client_without_neo4j() -> Iterator[TestClient]:
    settings = Neo4jSettings(uri=f"bolt://127.0.0.1:{_free_port()}", connection_timeout_s=1.0)
    with TestClient(create_app(ApiSettings(), settings)) as test_client:
        test_client.headers.update(bearer(Role.ANALYST))
        yield test_client


def test_an_unreachable_neo4j_is_unavailable(client_without_neo4j: TestClient) -> None:
    # Found unreachable at start-up, so refused at once rather than after the retries.
    response = client_without_neo4j.post(
        "/graphql", json={"query": "{ areas { totalCount } }"}, headers=ACCEPT_GRAPHQL
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert "data" not in body
    assert _codes(body) == ["UNAVAILABLE"]
    for leak in ("Traceback", "MATCH", "127.0.0.1", "ServiceUnavailable"):
        assert leak not in response.text
