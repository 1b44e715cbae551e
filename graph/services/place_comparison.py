"""Places side by side (issue 15, comparison): for each place, its hub's anchor's funnel
and placements, how many of that anchor's candidates have no route in, its hub's
community partners and its people, every figure read in that place alone.

A place's figures are those of its employment hub: the hub, the anchor it is part of,
and the anchor's pipeline, placements and brokerage gaps as a caller of that one place
would be given them (docs/places.md, "Comparison"). A place with no hub has only its
people counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from neo4j import Driver
from pydantic import BaseModel

from graph.cypher import place_comparison as q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.funnel import Funnel
from graph.services.brokerage import brokerage_gaps
from graph.services.funnel_rows import FollowedFunnels
from graph.services.history import as_of_day
from graph.services.place_view import Placements, funnel, placements
from graph.services.reads import read_rows

__all__ = ["PlaceFigures", "compared_places", "place_comparison"]


class PlaceFigures(BaseModel):
    """One place's figures, exact: the schema hides small cells for those who may not
    see them."""

    place_id: str
    name: str
    residents: int
    hub_id: str | None = None
    anchor_id: str | None = None
    partners: int | None = None
    funnel: Funnel | None = None
    placements: Placements | None = None
    candidates: int | None = None
    unlinked: int | None = None


def compared_places(
    driver: Driver,
    database: str,
    visible: Sequence[str] | None,
    asked: Sequence[str] | None,
) -> list[str]:
    """The places to compare: ``asked`` (in the order given, each once), or every place
    the caller may see (``visible``; None: every place). A place asked that the caller
    may not see is refused in the words used for one that does not exist."""
    scope = None if visible is None else list(visible)
    known = [row["id"] for row in read_rows(driver, database, q.PLACES_KNOWN, places=scope)]
    if asked is None:
        return known
    if not asked:
        raise InvalidInputError("places: name at least one place, or leave it out for all yours")
    chosen = list(dict.fromkeys(asked))
    for place in chosen:
        if place not in known:
            raise NotFoundError(f"places: no place with id {place!r}")
    return chosen


def place_comparison(
    driver: Driver,
    database: str,
    places: Sequence[str],
    *,
    as_of: date | None = None,
    funnels: FollowedFunnels | None = None,
) -> list[PlaceFigures]:
    """The figures of each of ``places`` (already checked against the caller's, see
    ``compared_places``), in that order; partners and the funnel as they stood on
    ``as_of`` (today when None). ``funnels`` answers the funnels from kept rows when
    given; the answer is the same."""
    day = as_of_day(as_of)
    rows = read_rows(driver, database, q.PLACE_FIGURES, places=list(places), as_of=day)
    found = []
    for row in rows:
        figures = PlaceFigures(
            place_id=row["place_id"],
            name=row["name"],
            residents=row["residents"],
            hub_id=row["hub_id"],
            anchor_id=row["anchor_id"],
            partners=row["partners"],
        )
        anchor = figures.anchor_id
        if anchor is not None:
            # Each place alone: an anchor in two places is counted in each as a caller of
            # that place alone would see it.
            scope = [figures.place_id]
            figures.funnel = (
                funnels.funnel(anchor, as_of=day, places=scope)
                if funnels is not None
                else funnel(driver, database, anchor, as_of=day, places=scope)
            )
            figures.placements = placements(driver, database, anchor, scope)
            gaps = brokerage_gaps(driver, database, anchor, as_of=day, places=scope)
            figures.candidates = gaps.candidates
            figures.unlinked = gaps.candidates - gaps.linked
        found.append(figures)
    return found
