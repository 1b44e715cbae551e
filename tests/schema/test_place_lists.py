"""The explorer's lists as callers of one place, of two, and an administrator see them
through GraphQL, over two places loaded with ``--place`` (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from loaders.registry import load
from tests.schema.place import load_tables, run, write_csv

# Two places, loaded with --place: org-both and anchor-both are one node in both.
AREAS = ["id", "name", "kind", "parent_id"]
ORGANISATIONS = ["id", "name", "org_type", "founded_year", "website", "area_id"]
ANCHORS = ["id", "name", "sector", "employees", "area_id"]
OCCUPATIONS = ["id", "preferred_label", "regulated", "regulator"]
VACANCIES = ["id", "title", "anchor_id", "occupation_id"]
TABLES: dict[str, list[tuple[str, list[str], list[list[object]]]]] = {
    "leeds": [
        ("areas", AREAS, [["area-leeds", "Leeds", "local_authority", ""]]),
        ("organisations", ORGANISATIONS, [
            ["org-leeds", "Leeds Welcome", "frontline", "2007", "", "area-leeds"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
        ]),
        ("anchors", ANCHORS, [
            ["anchor-leeds", "Leeds Hospitals", "health", "20000", "area-leeds"],
            ["anchor-both", "Northern Rail", "transport", "9000", ""],
        ]),
        ("vacancies", VACANCIES, [["vac-leeds", "Staff nurse", "anchor-leeds", "occ-nurse"]]),
    ],
    "bradford": [
        ("areas", AREAS, [["area-bradford", "Bradford", "local_authority", ""]]),
        ("organisations", ORGANISATIONS, [
            ["org-bradford", "Bradford Welcome", "frontline", "2010", "", "area-bradford"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
        ]),
        ("anchors", ANCHORS, [
            ["anchor-bradford", "Bradford Hospitals", "health", "8000", "area-bradford"],
            ["anchor-both", "Northern Rail", "transport", "9000", ""],
        ]),
        ("vacancies", VACANCIES, [
            ["vac-bradford", "Ward nurse", "anchor-bradford", "occ-nurse"],
            ["vac-both", "Station nurse", "anchor-both", "occ-nurse"],
        ]),
    ],
}  # fmt: skip
LISTS = """
{
  organisations(sort: ID) { totalCount edges { node { externalId } } }
  anchors(sort: ID) { totalCount edges { node { externalId } } }
  vacancies(sort: ID) { totalCount edges { node { externalId } } }
  areas(sort: ID) { totalCount edges { node { externalId } } }
  occupations { totalCount }
}
"""


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    db = neo4j_settings.database
    occupations = write_csv(tmp_path / "occupations.csv", OCCUPATIONS,
                            [["occ-nurse", "nurse", "true", "NMC"]])  # fmt: skip
    assert load("occupations", occupations, driver=clean_db, database=db).rows_rejected == 0
    for place, tables in TABLES.items():
        load_tables(clean_db, db, tmp_path, tables, place=place)
    return clean_db


def _lists(driver: Driver, settings: Neo4jSettings, caller: Caller) -> dict[str, Any]:
    body = run(driver, settings, LISTS, caller=caller)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return {
        field: (
            [edge["node"]["externalId"] for edge in data[field]["edges"]],
            data[field]["totalCount"],
        )
        for field in ("organisations", "anchors", "vacancies", "areas")
    } | {"occupations": data["occupations"]["totalCount"]}


def test_a_place_leader_lists_and_counts_only_their_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    leeds = Caller("leader-leeds", Role.PLACE_LEADER, places=frozenset({"leeds"}))
    assert _lists(two_places, neo4j_settings, leeds) == {
        "organisations": (["org-both", "org-leeds"], 2),
        "anchors": (["anchor-both", "anchor-leeds"], 2),
        "vacancies": (["vac-leeds"], 1),
        "areas": (["area-leeds"], 1),
        "occupations": 1,
    }
    bradford = Caller("leader-bradford", Role.PLACE_LEADER, places=frozenset({"bradford"}))
    assert _lists(two_places, neo4j_settings, bradford) == {
        "organisations": (["org-both", "org-bradford"], 2),
        "anchors": (["anchor-both", "anchor-bradford"], 2),
        "vacancies": (["vac-both", "vac-bradford"], 2),
        "areas": (["area-bradford"], 1),
        "occupations": 1,
    }
    # A caller of a place with nothing in it sees nothing placed, the vocabulary still.
    york = Caller("analyst-york", Role.ANALYST, places=frozenset({"york"}))
    assert _lists(two_places, neo4j_settings, york) == {
        "organisations": ([], 0),
        "anchors": ([], 0),
        "vacancies": ([], 0),
        "areas": ([], 0),
        "occupations": 1,
    }


def test_an_administrator_and_a_caller_of_both_places_see_both(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    both = {
        "organisations": (["org-both", "org-bradford", "org-leeds"], 3),
        "anchors": (["anchor-both", "anchor-bradford", "anchor-leeds"], 3),
        "vacancies": (["vac-both", "vac-bradford", "vac-leeds"], 3),
        "areas": (["area-bradford", "area-leeds"], 2),
        "occupations": 1,
    }
    admin = Caller("admin", Role.ADMIN)
    assert admin.places is None
    assert _lists(two_places, neo4j_settings, admin) == both
    analyst = Caller("analyst", Role.ANALYST, places=frozenset({"leeds", "bradford"}))
    assert _lists(two_places, neo4j_settings, analyst) == both
