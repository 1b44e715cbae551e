"""FastAPI dependency aliases, overridable in tests."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from api.settings import ApiSettings, get_api_settings
from api.state import AppState


class Neo4jUnavailable(Exception):
    """Neo4j was found unreachable a moment ago and still is: the request is not tried."""


def get_app_state(request: Request) -> AppState:
    state: AppState = request.app.state.assetbridge
    return state


AppStateDep = Annotated[AppState, Depends(get_app_state)]


async def require_neo4j(state: AppStateDep) -> None:
    # Only a suspected outage costs a thread hop (for the probe).
    if state.unreachable and not await run_in_threadpool(state.available):
        raise Neo4jUnavailable


Neo4jUpDep = Annotated[None, Depends(require_neo4j)]
ApiSettingsDep = Annotated[ApiSettings, Depends(get_api_settings)]
