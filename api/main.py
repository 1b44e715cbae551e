"""The app factory: one driver per process, health routes, GraphQL at /graphql, and
the partnership explorer page at /explore."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired

from api.auth import get_auth_settings
from api.deps import Neo4jUnavailable
from api.graphql_router import build_graphql_router
from api.log_redaction import install_log_redaction
from api.long_lived import LongLivedFreezer
from api.routes import health
from api.routes.explore import mount_explorer
from api.routes.graphiql import mount_graphiql
from api.settings import ApiSettings, get_api_settings
from api.state import AppState
from graph.driver import create_driver
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.following import Follower
from graph.services.funnel_rows import FollowedFunnels
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings, get_neo4j_settings
from schema.errors import UNAVAILABLE_MESSAGE, ErrorCode

log = logging.getLogger("assetbridge.api")


def create_app(
    api_settings: ApiSettings | None = None, neo4j_settings: Neo4jSettings | None = None
) -> FastAPI:
    api_settings = api_settings or get_api_settings()
    neo4j_settings = neo4j_settings or get_neo4j_settings()
    # Refuse to start (rather than fail every request) without a signing secret in production.
    get_auth_settings()
    # Before the first request: uvicorn's access log writes each path with its query.
    install_log_redaction()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        driver = create_driver(neo4j_settings)
        index = (
            CandidateIndexHolder(driver, neo4j_settings.database)
            if api_settings.candidate_index
            else None
        )
        kept = KeptAnswers(driver, neo4j_settings.database) if api_settings.kept_answers else None
        # The funnel's pipelines are kept with the answers, and switched off with them.
        funnels = (
            FollowedFunnels(driver, neo4j_settings.database) if api_settings.kept_answers else None
        )
        state = AppState(
            driver=driver, neo4j=neo4j_settings, candidate_index=index, kept_answers=kept,
            funnels=funnels,
        )  # fmt: skip
        app.state.assetbridge = state
        status = await run_in_threadpool(state.check)
        if not status.reachable:
            log.warning("Neo4j not ready at start-up (%s); serving anyway", status.reason)
        elif index is not None:
            index.refresh_in_background()
        steps: list[Callable[[], object]] = [
            step for step in (index and index.current, kept and kept.follow) if step
        ]
        if index is not None or funnels is not None:
            steps.append(LongLivedFreezer(index, funnels))
        follower = (
            Follower(steps, api_settings.follow_interval_s)
            if steps and api_settings.follow_interval_s > 0
            else None
        )
        if follower is not None:
            follower.start()
        try:
            yield
        finally:
            if follower is not None:
                await run_in_threadpool(follower.stop)
            if index is not None:
                await run_in_threadpool(index.close)
            driver.close()

    app = FastAPI(
        title="assetbridge",
        summary="Links a place's micro assets to its macro assets.",
        lifespan=lifespan,
        docs_url="/docs" if api_settings.environment == "development" else None,
        redoc_url=None,
    )
    app.include_router(health.router)
    app.include_router(build_graphql_router(api_settings), prefix="/graphql")
    mount_explorer(app)
    if api_settings.graphiql:
        mount_graphiql(app)

    async def neo4j_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Outside a resolver (checking an API key), or refused before trying: coded as
        # GraphQL's own UNAVAILABLE errors are, and the next requests refused at once.
        if not isinstance(exc, Neo4jUnavailable):
            log.warning("Neo4j unavailable on %s %s: %s", request.method, request.url.path, exc)
            request.app.state.assetbridge.mark_unreachable()
        error = {"message": UNAVAILABLE_MESSAGE, "extensions": {"code": ErrorCode.UNAVAILABLE}}
        return JSONResponse({"errors": [error]}, status_code=503, headers={"Retry-After": "1"})

    for unreachable in (Neo4jUnavailable, ServiceUnavailable, SessionExpired, DatabaseUnavailable):
        app.add_exception_handler(unreachable, neo4j_unavailable)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # Log the detail for operators; the caller gets no stack trace or Cypher.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(status_code=500, content={"error": "internal error"})

    return app
