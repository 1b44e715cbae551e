"""The GraphQL schema over the place graph."""

from schema.build import build_schema
from schema.context import GraphContext

__all__ = ["GraphContext", "build_schema"]
