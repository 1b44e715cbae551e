from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.settings import Neo4jSettings, get_neo4j_settings


@pytest.fixture
def cli_env(neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the CLI's settings at the test server for one test."""
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    get_neo4j_settings.cache_clear()
    yield
    get_neo4j_settings.cache_clear()
