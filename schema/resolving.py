"""What resolvers that ask the graph share, whatever their feature: running a graph
service off the event loop with its errors made coded ones, reading a node id
argument, the places a caller's questions read, and marking a root field that runs a
graph algorithm (which the request limits in ``schema.limits`` cost as one)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from strawberry.extensions import FieldExtension

from graph.access import Caller
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.models import paths as p
from graph.vocabulary import Label
from schema.errors import BadUserInput, Forbidden, NotFound
from schema.ids import reference

__all__ = ["RunsAlgorithm", "call_graph", "node_key", "places_of"]

P = ParamSpec("P")
R = TypeVar("R")


async def call_graph(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a graph service off the event loop, turning its errors into coded ones."""
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except NotFoundError as error:
        raise NotFound(str(error)) from error
    except InvalidInputError as error:
        raise BadUserInput(str(error)) from error
    except ForbiddenError as error:
        raise Forbidden(str(error)) from error


def places_of(caller: Caller | None) -> list[str] | None:
    """``places`` for a graph service: the caller's (None: every place), or none at all
    when nobody is signed in (the access policy refuses them first; this fails closed)."""
    return [] if caller is None else caller.places_param


def node_key(value: str, argument: str, *labels: Label) -> p.NodeKey:
    parsed = reference(value, argument, *labels)
    assert parsed is not None  # a required argument is never None
    return p.NodeKey(label=parsed[0], id=parsed[1])


class RunsAlgorithm(FieldExtension):
    """Marks a field whose answer a graph algorithm computes; it takes no part in
    resolving. ``schema.limits`` adds ``algorithm_cost`` for each marked root field,
    so the limits need not know which features ask questions."""
