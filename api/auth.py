"""Who is calling: bearer JWTs for people, API keys for services and loaders.

Tokens are HS256 JWTs signed with ``ASSETBRIDGE_AUTH_SECRET`` and carry the role
(and, for caseworkers, the organisation). Keys are checked against the hashes
kept in Neo4j. A request with neither is anonymous; one with a bad credential is
refused as unauthenticated, never quietly treated as anonymous.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.settings import get_api_settings
from graph.access import Caller, Role
from graph.services.api_keys import caller_for_key

__all__ = [
    "AuthError",
    "AuthSettings",
    "CallerDep",
    "get_auth_settings",
    "issue_token",
    "read_token",
    "resolve_caller",
]

DEV_SECRET = "assetbridge-development-secret-not-for-production"
ALGORITHM = "HS256"

bearer = HTTPBearer(auto_error=False, description="A JWT from `assetbridge auth token`")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="A key from `assetbridge auth key`")  # fmt: skip


class AuthError(Exception):
    """The credential offered is not valid; the message is safe to show."""


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSETBRIDGE_AUTH_", env_file=".env", extra="ignore"
    )

    secret: SecretStr = SecretStr(DEV_SECRET)
    issuer: str = "assetbridge"
    token_ttl_s: int = 8 * 3600

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> AuthSettings:
        if get_api_settings().environment == "production" and (
            self.secret.get_secret_value() == DEV_SECRET or len(self.secret.get_secret_value()) < 32
        ):
            raise ValueError("ASSETBRIDGE_AUTH_SECRET must be set (32+ characters) in production")
        return self


@lru_cache(maxsize=1)
def get_auth_settings() -> AuthSettings:
    return AuthSettings()


def issue_token(
    settings: AuthSettings,
    subject: str,
    role: Role,
    organisation_id: str | None = None,
    ttl_s: int | None = None,
) -> str:
    if role is Role.CASEWORKER and not organisation_id:
        raise ValueError("a caseworker token needs the caseworker's organisation")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "iss": settings.issuer,
        "iat": now,
        "exp": now + (ttl_s or settings.token_ttl_s),
    }
    if organisation_id:
        claims["org"] = organisation_id
    return jwt.encode(claims, settings.secret.get_secret_value(), algorithm=ALGORITHM)


def read_token(settings: AuthSettings, token: str) -> Caller:
    try:
        claims = jwt.decode(
            token,
            settings.secret.get_secret_value(),
            algorithms=[ALGORITHM],
            issuer=settings.issuer,
            options={"require": ["exp", "iat", "sub", "role"]},
        )
        role = Role(claims["role"])
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("the token has expired") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise AuthError("the token is not valid") from exc
    return Caller(subject=str(claims["sub"]), role=role, organisation_id=claims.get("org"))


async def resolve_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Caller | AuthError | None:
    """The caller, an ``AuthError`` for a bad credential, or None when none was offered.

    Returned rather than raised so that GraphQL can answer with its own coded error.
    """
    if credentials is not None:
        try:
            return read_token(get_auth_settings(), credentials.credentials)
        except AuthError as exc:
            return exc
    if api_key:
        state = request.app.state.assetbridge
        caller = await run_in_threadpool(
            caller_for_key, state.driver, state.neo4j.database, api_key
        )
        return caller if caller is not None else AuthError("the API key is not valid")
    return None


CallerDep = Annotated[Caller | AuthError | None, Depends(resolve_caller)]
