"""FastAPI dependency aliases, overridable in tests."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import ApiSettings, get_api_settings
from api.state import AppState


def get_app_state(request: Request) -> AppState:
    state: AppState = request.app.state.assetbridge
    return state


AppStateDep = Annotated[AppState, Depends(get_app_state)]
ApiSettingsDep = Annotated[ApiSettings, Depends(get_api_settings)]
