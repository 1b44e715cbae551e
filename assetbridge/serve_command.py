"""`assetbridge serve`: the API under uvicorn."""

from __future__ import annotations

import ipaddress

import typer
import uvicorn
from pydantic import ValidationError
from uvicorn.config import LOGGING_CONFIG

from api.auth import get_auth_settings
from api.log_redaction import redacting_log_config
from api.settings import get_api_settings
from assetbridge.console import fail
from graph.crypto.keystore import KeyStoreError, check_master_key
from graph.settings import Neo4jSettings, get_neo4j_settings


def serve(
    host: str | None = typer.Option(
        None, help="Address to bind; default from ASSETBRIDGE_API_HOST"
    ),
    port: int | None = typer.Option(None, help="Port; default from ASSETBRIDGE_API_PORT"),
    workers: int = typer.Option(1, min=1, help="Worker processes"),
) -> None:
    """Serve the GraphQL API, the health checks and the pages."""
    settings = get_api_settings()
    bind = host or settings.host
    if settings.environment == "development" and not is_loopback(bind):
        # Development mode accepts tokens signed with the published development secret.
        fail(
            f"development mode listens on this machine only (127.0.0.1, ::1 or localhost), "
            f"not {bind!r}: set ASSETBRIDGE_API_ENVIRONMENT=production, with "
            "ASSETBRIDGE_AUTH_SECRET and NEO4J_PASSWORD, to serve other machines"
        )
    try:
        get_auth_settings()
    except ValidationError as exc:
        fail(exc.errors(include_url=False)[0]["msg"].removeprefix("Value error, "))
    if settings.environment == "production" and _development_neo4j_password():
        fail("NEO4J_PASSWORD must be set in production (not the development default)")
    try:
        check_master_key()
    except KeyStoreError as exc:
        fail(f"{exc} (it wraps each person's key: personal details cannot be read without it)")
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=bind,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        log_config=redacting_log_config(LOGGING_CONFIG),
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only; any other name could resolve elsewhere."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _development_neo4j_password() -> bool:
    # SecretStr compares by value.
    return bool(get_neo4j_settings().password == Neo4jSettings.model_fields["password"].default)
