"""Heavy answers given again while their facts are unchanged (graph.services.kept_answers),
kept apart by the caller's disclosure level and places."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from datetime import date
from enum import Enum
from functools import partial
from typing import TypeVar

from graph.services.history import as_of_day
from graph.services.kept_answers import Question
from schema.context import GraphInfo
from schema.disclosure import disclosure_level

__all__ = ["Question", "kept", "frozen"]

R = TypeVar("R")


def kept(
    info: GraphInfo, question: Question, arguments: tuple[object, ...], compute: Callable[[], R]
) -> Callable[[], R]:
    """``compute`` as the work to run off the event loop: through the context's kept
    answers when it has them. ``compute`` must give the answer as the caller sees it
    (disclosure applied), and ``arguments`` everything else it depends on."""
    answers = info.context.kept_answers
    if answers is None:
        return compute
    caller = info.context.caller
    # Two callers of one level in different places are shown different answers (each
    # sees only its places, docs/places.md): the places are part of who is asking.
    places = None if caller is None or caller.places is None else tuple(sorted(caller.places))
    audience = (disclosure_level(caller), places)
    # The network read is the one of a day (graph/cypher/history.py): a tie ending
    # tomorrow changes tomorrow's answer with no write for the journal to see, so the
    # day the answer is for is part of its key (past days' answers fall off the end).
    key = (frozen(arguments), as_of_day())
    return partial(
        answers.answer, question, key, audience, compute, seen=info.context.seen_transaction
    )


def frozen(value: object) -> Hashable:
    """An argument value as part of a key: lists, tuples and inputs (dataclasses) as
    tuples, field names included. Anything else but plain values is refused, so an
    argument of a new type cannot be keyed by its identity."""
    if value is None or isinstance(value, str | int | float | bool | Enum | date):
        return value
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple(
            (field.name, frozen(getattr(value, field.name))) for field in dataclasses.fields(value)
        )
    raise TypeError(f"cannot key an answer by a {type(value).__name__}")
