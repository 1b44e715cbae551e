"""The explorer's listings are scoped by places: a node of a placed label is listed and
counted only if one of its ``place_ids`` is among those asked for (None: every place); the
vocabulary's listings read no place. Statically over the list queries, and on a real Neo4j
with a place loaded through ``--place`` (tests/schema/test_place_lists.py asks as callers)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

from neo4j import Driver

import graph.cypher
from graph.access import Caller, Role
from graph.services import explore_lists as el
from graph.settings import Neo4jSettings
from graph.vocabulary import PLACED_LABELS, Label
from loaders.registry import load
from tests.schema.place import PLACE, TAXONOMY_LINKS, write_csv

LIST_MODULES = [
    importlib.import_module(f"graph.cypher.{info.name}")
    for info in pkgutil.iter_modules(graph.cypher.__path__)
    if info.name.startswith("list_")
]
PLACED = {label.value for label in PLACED_LABELS}
LISTINGS: list[el.Listing[Any, Any]] = [
    value for value in vars(el).values() if isinstance(value, el.Listing)
]
# The scope as every list query writes it: a node with no place_ids is in no place.
SCOPE = "($places IS NULL OR any(place IN n.place_ids WHERE place IN $places))"


def _list_queries() -> list[tuple[str, str, str]]:
    """(name, label the query lists, text) of every query constant of graph/cypher/list_*."""
    found = []
    for module in LIST_MODULES:
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str):
                label = re.search(r"MATCH \(n:(\w+)\)", value)
                assert label is not None, f"{module.__name__}.{name} lists no (n:Label)"
                found.append((f"{module.__name__}.{name}", label.group(1), value))
    return found


def test_every_list_query_over_a_placed_label_takes_the_callers_places() -> None:
    queries = _list_queries()
    # Every listing's page and count is among the constants checked.
    assert {
        q for listing in LISTINGS for q in (listing.page, listing.count, listing.page_by_id) if q
    } <= {text for _, _, text in queries}
    placed = [(name, text) for name, label, text in queries if label in PLACED]
    assert len(placed) == 17
    unscoped = [name for name, text in placed if SCOPE not in text]
    assert unscoped == []
    # The vocabulary is the same everywhere: its listings take no place.
    vocabulary = [(name, text) for name, label, text in queries if label not in PLACED]
    assert len(vocabulary) == 6
    assert [name for name, text in vocabulary if "$places" in text] == []


def _load_place(driver: Driver, database: str, folder: Path, place: str) -> None:
    for index, (kind, header, rows) in enumerate(PLACE):
        path = write_csv(folder / f"{index:02d}-{kind}.csv", header, rows)
        report = load(kind, path, driver=driver, database=database, place=place)
        assert report.rows_rejected == 0, (kind, report)
    driver.execute_query(TAXONOMY_LINKS, database_=database)


def test_every_listing_counts_only_the_places_asked_for(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    _load_place(clean_db, db, tmp_path, "leeds")
    for listing in LISTINGS:
        everywhere = el.count_rows(clean_db, db, listing, listing.filter_model(), places=None)
        assert everywhere > 0, listing.name
        leeds = el.count_rows(clean_db, db, listing, listing.filter_model(), places=["leeds"])
        elsewhere = el.count_rows(clean_db, db, listing, listing.filter_model(), places=["york"])
        first = el.list_page(clean_db, db, listing, next(iter(listing.key_types)),
                             listing.filter_model(), first=100, places=["york"])  # fmt: skip
        assert leeds == everywhere, listing.name
        if listing.label in PLACED_LABELS:
            assert (elsewhere, first.rows) == (0, []), listing.name
        else:
            assert listing.label in (Label.SKILL, Label.OCCUPATION, Label.QUALIFICATION)
            assert elsewhere == everywhere, listing.name


def test_a_caller_knows_its_places() -> None:
    leader = Caller("l", Role.PLACE_LEADER, places=frozenset({"leeds", "bradford"}))
    assert (leader.may_see_place("leeds"), leader.may_see_place("york")) == (True, False)
    assert leader.places_param == ["bradford", "leeds"]
    admin = Caller("a", Role.ADMIN)
    assert (admin.may_see_place("york"), admin.places_param) == (True, None)
    # Callers are keys of kept answers: equal places, equal callers.
    same = Caller("l", Role.PLACE_LEADER, places=frozenset({"bradford", "leeds"}))
    assert hash(same) == hash(leader)
    assert same == leader
    assert Caller("l", Role.PLACE_LEADER, places=frozenset({"leeds"})) != leader
