"""People leave the schema only through ``graph.services.visibility``: every person id a
request names, and every person id an answer holds, whatever the field.

- **In.** A root field whose arguments (at any depth: lists, input objects) name a person
  the caller may not see is not run; it answers ``NOT_FOUND`` with the same words whether
  that person is unknown, has not consented, or the caller's role sees people only as
  counts. So no answer tells a place leader who exists, and none tells anyone who has not
  consented.
- **Out.** After the operation, every ``Person:`` id anywhere in the answer is checked in
  one query. Should a question ever return someone the caller may not see (a new query
  that forgot the consent filter, a relationship field nobody thought of), the answer is
  withheld whole and the fault logged: the guard fails closed.

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
from dataclasses import fields, is_dataclass
from inspect import isawaitable
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
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
    """Every external person id named by a ``Person:<id>`` string inside ``value``."""
    if isinstance(value, str):
        if value.startswith(PERSON_PREFIX):
            yield value[len(PERSON_PREFIX) :]
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from person_ids_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from person_ids_in(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from person_ids_in(getattr(value, field.name))


class PeopleGuard(SchemaExtension):
    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        parent = info.parent_type.name
        named = set(person_ids_in(kwargs)) if parent in ROOTS else set()
        caller = info.context.caller
        # Nobody signed in: the access policy refuses the field before anything is read.
        if not named or caller is None or f"{parent}.{info.field_name}" in UNGUARDED_FIELDS:
            return _next(root, info, *args, **kwargs)
        return self._checked(_next, root, info, caller, named, *args, **kwargs)

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
        return await result if isawaitable(result) else result

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        execution = self.execution_context
        result = execution.result
        data = getattr(result, "data", None)
        if result is None or not data:
            return
        exempt = _unguarded_keys(execution.graphql_document, execution.operation_name)
        named = set(person_ids_in({k: v for k, v in data.items() if k not in exempt}))
        if not named:
            return
        context = execution.context
        hidden = await asyncio.to_thread(
            hidden_person_ids, context.driver, context.database, context.caller, named
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
