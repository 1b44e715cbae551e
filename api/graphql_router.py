"""Mounts the GraphQL schema on FastAPI with a per-request context."""

from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from api.deps import AppStateDep
from api.settings import ApiSettings
from schema import GraphContext, build_schema


def _context(state: AppStateDep) -> GraphContext:
    return GraphContext(driver=state.driver, neo4j=state.neo4j)


def build_graphql_router(settings: ApiSettings) -> GraphQLRouter[GraphContext, None]:
    return GraphQLRouter(
        build_schema(),
        context_getter=_context,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=False,
    )
