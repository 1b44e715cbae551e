"""Errors a caller may see, each with a code in ``extensions.code``.

Resolvers raise the classes below; anything else (a bug, a driver error) is
masked to a generic message with code ``INTERNAL`` and logged in full for
operators. A caller never sees a stack trace or a fragment of Cypher.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, ClassVar

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionContext, ExecutionResult, PreExecutionError

__all__ = [
    "BadUserInput",
    "CodedError",
    "ErrorCode",
    "ErrorCodes",
    "Forbidden",
    "INTERNAL_MESSAGE",
    "NotFound",
    "Schema",
    "UNAVAILABLE_MESSAGE",
    "Unauthenticated",
]

log = logging.getLogger("assetbridge.graphql")


class ErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"
    # Request errors raised before execution, named as Apollo and most clients do.
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # A request over a limit of schema.limits (depth, aliases, cost), refused
    # before execution: the caller should ask for less, not fix a mistake.
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


INTERNAL_MESSAGE = "Internal server error."
UNAVAILABLE_MESSAGE = "The graph database cannot be reached just now; try again shortly."

# Driver errors that mean "the database is not there", not "the query is wrong".
_UNREACHABLE = (ServiceUnavailable, SessionExpired, DatabaseUnavailable)


class CodedError(Exception):
    """An error whose message is written for the caller."""

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CodedError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(CodedError):
    code = ErrorCode.BAD_USER_INPUT


class Unauthenticated(CodedError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(CodedError):
    code = ErrorCode.FORBIDDEN


def _code_and_message(error: GraphQLError, before_execution: bool) -> tuple[ErrorCode, str]:
    original = error.original_error
    if isinstance(original, CodedError):
        return original.code, original.message
    if isinstance(original, _UNREACHABLE):
        return ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED, error.message
    if before_execution and original is None:
        return ErrorCode.GRAPHQL_VALIDATION_FAILED, error.message
    # graphql-core reports a variable it cannot coerce before any field runs,
    # so the error has no path; its message names the variable and the type.
    if not before_execution and error.path is None:
        return ErrorCode.BAD_USER_INPUT, error.message
    return ErrorCode.INTERNAL, INTERNAL_MESSAGE


def coded(error: GraphQLError, before_execution: bool) -> GraphQLError:
    """``error`` with its code, its message masked unless written for the caller."""
    code, message = _code_and_message(error, before_execution)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code.value},
    )


class ErrorCodes(SchemaExtension):
    """Gives every error of an operation its code and masks the unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        before = isinstance(result, PreExecutionError)
        result.errors = [coded(error, before) for error in errors]


def _code_stragglers(result: ExecutionResult) -> None:
    """Codes the errors ``ErrorCodes`` never saw: when an extension's own hook raises (the
    people guard's check of an answer, say, as Neo4j stops), strawberry turns the exception
    into an error after every ``on_operation`` hook has been left."""
    errors = result.errors
    if not errors or all((error.extensions or {}).get("code") for error in errors):
        return
    before = isinstance(result, PreExecutionError)
    result.errors = [
        error if (error.extensions or {}).get("code") else coded(error, before) for error in errors
    ]


class Schema(strawberry.Schema):
    """Logs each error once, at a level that matches whose mistake it was, and gives every
    error a code whichever way it left the operation."""

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await super().execute(*args, **kwargs)
        _code_stragglers(result)
        return result

    def execute_sync(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = super().execute_sync(*args, **kwargs)
        _code_stragglers(result)
        return result

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,  # noqa: ARG002 - the base signature
    ) -> None:
        for error in errors:
            original = error.original_error
            # graphql-core's own complaints about a request (syntax, validation,
            # variables) and our coded errors are the caller's business.
            expected = original is None or isinstance(original, CodedError)
            if expected or (error.path is None and isinstance(original, GraphQLError)):
                log.debug("GraphQL error for the caller: %s", error.message)
            elif isinstance(original, _UNREACHABLE):
                log.warning("Neo4j unavailable during a GraphQL request: %s", original)
            else:
                log.error("unexpected error in a GraphQL resolver", exc_info=original)
