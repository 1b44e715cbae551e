"""Request limits, checked before anything runs (``ASSETBRIDGE_GRAPHQL_*``).

- tokens: the parser stops at ``max_tokens`` (strawberry's ``MaxTokensLimiter``),
  so a huge document costs no more than the limit to refuse; the refusal is a
  parse failure, ``GRAPHQL_PARSE_FAILED``;
- depth, aliases and cost: each operation is measured at validation, following
  fragments where they are spread (with this request's variables), and refused
  with ``QUERY_TOO_COMPLEX`` and a message naming the limit;
- introspection: answered unless ``introspection`` is false; the API sets it
  false in production whatever the environment says.

Cost: every field costs 1. A field that takes a page size (``first``, or ``k``
for referral paths) multiplies what is selected under it by that size, a literal
or a variable; any other list field multiplies by ``default_list_size``, except
the rows of a page (a connection's ``edges``), which its ``first`` has counted.
A root field that runs a graph algorithm (the questions, the network analytics),
marked ``RunsAlgorithm`` where it is declared, adds ``algorithm_cost``. Depth
counts the selection sets nested below the operation's own. Introspection fields
(``__typename``, ``__schema``) cost nothing and add no depth, so GraphiQL's schema
query passes in development.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
    value_from_ast_untyped,
)
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    SchemaExtension,
)
from strawberry.schema.schema import validate_document
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from schema.errors import CodedError, ErrorCode
from schema.resolving import RunsAlgorithm

__all__ = [
    "GraphQLSettings",
    "Measure",
    "QueryTooComplex",
    "algorithm_fields",
    "get_graphql_settings",
    "limit_extensions",
    "measure_operations",
]

# Arguments that bound how many items a field returns.
_SIZE_ARGUMENTS = ("first", "k")


class GraphQLSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSETBRIDGE_GRAPHQL_", env_file=".env", extra="ignore"
    )

    max_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=0)
    max_tokens: int = Field(default=2000, ge=1)
    # The app's heaviest real request, the top 20 candidates for a vacancy with
    # every factor, gap and provider, costs about 19,500.
    max_cost: int = Field(default=25_000, ge=1)
    algorithm_cost: int = Field(default=1_000, ge=0)
    default_list_size: int = Field(default=20, ge=1)
    introspection: bool = True


@lru_cache(maxsize=1)
def get_graphql_settings() -> GraphQLSettings:
    return GraphQLSettings()


class QueryTooComplex(CodedError):
    code = ErrorCode.QUERY_TOO_COMPLEX


ExtensionFactory = type[SchemaExtension] | Callable[[], SchemaExtension]


def limit_extensions(settings: GraphQLSettings) -> list[ExtensionFactory]:
    """The schema extensions that enforce ``settings``, one instance per request."""
    extensions: list[ExtensionFactory] = [
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(_RequestLimits, settings),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return extensions


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost
        )


def measure_operations(
    schema: GraphQLSchema,
    document: DocumentNode,
    settings: GraphQLSettings,
    variables: Mapping[str, Any] | None = None,
) -> dict[OperationDefinitionNode, Measure]:
    """Depth, aliases and cost of each operation in ``document``."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return {
        operation: _Walker(schema, fragments, settings, operation, variables or {}).operation()
        for operation in document.definitions
        if isinstance(operation, OperationDefinitionNode)
    }


class _RequestLimits(SchemaExtension):
    """Validates each request: the limits, which may read variables (a page size can
    come in one), every time and first; GraphQL's own rules (and introspection's
    refusal), which judge the document alone, once per query text. Validating
    every text afresh took a few milliseconds a request, as long as a whole
    referral-path search."""

    def __init__(self, settings: GraphQLSettings) -> None:
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.query is not None and document is not None:
            schema = context.schema._schema
            measures = measure_operations(schema, document, self.settings, context.variables)
            context.pre_execution_errors = [
                *(
                    GraphQLError(message, operation, original_error=QueryTooComplex(message))
                    for operation, measure in measures.items()
                    for message in _excesses(operation, measure, self.settings)
                ),
                *_fixed_rule_errors(schema, context.query, tuple(context.validation_rules)),
            ]
        yield


# Bounded, so that a stream of distinct query texts cannot grow memory without end.
@lru_cache(maxsize=256)
def _fixed_rule_errors(
    schema: GraphQLSchema, query: str, rules: tuple[type[ASTValidationRule], ...]
) -> tuple[GraphQLError, ...]:
    return tuple(validate_document(schema, parse(query), rules))


