from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import ApiSettings
from graph.local_server import LocalServer
from graph.settings import Neo4jSettings
from tests.neo4j_server import TEST_PASSWORD, make_local_server


def test_healthz_answers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_server_version(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["neo4j"]["version"].startswith("5.26")


def test_graphiql_is_served_in_development(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "GraphiQL" in response.text


def test_graphql_reports_neo4j(client: TestClient) -> None:
    response = client.post(
        "/graphql", json={"query": "{ serviceInfo { name neo4j { reachable edition } } }"}
    )
    assert response.json() == {
        "data": {
            "serviceInfo": {
                "name": "assetbridge",
                "neo4j": {"reachable": True, "edition": "community"},
            }
        }
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_readyz_is_503_with_a_reason_when_nothing_listens() -> None:
    settings = Neo4jSettings(uri=f"bolt://127.0.0.1:{_free_port()}", connection_timeout_s=1.0)
    with TestClient(create_app(ApiSettings(), settings)) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert "not reachable" in response.json()["neo4j"]["reason"]
        assert client.get("/healthz").status_code == 200


@pytest.fixture(scope="module")
def own_server() -> Iterator[LocalServer]:
    # Its own server, because this test stops and starts it under the app.
    server = make_local_server(7690)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.faults
def test_api_survives_neo4j_stopping_and_recovers_without_restart(own_server: LocalServer) -> None:
    settings = Neo4jSettings(
        uri=own_server.uri, password=SecretStr(TEST_PASSWORD), connection_timeout_s=2.0
    )
    with TestClient(create_app(ApiSettings(), settings)) as client:
        assert client.get("/readyz").status_code == 200
        own_server.stop()
        down = client.get("/readyz")
        assert down.status_code == 503
        assert "Traceback" not in down.text
        assert client.get("/healthz").status_code == 200
        own_server.start()
        assert client.get("/readyz").status_code == 200
