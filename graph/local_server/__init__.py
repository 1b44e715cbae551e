"""A real Neo4j Community server for machines without Docker, fetched from Maven Central."""

from graph.local_server.manager import (
    LocalServer,
    LocalServerError,
    LocalServerSettings,
    ServerState,
)

__all__ = ["LocalServer", "LocalServerError", "LocalServerSettings", "ServerState"]
