"""Mounts the GraphQL schema on FastAPI with a per-request context."""

from __future__ import annotations

from api.deps import AppStateDep
from api.graphql_http import GraphQLOverHTTPRouter
from api.settings import ApiSettings
from schema import GraphContext, build_schema


async def _context(state: AppStateDep) -> GraphContext:
    # Async so FastAPI builds it on the event loop the request's loaders use.
    return GraphContext(driver=state.driver, neo4j=state.neo4j)


def build_graphql_router(settings: ApiSettings) -> GraphQLOverHTTPRouter:
    return GraphQLOverHTTPRouter(
        build_schema(),
        context_getter=_context,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=False,
    )
