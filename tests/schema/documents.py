"""GraphQL documents drawn from the schema itself: every root field (found by
introspection, so a new field is covered the day it is added) with random valid
arguments and a selection of everything it returns to a few levels deep, and a way
to execute them as a caller, as the API serves them. Shared by the walks that check
who sees what over every field and role (tests/schema/test_people_property.py,
tests/schema/test_place_leak_walk.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    OperationType,
)
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from neo4j import Driver

from graph.access import Caller
from graph.services.funnel_rows import FollowedFunnels
from graph.settings import Neo4jSettings
from schema import GraphContext, build_schema
from schema.limits import GraphQLSettings

MAX_DEPTH = 3


def walk_settings(examples: int) -> settings:
    """Hypothesis settings for a walk over the schema: ``examples`` places, the same
    ones every run, and no shrinking (it re-runs whole places through the loaders for
    minutes; the first failure already names the field, the role and the document)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    )


@cache
def graphql_schema() -> strawberry.Schema:
    # The property is about who sees what, not the request limits.
    return build_schema(
        GraphQLSettings(max_cost=10**9, max_tokens=10**6, max_aliases=10**4, max_depth=50)
    )


def named_type(graphql_type: Any) -> Any:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type


# A draw from hypothesis: ``st.data().draw`` in the tests.
Draw = Callable[..., Any]

SCALARS: dict[str, list[Any]] = {
    "String": ["", "care", "org-welcome", "nurse", "Zqb"],
    "Int": [0, 1, 3, 20],
    "Float": [0.0, 0.5, 1.0],
    "Boolean": [True, False],
    "Date": ["2023-06-01", "2025-01-01"],
    "DateTime": ["2024-06-01T10:00:00"],
}
# Values that arguments of these names accept (and most, one they refuse): from the
# general lists alone, brokerageGaps would be asked within its 1 to 10 hops a quarter of
# the time, and seldom of an anchor at all.
NAMED: dict[str, list[Any]] = {
    "maxHops": [0, 3, 6, 10],
    "first": [1, 3, 20, 0],
    "k": [1, 3],
    "groupBy": ["group", "label", "care"],
}


# The kinds of node an ID argument whose name does not say takes: where a referral
# path may end (a person at either end is drawn by the walks themselves).
ID_KINDS: dict[str, tuple[str, ...]] = {
    "to": ("anchor", "department", "organisation"),
    "from": ("organisation", "department", "person"),
}


def argument_value(
    draw: Draw, graphql_type: GraphQLInputType, ids: list[str], name: str, depth: int = 0
) -> Any:
    if isinstance(graphql_type, GraphQLNonNull):
        return argument_value(draw, graphql_type.of_type, ids, name, depth)
    if isinstance(graphql_type, GraphQLList):
        size = draw(st.integers(0, 2))
        return [
            argument_value(draw, graphql_type.of_type, ids, name, depth + 1) for _ in range(size)
        ]
    if isinstance(graphql_type, GraphQLEnumType):
        return draw(st.sampled_from(sorted(graphql_type.values)))
    if isinstance(graphql_type, GraphQLInputObjectType):
        found: dict[str, Any] = {}
        for key, input_field in graphql_type.fields.items():
            required = isinstance(input_field.type, GraphQLNonNull)
            if required or (depth < 2 and draw(st.booleans())):
                found[key] = argument_value(draw, input_field.type, ids, key, depth + 1)
        return found
    assert isinstance(graphql_type, GraphQLScalarType)
    if graphql_type.name == "ID":
        # Mostly an id of the kind the argument's name says (anchorId: an anchor), so
        # questions get past their checks and read; sometimes any id at all.
        kinds = ID_KINDS.get(name, (name.lower().removesuffix("id"),))
        fitting = [i for i in ids if any(k in i.split(":")[0].lower() for k in kinds)]
        return draw(st.sampled_from(fitting if fitting and draw(st.integers(0, 7)) else ids))
    return draw(st.sampled_from(NAMED.get(name, SCALARS[graphql_type.name])))


