"""The day a question reads the network as of (graph/cypher/history.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

__all__ = ["as_of_day"]


def as_of_day(as_of: date | None = None) -> date:
    """``as_of``, or today in UTC when none is given: the service's day does not
    follow the server's local clock, so two hosts answer alike at midnight."""
    return as_of if as_of is not None else datetime.now(UTC).date()
