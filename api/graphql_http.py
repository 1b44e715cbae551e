"""GraphQL over HTTP, as the GraphQL-over-HTTP specification asks.

strawberry's FastAPI router answers every request as ``application/json`` with
status 200 and says nothing of ``Accept``. This router adds what is missing:

- the response media type follows ``Accept``: ``application/graphql-response+json``
  when asked for (or when there is no ``Accept`` at all, as the specification's
  2025 watershed says), ``application/json`` when asked for or for ``*/*``;
  ``406`` when neither is acceptable;
- with ``application/graphql-response+json``, a request that fails to parse or
  validate (or whose variables do not coerce) gets ``400`` and no ``data``
  entry, while a request that ran gets ``200`` even with field errors;
  with ``application/json``, every well-formed request gets ``200``;
- a request that is not well-formed (bad JSON, wrong content type) gets ``400``
  with a GraphQL-shaped error body rather than plain text; refusals at this
  level carry the codes ``BAD_REQUEST``, ``NOT_ACCEPTABLE`` or ``METHOD_NOT_ALLOWED``;
- queries over GET stay off: a GET that is not for GraphiQL gets ``405``;
- every error leaves with a code; one that somehow has none is masked.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UNSET

from api.routes.graphiql import graphiql_page
from schema import GraphContext
from schema.errors import INTERNAL_MESSAGE, ErrorCode

__all__ = ["GRAPHQL_RESPONSE_JSON", "JSON", "GraphQLOverHTTPRouter", "negotiate"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

# Status of a request error (one with no data) under graphql-response+json.
_REQUEST_ERROR_STATUS: dict[str, int] = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
}

_ACCEPTED: dict[str, str] = {
    GRAPHQL_RESPONSE_JSON: GRAPHQL_RESPONSE_JSON,
    JSON: JSON,
    "application/*": JSON,
    "*/*": JSON,
}


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or ``None`` when ``accept`` allows neither."""
    if accept is None or not accept.strip():
        return GRAPHQL_RESPONSE_JSON
    best: str | None = None
    best_q = 0.0
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        candidate = _ACCEPTED.get(media.lower())
        if candidate is None:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Strictly greater: among equals, the first listed wins.
        if q > best_q:
            best, best_q = candidate, q
    return best


def _error_body(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _media(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


def _code(error: Any) -> Any:
    extensions = error.get("extensions") if isinstance(error, dict) else None
    return extensions.get("code") if isinstance(extensions, dict) else None


def _with_code(error: Any) -> Any:
    if _code(error):
        return error
    masked: dict[str, Any] = {"message": INTERNAL_MESSAGE}
    for key in ("locations", "path"):
        if isinstance(error, dict) and key in error:
            masked[key] = error[key]
    masked["extensions"] = {"code": ErrorCode.INTERNAL.value}
    return masked


def _is_request_error(result: ExecutionResult) -> bool:
    # Parse and validation errors come back as PreExecutionError; variables that
    # do not coerce stop execution before any field, leaving errors without a path.
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


class GraphQLOverHTTPRouter(GraphQLRouter[GraphContext, None]):
    async def render_graphql_ide(self, _request: Request) -> HTMLResponse:
        # strawberry's own page loads GraphiQL from a CDN; ours is served from this package.
        return graphiql_page()

    async def run(  # type: ignore[override]
        self,
        request: Request | WebSocket,
        context: Any = UNSET,
        root_value: Any = UNSET,
    ) -> Response | WebSocket:
        if isinstance(request, WebSocket):
            return await super().run(request, context=context, root_value=root_value)
        if self.should_render_graphql_ide(self.request_adapter_class(request)):
            return await super().run(request, context=context, root_value=root_value)
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            return JSONResponse(
                _error_body(f"Accept {GRAPHQL_RESPONSE_JSON} or {JSON}.", "NOT_ACCEPTABLE"),
                status_code=406,
                media_type=_media(JSON),
            )
        if request.method == "GET":
            return JSONResponse(
                _error_body("Send GraphQL requests with POST.", "METHOD_NOT_ALLOWED"),
                status_code=405,
                media_type=_media(media_type),
                headers={"Allow": "POST"},
            )
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            return JSONResponse(
                _error_body(exc.reason, "BAD_REQUEST"),
                status_code=exc.status_code,
                media_type=_media(media_type),
            )
        assert isinstance(response, Response)
        response.headers["content-type"] = _media(media_type)
        code = getattr(request.state, "graphql_request_error", None)
        if media_type == GRAPHQL_RESPONSE_JSON and code is not None:
            response.status_code = _REQUEST_ERROR_STATUS.get(code, 400)
        return response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if response.get("errors"):
            errors = [_with_code(error) for error in response["errors"] or []]
            response["errors"] = errors
            if any(_code(error) == ErrorCode.UNAVAILABLE for error in errors):
                # Those that come next are refused at once until Neo4j answers again.
                request.app.state.assetbridge.mark_unreachable()
        if _is_request_error(result):
            # A request error has no data entry at all, not a null one.
            response.pop("data", None)
            errors = response.get("errors") or []
            code = _code(errors[0]) if errors else None
            request.state.graphql_request_error = code or ErrorCode.INTERNAL.value
        return response
