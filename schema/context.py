"""Per-request GraphQL context: the process's driver and settings, never a session."""

from __future__ import annotations

from neo4j import Driver
from strawberry.fastapi import BaseContext

from graph.settings import Neo4jSettings


class GraphContext(BaseContext):
    def __init__(self, driver: Driver, neo4j: Neo4jSettings) -> None:
        super().__init__()
        self.driver = driver
        self.neo4j = neo4j

    @property
    def database(self) -> str:
        return self.neo4j.database
