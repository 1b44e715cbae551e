from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings


@pytest.fixture
def client(neo4j_settings: Neo4jSettings) -> Iterator[TestClient]:
    app = create_app(ApiSettings(), neo4j_settings)
    with TestClient(app) as test_client:
        yield test_client
