"""The ``asOf`` argument of the network questions (docs/places.md, "History"): the day
a question reads the graph as it stood."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from graph.services.history import as_of_day
from schema.errors import BadUserInput

__all__ = ["AsOf", "asked_day"]

AsOf = Annotated[
    date | None,
    strawberry.argument(
        name="asOf", description="The day the network is read as it stood; today (UTC) if null"
    ),
]


def asked_day(as_of: date | None, argument: str = "asOf") -> date:
    """The day asked for, today in UTC when none is. A later day is refused: the graph
    holds no ties of days to come, so its answer would be today's told as tomorrow's."""
    today = as_of_day()
    if as_of is None:
        return today
    if as_of > today:
        raise BadUserInput(f"{argument}: {as_of.isoformat()} is after today ({today.isoformat()})")
    return as_of
