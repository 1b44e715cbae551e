"""Every Cypher constant in graph/cypher parses and plans on the real server (EXPLAIN)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from neo4j import Driver

import graph.cypher
from graph.settings import Neo4jSettings

# Schema commands and system procedures cannot be EXPLAINed; they run in migrations.
_NOT_EXPLAINABLE = ("CREATE CONSTRAINT", "CREATE INDEX", "SHOW ", "CALL DB.AWAITINDEXES")


def _cypher_constants() -> list[tuple[str, str]]:
    found = []
    for module_info in pkgutil.iter_modules(graph.cypher.__path__):
        module = importlib.import_module(f"graph.cypher.{module_info.name}")
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str):
                found.append((f"{module_info.name}.{name}", value))
    return found


CONSTANTS = [
    c for c in _cypher_constants() if not c[1].strip().upper().startswith(_NOT_EXPLAINABLE)
]


def test_the_sweep_finds_queries() -> None:
    assert "health.DBMS_COMPONENTS" in {name for name, _ in CONSTANTS}


@pytest.mark.parametrize(("name", "query"), CONSTANTS, ids=[c[0] for c in CONSTANTS])
def test_query_plans(driver: Driver, neo4j_settings: Neo4jSettings, name: str, query: str) -> None:
    database = "system" if name.startswith("health.") else neo4j_settings.database
    with driver.session(database=database) as session:
        session.run("EXPLAIN " + query).consume()
