"""Composes the per-feature query types into one schema.

Add a feature by appending its query type to ``QUERIES``.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from schema.errors import ErrorCodes, Schema
from schema.explore import ExploreQuery
from schema.hub import HubMutation
from schema.questions import QuestionsQuery
from schema.system import SystemQuery

QUERIES: tuple[type, ...] = (
    SystemQuery,
    ExploreQuery,
    QuestionsQuery,
)
MUTATIONS: tuple[type, ...] = (HubMutation,)


def build_schema() -> strawberry.Schema:
    query = merge_types("Query", QUERIES)
    mutation = merge_types("Mutation", MUTATIONS)
    return Schema(query=query, mutation=mutation, extensions=[ErrorCodes])
