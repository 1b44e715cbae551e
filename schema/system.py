"""What the service is and whether its graph answers."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.types import Info

from graph.driver import probe
from schema.context import GraphContext


@strawberry.type(description="The Neo4j server behind the graph.")
class Neo4jInfo:
    reachable: bool
    version: str | None
    edition: str | None


@strawberry.type(description="The assetbridge service itself.")
class ServiceInfo:
    name: str
    neo4j: Neo4jInfo


@strawberry.type
class SystemQuery:
    @strawberry.field(description="The service's name and the state of its Neo4j server.")
    async def service_info(self, info: Info[GraphContext, None]) -> ServiceInfo:
        ctx = info.context
        # The driver is synchronous; keep the event loop free while it waits.
        status = await asyncio.to_thread(probe, ctx.driver, ctx.neo4j)
        return ServiceInfo(
            name="assetbridge",
            neo4j=Neo4jInfo(
                reachable=status.reachable, version=status.version, edition=status.edition
            ),
        )
