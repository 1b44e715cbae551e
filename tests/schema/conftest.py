from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.schema.place import load_place


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    """The small place of ``tests.schema.place``, freshly loaded."""
    load_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db
