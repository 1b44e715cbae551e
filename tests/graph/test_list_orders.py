"""Every listing in every sort order, through its one page query: walked a few
rows at a time, the pages hold each row its count holds, once, in the order's
direction, ties broken by id, with keys of the order's type."""

from __future__ import annotations

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
