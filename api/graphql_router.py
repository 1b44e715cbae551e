"""Mounts the GraphQL schema on FastAPI with a per-request context."""

from __future__ import annotations

from fastapi import Request

from api.auth import AuthError, CallerDep, seen_transaction
from api.deps import AppStateDep, Neo4jUpDep
from api.graphql_http import GraphQLOverHTTPRouter
from api.settings import ApiSettings
from schema import GraphContext, build_schema
from schema.limits import get_graphql_settings


async def _context(
    _: Neo4jUpDep, state: AppStateDep, caller: CallerDep, request: Request
) -> GraphContext:
    # Async so FastAPI builds it on the event loop the request's loaders use. Neo4j's
    # state is checked first: an API key is checked against Neo4j.
    if isinstance(caller, AuthError):
        return GraphContext(driver=state.driver, neo4j=state.neo4j, auth_error=str(caller))
    return GraphContext(
        driver=state.driver,
        neo4j=state.neo4j,
        caller=caller,
        candidate_index=state.candidate_index,
        kept_answers=state.kept_answers,
        funnels=state.funnels,
        seen_transaction=seen_transaction(request),
    )


def build_graphql_router(settings: ApiSettings) -> GraphQLOverHTTPRouter:
    limits = get_graphql_settings()
    # Production does not describe its schema to strangers, whatever the setting says.
    introspection = limits.introspection and settings.environment == "development"
    return GraphQLOverHTTPRouter(
        build_schema(limits.model_copy(update={"introspection": introspection})),
        context_getter=_context,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=False,
    )
