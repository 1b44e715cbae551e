"""People leave the schema only through ``graph.services.visibility``: every person id a
request names, and every person id an answer holds, whatever the field.

- **In.** A root field whose ID arguments (at any depth: lists, input objects) name a person
  the caller may not see is not run; it answers ``NOT_FOUND`` with the same words whether
  that person is unknown, has not consented, or the caller's role sees people only as
  counts. So no answer tells a place leader who exists, and none tells anyone who has not
  consented.
- **Out.** After the operation, every ``Person:`` id in any ID field of the answer is
  checked in one query. Should a question ever return someone the caller may not see (a
  new query that forgot the consent filter, a relationship field nobody thought of), the
  answer is withheld whole and the fault logged: the guard fails closed.

Both go by type, not by text: a title or a description that reads ``Person:...`` is a
string someone wrote, not a reference, and must neither be refused nor withhold answers.

Fields in ``UNGUARDED_FIELDS`` are the two kinds that must name people whose consent is
withdrawn, each under a rule of its own: those that act on a person's own rights
(consent, erasure, access export: an administrator, or a caseworker of an organisation
that supports the person, checked in the write), and the audit log (administrators only,
ids only), which is the record of who withdrew or erased whom.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from inspect import isawaitable
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLResolveInfo,
    GraphQLScalarType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from graph.access import Caller
from graph.services.visibility import hidden_person_ids
from graph.vocabulary import Label
from schema.errors import Forbidden, NotFound

__all__ = ["RIGHTS_FIELDS", "UNGUARDED_FIELDS", "WITHHELD", "PeopleGuard", "person_ids_in"]

log = logging.getLogger("assetbridge.graphql")

PERSON_PREFIX = f"{Label.PERSON.value}:"
ROOTS = ("Query", "Mutation")
RIGHTS_FIELDS = frozenset(
    {
        "Mutation.recordConsent",
        "Mutation.withdrawConsent",
        "Mutation.erasePerson",
        "Query.exportPerson",
    }
)
UNGUARDED_FIELDS = RIGHTS_FIELDS | {"Query.auditLog"}
WITHHELD = "the answer was withheld: it named a person you may not see"


def person_ids_in(value: Any) -> Iterator[str]:
    """Every external person id named by a ``Person:<id>`` string in an ID value (one id,
    or a list of them at any depth)."""
    if isinstance(value, str):
        if value.startswith(PERSON_PREFIX):
            yield value[len(PERSON_PREFIX) :]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from person_ids_in(item)


class PeopleGuard(SchemaExtension):
    def __init__(self, *, execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        # Person ids this request's answer holds in ID fields, outside the unguarded fields.
        self.answered: set[str] = set()
        self.unguarded: set[str] | None = None

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if info.field_name.startswith("__"):  # introspection names no one
            return _next(root, info, *args, **kwargs)
        parent = info.parent_type.name
        caller = info.context.caller
        # Nobody signed in: the access policy refuses the field before anything is read.
        if (
            parent in ROOTS
            and caller is not None
            and f"{parent}.{info.field_name}" not in (UNGUARDED_FIELDS)
        ):
            named = set(_argument_person_ids(info.parent_type.fields[info.field_name], kwargs))
            if named:
                return self._checked(_next, root, info, caller, named, *args, **kwargs)
        return self._noted(_next(root, info, *args, **kwargs), info)

    async def _checked(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        caller: Caller,
        named: set[str],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        context = info.context
        hidden = await asyncio.to_thread(
            hidden_person_ids, context.driver, context.database, caller, named
        )
        if hidden:
            # Never the id itself: the caller wrote it, but an echo would differ by id.
            raise NotFound(f"{info.field_name}: no person you may see has that id")
        result = _next(root, info, *args, **kwargs)
        return self._noted(await result if isawaitable(result) else result, info)

    def _noted(self, result: Any, info: GraphQLResolveInfo[Any]) -> Any:
        """``result``, its person ids noted when the field's type is ID (a description or a
        title that happens to read ``Person:...`` is text, not a reference)."""
        if not _is_id(info.return_type) or self._in_unguarded(info):
            return result
        if isawaitable(result):
            return self._noted_later(result, info)
        self.answered.update(person_ids_in(result))
        return result

    async def _noted_later(self, result: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return self._noted(await result, info)

    def _in_unguarded(self, info: GraphQLResolveInfo[Any]) -> bool:
        if self.unguarded is None:
            execution = self.execution_context
            self.unguarded = _unguarded_keys(execution.graphql_document, execution.operation_name)
        path = info.path
        while path.prev is not None:
            path = path.prev
        return path.key in self.unguarded

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        execution = self.execution_context
        result = execution.result
        if result is None or not getattr(result, "data", None) or not self.answered:
            return
        context = execution.context
        hidden = await asyncio.to_thread(
            hidden_person_ids, context.driver, context.database, context.caller, self.answered
        )
        if not hidden:
            return
        log.error(
            "people guard withheld an answer naming %d person(s) the caller (%s) may not see",
            len(hidden),
            getattr(context.caller, "role", None),
        )
        result.data = None
        result.errors = [GraphQLError(WITHHELD, original_error=Forbidden(WITHHELD))]


def _is_id(graphql_type: Any) -> bool:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return isinstance(graphql_type, GraphQLScalarType) and graphql_type.name == "ID"


def _argument_person_ids(field: GraphQLField, arguments: Mapping[str, Any]) -> Iterator[str]:
    """The person ids named by the ID-typed arguments of ``field``, at any depth of lists
    and input objects (a String argument that reads ``Person:...`` is text)."""
    for name, value in arguments.items():
        argument = field.args.get(name)
        if argument is not None:
            yield from _typed_person_ids(value, argument.type)


def _typed_person_ids(value: Any, graphql_type: Any) -> Iterator[str]:
    if value is None:
        return
    if isinstance(graphql_type, GraphQLNonNull):
        yield from _typed_person_ids(value, graphql_type.of_type)
    elif isinstance(graphql_type, GraphQLList):
        for item in value if isinstance(value, list | tuple) else [value]:
            yield from _typed_person_ids(item, graphql_type.of_type)
    elif isinstance(graphql_type, GraphQLInputObjectType):
        fields_of = graphql_type.fields
        items = value.items() if isinstance(value, Mapping) else vars(value).items()
        for name, item in items:
            input_field = fields_of.get(name)
            if input_field is not None:
                yield from _typed_person_ids(item, input_field.type)
    elif _is_id(graphql_type):
        yield from person_ids_in(value)


def _unguarded_keys(document: Any, operation_name: str | None) -> set[str]:
    """The response keys (aliases) of the operation's root fields in ``UNGUARDED_FIELDS``."""
    if document is None:
        return set()
    fragments = {
        d.name.value: d.selection_set
        for d in document.definitions
        if d.kind == "fragment_definition"
    }
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        root = "Mutation" if definition.operation.value == "mutation" else "Query"
        return {
            key
            for key, name in _root_fields(definition.selection_set, fragments, set())
            if f"{root}.{name}" in UNGUARDED_FIELDS
        }
    return set()


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, SelectionSetNode], seen: set[str]
) -> Iterator[tuple[str, str]]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            yield (selection.alias.value if selection.alias else name), name
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            spread = selection.name.value
            if spread in fragments and spread not in seen:
                yield from _root_fields(fragments[spread], fragments, seen | {spread})
