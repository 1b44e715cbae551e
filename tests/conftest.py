"""Session-wide real Neo4j, a driver, and a clean graph for every test that asks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.main import create_app
from api.settings import ApiSettings
from graph.driver import create_driver
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings
from tests.neo4j_server import real_neo4j

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
def client(neo4j_settings: Neo4jSettings) -> Iterator[TestClient]:
    """The real app, over the session's real Neo4j."""
    with TestClient(create_app(ApiSettings(), neo4j_settings)) as test_client:
        yield test_client
