"""Who is calling: bearer JWTs for people, API keys for services and loaders.

Tokens are HS256 JWTs signed with ``ASSETBRIDGE_AUTH_SECRET`` and carry the role
(and, for caseworkers, the organisation), the places their holder may see (``places``;
none only for an administrator, who then sees every place), a unique id (``jti``) and a
lifetime no longer than the maximum; each request checks that neither the token nor its
subject's tokens were revoked. Keys are checked against the hashes kept in Neo4j.
A request with neither is anonymous; one with a bad credential is refused as
unauthenticated, never quietly treated as anonymous.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from jwt.types import Options
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.settings import get_api_settings
from graph.access import Caller, Role, credential_places, places_to_issue
from graph.secret_strength import GENERATE_HINT, MIN_DISTINCT_CHARACTERS, weakness
from graph.services.api_keys import caller_for_key
from graph.services.revocations import check_token

__all__ = [
    "AuthError",
    "AuthSettings",
    "CallerDep",
    "VerifiedToken",
    "get_auth_settings",
    "issue_token",
    "read_token",
    "read_token_id",
    "resolve_caller",
]

DEV_SECRET = "assetbridge-development-secret-not-for-production"
ALGORITHM = "HS256"
MIN_SECRET_LENGTH = 32

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
    # A token that claims a longer life (exp - iat) is refused, however well signed:
    # a leaked long-lived token would otherwise outlast any change of role.
    max_token_lifetime_s: int = 8 * 3600

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> AuthSettings:
        if get_api_settings().environment == "production":
            problem = weakness(
                self.secret.get_secret_value(),
                min_length=MIN_SECRET_LENGTH,
                min_distinct=MIN_DISTINCT_CHARACTERS,
                published=(DEV_SECRET,),
            )
            if problem is not None:
                raise ValueError(
                    "ASSETBRIDGE_AUTH_SECRET must be set (32+ random characters) in production: "
                    f"it {problem} ({GENERATE_HINT})"
                )
        if not 0 < self.token_ttl_s <= self.max_token_lifetime_s:
            raise ValueError(
                "ASSETBRIDGE_AUTH_TOKEN_TTL_S must be positive and at most "
                f"ASSETBRIDGE_AUTH_MAX_TOKEN_LIFETIME_S ({self.max_token_lifetime_s})"
            )
        return self


@dataclass(frozen=True)
class VerifiedToken:
    """A token whose signature, issuer, lifetime and claims are good (revocation aside)."""

    caller: Caller
    jti: str
    issued_at: int


@lru_cache(maxsize=1)
def get_auth_settings() -> AuthSettings:
    return AuthSettings()


def issue_token(
    settings: AuthSettings,
    subject: str,
    role: Role,
    organisation_id: str | None = None,
    ttl_s: int | None = None,
    places: Iterable[str] | None = None,
) -> str:
    """A signed token with a fresh ``jti``; refuses a lifetime past the maximum.

    ``places`` left out: the default place, or every place for an administrator.
    """
    if role is Role.CASEWORKER and not organisation_id:
        raise ValueError("a caseworker token needs the caseworker's organisation")
    held = places_to_issue(role, places, "places")
    ttl = settings.token_ttl_s if ttl_s is None else ttl_s
    if ttl > settings.max_token_lifetime_s:
        raise ValueError(
            f"a token may live at most {_hours(settings.max_token_lifetime_s)} "
            "(ASSETBRIDGE_AUTH_MAX_TOKEN_LIFETIME_S)"
        )
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "iss": settings.issuer,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    if organisation_id:
        claims["org"] = organisation_id
    if held is not None:
        claims["places"] = sorted(held)
    return jwt.encode(claims, settings.secret.get_secret_value(), algorithm=ALGORITHM)


def read_token(settings: AuthSettings, token: str) -> VerifiedToken:
    """Verify everything a token says about itself; raise ``AuthError`` with a safe message."""
    try:
        claims = _decode(settings, token, {"require": ["exp", "iat", "sub", "role", "jti"]})
        role = Role(claims["role"])
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("the token has expired") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise AuthError("the token is not valid") from exc
    if int(claims["exp"]) - int(claims["iat"]) > settings.max_token_lifetime_s:
        raise AuthError(
            f"the token's lifetime passes the maximum of {_hours(settings.max_token_lifetime_s)}"
        )
    jti, organisation_id = claims["jti"], claims.get("org")
    if not isinstance(jti, str) or not jti:
        raise AuthError("the token is not valid")
    if organisation_id is not None and (
        not isinstance(organisation_id, str) or not organisation_id
    ):
        raise AuthError("the token is not valid")
    if role is Role.CASEWORKER and organisation_id is None:
        raise AuthError("a caseworker token must name an organisation")
    try:
        places = credential_places(role, claims.get("places"), "the token's places claim")
    except ValueError as exc:
        raise AuthError(str(exc)) from exc
    caller = Caller(
        subject=str(claims["sub"]), role=role, organisation_id=organisation_id, places=places
    )
    return VerifiedToken(caller=caller, jti=jti, issued_at=int(claims["iat"]))


def read_token_id(settings: AuthSettings, token: str) -> str:
    """The ``jti`` of a token this service signed, even an expired one (for revoking it)."""
    try:
        claims = _decode(settings, token, {"require": ["jti"], "verify_exp": False})
    except jwt.InvalidTokenError as exc:
        raise AuthError("the token is not valid (not signed by this service?)") from exc
    return str(claims["jti"])


def _decode(settings: AuthSettings, token: str, options: Options) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(
        token,
        settings.secret.get_secret_value(),
        algorithms=[ALGORITHM],
        issuer=settings.issuer,
        options=options,
    )
    return claims


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:g} hours"


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
            token = read_token(get_auth_settings(), credentials.credentials)
        except AuthError as exc:
            return exc
        state = request.app.state.assetbridge
        # Every request: one indexed read, so a revocation holds from the next request.
        check = await run_in_threadpool(
            check_token,
            state.driver,
            state.neo4j.database,
            token.jti,
            token.caller.subject,
            token.issued_at,
        )
        if check.revoked:
            return AuthError("the token has been revoked")
        # The commit that read saw: derived state that has reached it need not read the
        # journal again for this request (graph.services.revocations.check_token).
        request.state.seen_transaction = check.transaction
        return token.caller
    if api_key:
        state = request.app.state.assetbridge
        try:
            caller = await run_in_threadpool(
                caller_for_key, state.driver, state.neo4j.database, api_key
            )
        except ValueError as exc:
            return AuthError(str(exc))
        return caller if caller is not None else AuthError("the API key is not valid")
    return None


CallerDep = Annotated[Caller | AuthError | None, Depends(resolve_caller)]


def seen_transaction(request: Request) -> int | None:
    """The commit the request's token check saw (None: no token, or no id given)."""
    seen: int | None = getattr(request.state, "seen_transaction", None)
    return seen
