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
    point_cli_at(neo4j_settings, monkeypatch, tmp_path)
    yield
    get_neo4j_settings.cache_clear()


def point_cli_at(settings: Neo4jSettings, patch: pytest.MonkeyPatch, folder: Path) -> None:
    """Set the CLI's environment to the test server, the audit witness in ``folder``."""
    patch.setenv("ASSETBRIDGE_AUDIT_WITNESS_PATH", str(folder / "audit-witness.json"))
    patch.setenv("NEO4J_URI", settings.uri)
    patch.setenv("NEO4J_USER", settings.user)
    patch.setenv("NEO4J_PASSWORD", settings.password.get_secret_value())
    patch.setenv("NEO4J_DATABASE", settings.database)
    get_neo4j_settings.cache_clear()
