"""Relay cursor connections over keyset pages.

A cursor is the base64url of ``[list, sort, key, id]``: the list and sort
order it belongs to, and the keyset of its row. It is opaque to callers but
not secret; a tampered cursor can only move a page, never widen what a list
shows, and one from another list or sort order is refused.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

import strawberry

from graph.services.explore_filters import ListFilter
from graph.services.explore_lists import Keyset, Listing, count_rows, list_page
from schema.context import GraphContext
from schema.errors import BadUserInput, NotFound

__all__ = ["DEFAULT_FIRST", "MAX_FIRST", "Connection", "Edge", "PageInfo", "connection"]

DEFAULT_FIRST = 20
MAX_FIRST = 100

T = TypeVar("T")
M = TypeVar("M")
S = TypeVar("S", bound=StrEnum)
F = TypeVar("F", bound=ListFilter)


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="True when the page was asked for `after` a cursor."
    )
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="A row of a page, with the cursor to continue after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, by keyset: ask for the next with `after`.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Rows in the whole list under these filters.")
    async def total_count(self) -> int:
        return await self.counter()


def encode_cursor(listing: Listing[S, F], sort: S, row: Keyset) -> str:
    raw = json.dumps([listing.name, sort.value, row.key, row.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, listing: Listing[S, F], sort: S) -> Keyset:
    refused = BadUserInput(f"after is not a cursor of {listing.name} in {sort.name} order")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise refused from None
    if not isinstance(decoded, list) or len(decoded) != 4:
        raise refused
    name, order, key, ident = decoded
    expected = listing.key_types[sort]
    # JSON writes 7.0 as 7.0 but a hand-made cursor may say 7; both mean the same key.
    if expected is float and isinstance(key, int) and not isinstance(key, bool):
        key = float(key)
    if (
        name != listing.name
        or order != sort.value
        or not isinstance(ident, str)
        or isinstance(key, bool)
        or not isinstance(key, expected)
    ):
        raise refused
    return Keyset(key=key, id=ident)


def places_asked(ctx: GraphContext, place: str | None) -> list[str] | None:
    """``$places`` for a list: the caller's (None: every place), or the one ``place`` named
    when the caller may see it. One they may not see is answered as a place that does
    not exist, so the answer tells nothing of it."""
    # No caller (refused before any resolver runs) would see no place, not every place.
    if ctx.caller is None:
        return []
    if place is None:
        return ctx.caller.places_param
    if not ctx.caller.may_see_place(place):
        raise NotFound(f"place: no place has id '{place}'.")
    return [place]


def check_first(first: int) -> int:
    if not 0 <= first <= MAX_FIRST:
        raise BadUserInput(f"first must be between 0 and {MAX_FIRST}, not {first}")
    return first


async def connection(
    ctx: GraphContext,
    listing: Listing[S, F],
    sort: S,
    filters: F,
    first: int,
    after: str | None,
    load: Callable[[Sequence[str]], Awaitable[list[M | None]]],
    convert: Callable[[M], T],
    *,
    place: str | None = None,
    as_of: date | None = None,
) -> Connection[T]:
    """One page of ``listing`` as a connection; nodes come through ``load`` (a loader).
    ``place`` narrows the list to one of the caller's places; ``as_of`` is the day the
    ties its filters follow are read as of (None: today)."""
    check_first(first)
    keyset = decode_cursor(after, listing, sort) if after is not None else None
    places = places_asked(ctx, place)
    page = await asyncio.to_thread(
        list_page, ctx.driver, ctx.database, listing, sort, filters, first, keyset,
        places=places, as_of=as_of,
    )  # fmt: skip
    models = await load([row.id for row in page.rows])
    cursors = [encode_cursor(listing, sort, row) for row in page.rows]
    edges = [
        Edge(cursor=cursor, node=convert(model))
        for cursor, model in zip(cursors, models, strict=True)
        # A row deleted between the page query and the node read is skipped.
        if model is not None
    ]

    async def total() -> int:
        return await asyncio.to_thread(
            count_rows, ctx.driver, ctx.database, listing, filters, places=places, as_of=as_of
        )

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=keyset is not None,
            # From the page's rows, not its edges, so that a skipped row
            # still moves the next page past it.
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        counter=total,
    )
