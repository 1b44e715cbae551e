"""Composes the per-feature query types into one schema.

Add a feature by appending its query type to ``QUERIES``.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from schema.analytics import AnalyticsQuery
from schema.audit import AuditQuery
from schema.consent import ConsentMutation, ConsentQuery
from schema.errors import ErrorCodes, Schema
from schema.explore import ExploreQuery
from schema.hub import HubMutation
from schema.limits import GraphQLSettings, get_graphql_settings, limit_extensions
from schema.pathway import PathwayQuery
from schema.people_guard import PeopleGuard
from schema.place_comparison import PlaceComparisonQuery
from schema.place_view import PlaceViewQuery
from schema.policy import AccessPolicy
from schema.questions import QuestionsQuery
from schema.system import SystemQuery

QUERIES: tuple[type, ...] = (
    SystemQuery,
    ExploreQuery,
    QuestionsQuery,
    PathwayQuery,
    AuditQuery,
    AnalyticsQuery,
    PlaceViewQuery,
    PlaceComparisonQuery,
    ConsentQuery,
)
MUTATIONS: tuple[type, ...] = (HubMutation, ConsentMutation)


def build_schema(settings: GraphQLSettings | None = None) -> strawberry.Schema:
    """The schema, with the request limits of ``settings`` (the environment's by default)."""
    query = merge_types("Query", QUERIES)
    mutation = merge_types("Mutation", MUTATIONS)
    limits = limit_extensions(settings or get_graphql_settings())
    return Schema(
        query=query, mutation=mutation, extensions=[ErrorCodes, AccessPolicy, PeopleGuard, *limits]
    )
