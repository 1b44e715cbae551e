"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import AppStateDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive; says nothing about Neo4j."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(state: AppStateDep) -> JSONResponse:
    """Ready when Neo4j answers and the schema is migrated; 503 with the reason otherwise."""
    status = await run_in_threadpool(state.check)
    if not status.reachable:
        return JSONResponse(
            status_code=503,
            content={
                "status": "unavailable",
                "neo4j": {"uri": status.uri, "reason": status.reason},
            },
        )
    return JSONResponse(
        content={
            "status": "ready",
            "neo4j": {"uri": status.uri, "version": status.version, "edition": status.edition},
            # Matching answers from the graph until its in-memory index is read.
            "candidateIndex": state.candidate_index.state if state.candidate_index else "off",
        }
    )