def _excesses(
    operation: OperationDefinitionNode, measure: Measure, settings: GraphQLSettings
) -> Iterator[str]:
    kind = operation.operation.value
    if measure.depth > settings.max_depth:
        yield f"{kind} depth {measure.depth} exceeds the limit of {settings.max_depth}"
    if measure.aliases > settings.max_aliases:
        yield f"{kind} alias count {measure.aliases} exceeds the limit of {settings.max_aliases}"
    if measure.cost > settings.max_cost:
        yield (
            f"{kind} cost {measure.cost} exceeds the limit of {settings.max_cost}; "
            "ask for smaller pages or fewer nested lists"
        )


class _Walker:
    """Measures one operation; each fragment once, however often it is spread."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        settings: GraphQLSettings,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.settings = settings
        self.operation_node = operation
        defaults = {
            d.variable.name.value: value_from_ast_untyped(d.default_value)
            for d in operation.variable_definitions or ()
            if d.default_value is not None
        }
        self.variables = {**defaults, **variables}
        # Measured fragments, and those being measured: a spread of one of
        # those is a cycle, which graphql-core refuses on its own.
        self.done: dict[str, Measure] = {}
        self.open: set[str] = set()

    def operation(self) -> Measure:
        root = self.schema.get_root_type(self.operation_node.operation)
        return self.selections(self.operation_node.selection_set, root)

    def selections(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> Measure:
        total = Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value)
        return total

    def spread(self, name: str) -> Measure:
        fragment = self.fragments.get(name)
        if name in self.done or fragment is None or name in self.open:
            return self.done.get(name, Measure())
        self.open.add(name)
        condition = self.schema.get_type(fragment.type_condition.name.value)
        self.done[name] = self.selections(fragment.selection_set, condition)
        self.open.discard(name)
        return self.done[name]

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        aliases = 1 if node.alias else 0
        name = node.name.value
        definition = _field_definition(parent, name)
        inner = Measure()
        if node.selection_set is not None:
            child = get_named_type(definition.type) if definition else None
            inner = self.selections(node.selection_set, child)
        if name.startswith("__"):
            return Measure(aliases=aliases + inner.aliases)
        extra = self.settings.algorithm_cost if self._runs_algorithm(parent, name) else 0
        return Measure(
            depth=inner.depth + 1 if node.selection_set is not None else 0,
            aliases=aliases + inner.aliases,
            cost=1 + extra + self._size(node, definition, parent) * inner.cost,
        )

    def _runs_algorithm(self, parent: GraphQLNamedType | None, name: str) -> bool:
        query = self.schema.query_type
        return parent is not None and parent is query and name in algorithm_fields(self.schema)

    def _size(
        self, node: FieldNode, definition: GraphQLField | None, parent: GraphQLNamedType | None
    ) -> int:
        if definition is None:
            return 1
        for name in _SIZE_ARGUMENTS:
            if name in definition.args:
                return max(0, self._int_argument(node, name, definition.args[name]))
        if not is_list_type(get_nullable_type(definition.type)):
            return 1
        pages = _page_types(self.schema)
        return 1 if parent is not None and parent.name in pages else self.settings.default_list_size

    def _int_argument(self, node: FieldNode, name: str, argument: GraphQLArgument) -> int:
        given = next((a.value for a in node.arguments or () if a.name.value == name), None)
        value: Any = argument.default_value
        if isinstance(given, IntValueNode):
            value = int(given.value)
        elif isinstance(given, VariableNode):
            value = self.variables.get(given.name.value, value)
        # A value of the wrong type fails at execution; until then, assume the usual.
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return self.settings.default_list_size


def _field_definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None


@lru_cache(maxsize=8)
def algorithm_fields(schema: GraphQLSchema) -> frozenset[str]:
    """The root query fields marked ``RunsAlgorithm``."""
    query = schema.query_type
    return frozenset(
        name
        for name, field in (query.fields if query is not None else {}).items()
        if isinstance(
            own := field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF), StrawberryField
        )
        and any(isinstance(extension, RunsAlgorithm) for extension in own.extensions)
    )


@lru_cache(maxsize=8)
def _page_types(schema: GraphQLSchema) -> frozenset[str]:
    """Types a field returns one of when it takes a page size: their lists are the page."""
    return frozenset(
        get_named_type(field.type).name
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType)
        for field in graphql_type.fields.values()
        if not is_list_type(get_nullable_type(field.type))
        and any(name in field.args for name in _SIZE_ARGUMENTS)
    )
