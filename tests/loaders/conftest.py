from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Neo4jSettings, get_neo4j_settings


@pytest.fixture
def cli_env(
    neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """Point the CLI's settings at the test server for one test, with an audit witness of
    its own: each test starts a new chain on the same database."""
    monkeypatch.setenv("ASSETBRIDGE_AUDIT_WITNESS_PATH", str(tmp_path / "audit-witness.json"))
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    get_neo4j_settings.cache_clear()
    yield
    get_neo4j_settings.cache_clear()
