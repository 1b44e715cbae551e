"""Errors the graph layer raises for callers to turn into coded responses."""

from __future__ import annotations

__all__ = ["ForbiddenError", "GraphError", "InvalidInputError", "NotFoundError"]


class GraphError(Exception):
    """Base of the errors whose message is safe to show to the caller."""


class NotFoundError(GraphError):
    """The named node does not exist (or the caller may not know that it does)."""


class InvalidInputError(GraphError):
    """An argument is out of range or of the wrong kind; the message names it."""


class ForbiddenError(GraphError):
    """The caller's role does not allow this; the message says what is refused, not why
    a particular record is hidden."""
