"""Every listing in every sort order, through its one page query: walked a few
rows at a time, the pages hold each row its count holds, once, in the order's
direction, ties broken by id, with keys of the order's type."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.services import explore_filters as f
from graph.services import explore_lists as el
from graph.settings import Neo4jSettings
from tests.schema.place import load_place

LISTINGS: list[el.Listing[Any, Any]] = [
    el.PEOPLE,
    el.ORGANISATIONS,
    el.SERVICES,
    el.ANCHORS,
    el.DEPARTMENTS,
    el.VACANCIES,
    el.SKILLS,
    el.OCCUPATIONS,
    el.QUALIFICATIONS,
    el.PROPERTIES,
    el.AREAS,
]
ORDERS = [(listing, sort) for listing in LISTINGS for sort in listing.key_types]


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    load_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def test_every_listing_is_walked() -> None:
    assert {listing.name for listing in LISTINGS} == {
        value.name for value in vars(el).values() if isinstance(value, el.Listing)
    }


def _walk(driver: Driver, db: str, listing: el.Listing[Any, Any], sort: Any) -> list[el.Keyset]:
    seen: list[el.Keyset] = []
    after = None
    while True:
        page = el.list_page(
            driver, db, listing, sort, listing.filter_model(), first=1, after=after, places=None
        )
        seen += page.rows
        if not page.has_next:
            return seen
        after = page.rows[-1]


# One load of the place for all 29 orders; a row a page, so every step after the
# first compares with the keyset.
def test_pages_follow_every_order(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    for listing, sort in ORDERS:
        order = f"{listing.name} by {sort.value}"
        seen = _walk(place, db, listing, sort)
        total = el.count_rows(place, db, listing, listing.filter_model(), places=None)
        assert total > 0, order
        assert len(seen) == total, order
        assert len({row.id for row in seen}) == total, order
        assert all(isinstance(row.key, listing.key_types[sort]) for row in seen), order
        descending = sort.value.endswith("_desc")
        keys: list[tuple[Any, str]] = [(row.key, row.id) for row in seen]
        # Python's sort is stable, reversed too: ties stay in id order.
        by_id = sorted(keys, key=lambda k: k[1])
        assert keys == sorted(by_id, key=lambda k: k[0], reverse=descending), order


def test_a_sort_of_another_listing_is_refused(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    services: el.Listing[Any, Any] = el.SERVICES
    with pytest.raises(ValueError, match="services cannot be sorted by"):
        el.list_page(
            place,
            neo4j_settings.database,
            services,
            f.OrganisationSort.FOUNDED_YEAR,
            f.ServiceFilter(),
            first=2,
            places=None,
        )


# Filters the place's people answer differently (some match none).
PEOPLE_FILTERS = [
    f.PeopleFilter(),
    f.PeopleFilter(stage="engaged"),
    f.PeopleFilter(stage="employed"),
    f.PeopleFilter(right_to_work=True),
    f.PeopleFilter(trained_as="occ-nurse"),
    f.PeopleFilter(skill_id="skill-triage"),
    f.PeopleFilter(organisation_id="org-welcome"),
    f.PeopleFilter(area_id="E01011331", stage="language_training"),
]


def test_the_people_page_in_id_order_is_the_sorted_page(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """The id order is read along the id index by a page query of its own: the same
    rows as the page query that sorts, under every filter and in every place scope."""
    db = neo4j_settings.database
    sorted_whole = replace(el.PEOPLE, page_by_id=None)
    compared = 0
    for filters in PEOPLE_FILTERS:
        for places in (None, ["home"], ["elsewhere"]):
            for first in (1, 2, 50):
                pages = [
                    _walk_filtered(place, db, listing, filters, first, places)
                    for listing in (el.PEOPLE, sorted_whole)
                ]
                assert pages[0] == pages[1], (filters, places, first)
                compared += bool(pages[0])
    assert compared >= 10, "the filters must leave rows to compare"


def _walk_filtered(
    driver: Driver,
    db: str,
    listing: el.Listing[Any, Any],
    filters: f.PeopleFilter,
    first: int,
    places: list[str] | None,
) -> list[el.Keyset]:
    seen: list[el.Keyset] = []
    after = None
    while True:
        page = el.list_page(
            driver, db, listing, f.PersonSort.ID, filters, first=first, after=after, places=places
        )
        seen += page.rows
        if not page.has_next:
            return seen
        after = page.rows[-1]
