"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import AppStateDep
from graph.services.journal import JournalPosition

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
    index, kept, funnels = state.candidate_index, state.kept_answers, state.funnels
    return JSONResponse(
        content={
            "status": "ready",
            "neo4j": {"uri": status.uri, "version": status.version, "edition": status.edition},
            # Matching answers from the graph until its in-memory index is read.
            "candidateIndex": index.state if index else "off",
            "keptAnswers": (
                {
                    "kept": kept.count,
                    "hits": kept.hits,
                    "misses": kept.misses,
                    "shared": kept.shared,
                    "drops": kept.drops,
                }
                if kept is not None
                else "off"
            ),
            # The change journal's seq each derived structure reflects (null: off, or
            # not following yet); the journal's own head is the audit chain's seq.
            "journalPositions": {
                "candidateIndex": _seq(index.position if index else None),
                "keptAnswers": _seq(kept.position if kept is not None else None),
                # The oldest of the anchors' pipelines kept for the funnel.
                "funnels": _seq(funnels.position if funnels is not None else None),
            },
        }
    )


def _seq(position: JournalPosition | None) -> int | None:
    return position.seq if position is not None else None