@dataclass
class Document:
    text: str
    variables: dict[str, Any]


def is_id(graphql_type: Any) -> bool:
    named = named_type(graphql_type)
    return isinstance(named, GraphQLScalarType) and named.name == "ID"


class Builder:
    def __init__(self, draw: Draw, ids: list[str]) -> None:
        self.draw, self.ids = draw, ids
        self.declared: list[str] = []
        self.variables: dict[str, Any] = {}

    def arguments(self, graphql_field: GraphQLField, fixed: dict[str, Any] | None = None) -> str:
        parts = []
        for name, argument in graphql_field.args.items():
            required = isinstance(argument.type, GraphQLNonNull)
            if fixed is not None and name in fixed:
                value = fixed[name]
            # Asked about one person, a question is asked about them alone (pathway takes
            # a person or an organisation, never both).
            elif (
                required or (fixed is None or not is_id(argument.type)) and self.draw(st.booleans())
            ):
                value = argument_value(self.draw, argument.type, self.ids, name)
            else:
                continue
            variable = f"v{len(self.declared)}"
            self.declared.append(f"${variable}: {argument.type}")
            self.variables[variable] = value
            parts.append(f"{name}: ${variable}")
        return f"({', '.join(parts)})" if parts else ""

    def selection(self, graphql_type: Any, depth: int) -> str:
        named = named_type(graphql_type)
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            return ""
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            members = (named.types if isinstance(named, GraphQLUnionType)
                       else graphql_schema()._schema.get_possible_types(named))  # fmt: skip
            inner = [f"... on {m.name} {self.selection(m, depth)}" for m in members]
            return "{ __typename " + " ".join(inner) + " }"
        assert isinstance(named, GraphQLObjectType)
        parts = ["__typename"]
        for name, child in named.fields.items():
            child_type = named_type(child.type)
            is_leaf = isinstance(child_type, GraphQLScalarType | GraphQLEnumType)
            if not is_leaf and depth >= MAX_DEPTH:
                continue
            parts.append(f"{name}{self.arguments(child)} {self.selection(child.type, depth + 1)}")
        return "{ " + " ".join(parts) + " }"


def draw_document(
    draw: Draw, operation: str, name: str, ids: list[str], fixed: dict[str, Any] | None = None
) -> Document:
    root = graphql_schema()._schema.get_root_type(OperationType(operation))
    assert root is not None
    root_field = root.fields[name]
    builder = Builder(draw, ids)
    arguments = builder.arguments(root_field, fixed)
    selection = builder.selection(root_field.type, 1)
    header = f"({', '.join(builder.declared)})" if builder.declared else ""
    return Document(f"{operation}{header} {{ {name}{arguments} {selection} }}", builder.variables)


def root_fields() -> list[tuple[str, str]]:
    schema = graphql_schema()._schema
    assert schema.query_type is not None
    found = [("query", name) for name in schema.query_type.fields]
    if schema.mutation_type is not None:
        found += [("mutation", name) for name in schema.mutation_type.fields]
    return found


def execute_as(driver: Driver, settings: Neo4jSettings, caller: Caller | None,
             document: Document) -> dict[str, Any]:  # fmt: skip
    async def execute() -> dict[str, Any]:
        # As the API serves it: the funnel worked out from its kept pipeline (its own
        # read of people, graph.services.funnel_rows), so the walk reaches that path too.
        funnels = FollowedFunnels(driver, settings.database)
        context = GraphContext(driver, settings, caller=caller, funnels=funnels)
        result = await graphql_schema().execute(
            document.text, variable_values=document.variables, context_value=context
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body

    return asyncio.run(execute())


def id_arguments(operation: str, name: str) -> list[str]:
    root = graphql_schema()._schema.get_root_type(OperationType(operation))
    assert root is not None
    return [arg for arg, spec in root.fields[name].args.items() if is_id(spec.type)]


def unordered(value: Any) -> Any:
    """An answer with its lists in one order: two loads of one graph need not list alike."""
    if isinstance(value, dict):
        return {k: unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((unordered(v) for v in value), key=json.dumps)
    return value
