"""The Relay ``Node`` interface, and helpers that resolve relationships through
the request's loaders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

__all__ = ["Node", "many", "one"]

M = TypeVar("M")
T = TypeVar("T")


@strawberry.interface(
    description=(
        "An object with a global id, `<Type>:<external id>` (e.g. `Area:E01011331`), "
        "that `node(id:)` finds again."
    )
)
class Node:
    id: strawberry.ID


async def one(
    loader: DataLoader[str, Any], ident: str | None, convert: Callable[[M], T]
) -> T | None:
    """The node ``ident`` names, converted; ``None`` if it names none (or none readable)."""
    if ident is None:
        return None
    model = await loader.load(ident)
    return None if model is None else convert(model)


async def many(
    loader: DataLoader[str, Any], ids: Iterable[str], convert: Callable[[M], T]
) -> list[T]:
    """The nodes ``ids`` name, in order, leaving out any that cannot be read."""
    models = await loader.load_many(ids)
    return [convert(model) for model in models if model is not None]
