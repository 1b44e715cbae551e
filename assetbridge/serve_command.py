"""`assetbridge serve`: the API under uvicorn."""

from __future__ import annotations

import typer
import uvicorn
from pydantic import ValidationError

from api.auth import get_auth_settings
from api.settings import get_api_settings
from assetbridge.console import fail


def serve(
    host: str | None = typer.Option(
        None, help="Address to bind; default from ASSETBRIDGE_API_HOST"
    ),
    port: int | None = typer.Option(None, help="Port; default from ASSETBRIDGE_API_PORT"),
    workers: int = typer.Option(1, min=1, help="Worker processes"),
) -> None:
    """Serve the GraphQL API, the health checks and the pages."""
    settings = get_api_settings()
    try:
        get_auth_settings()
    except ValidationError as exc:
        fail(exc.errors(include_url=False)[0]["msg"].removeprefix("Value error, "))
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
    )
