"""Session-wide real Neo4j, a driver, and a clean graph for every test that asks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings
from neo4j import Driver

from api.auth import get_auth_settings, issue_token
from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.driver import create_driver
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings
from loaders.demo import generate_demo, load_demo_folder
from tests.neo4j_server import real_neo4j

# Hypothesis' per-example deadline is a timed assertion: on a shared two-core machine a
# first call can take 250 ms where the next takes 2 ms. Speed lives in bench/.
settings.register_profile("assetbridge", deadline=None)
settings.load_profile("assetbridge")

# Apps made in tests rank matching candidates from the graph: an index being read in
# the background would send queries of its own while tests count round trips.
# tests/api/test_candidate_index_http.py turns it on.
os.environ.setdefault("ASSETBRIDGE_API_CANDIDATE_INDEX", "false")
# Each test database has its own key store beside it: tests on another port that erase
# a person of the same id must not destroy this run's key.
os.environ.setdefault(
    "ASSETBRIDGE_KEYSTORE_PATH",
    str(
        Path(__file__).resolve().parent.parent
        / "var"
        / f"keystore-test-{os.environ.get('ASSETBRIDGE_TEST_NEO4J_PORT', '7688')}.sqlite3"
    ),
)

# The shared clients below follow the journal only when asked: tests count Bolt runs and
# catch-ups, which a background follower would add to (it is tested on its own).
CLEAR_GRAPH = """
MATCH (n)
WHERE NOT n:SchemaMigration
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
"""


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Neo4jSettings]:
    with real_neo4j() as settings:
        yield settings


@pytest.fixture(scope="session")
def driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    with create_driver(neo4j_settings) as drv:
        drv.verify_connectivity()
        apply_migrations(drv, neo4j_settings.database)
        yield drv


@pytest.fixture
def clean_db(driver: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """An empty graph (schema kept) for a test that writes."""
    with driver.session(database=neo4j_settings.database) as session:
        session.run(CLEAR_GRAPH).consume()
    return driver


@pytest.fixture
def demo_place(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    """The generated demo place (300 people, the demo's seed), through the real loaders."""
    generate_demo(tmp_path / "demo", people=300, seed=2007)
    load_demo_folder(tmp_path / "demo", driver=clean_db, database=neo4j_settings.database)
    return clean_db


def bearer(
    role: Role, organisation_id: str | None = None, subject: str = "tester"
) -> dict[str, str]:
    """An Authorization header with a real token for this role (the app's dev secret)."""
    token = issue_token(get_auth_settings(), subject, role, organisation_id)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def anonymous_client(neo4j_settings: Neo4jSettings) -> Iterator[TestClient]:
    """The real app over the session's real Neo4j, with no credentials."""
    with TestClient(create_app(ApiSettings(follow_interval_s=0), neo4j_settings)) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous_client: TestClient) -> TestClient:
    """The real app, signed in as an administrator."""
    anonymous_client.headers.update(bearer(Role.ADMIN, subject="test-admin"))
    return anonymous_client


@pytest.fixture
def client_as(neo4j_settings: Neo4jSettings) -> Iterator[Callable[..., TestClient]]:
    """Clients signed in with any role: ``client_as(Role.CASEWORKER, "org-a")``."""
    clients: list[TestClient] = []

    def make(role: Role, organisation_id: str | None = None) -> TestClient:
        test_client = TestClient(create_app(ApiSettings(follow_interval_s=0), neo4j_settings))
        test_client.__enter__()
        test_client.headers.update(bearer(role, organisation_id, subject=f"test-{role}"))
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
