"""What the explorer page asks of the places and their history (issue 15, the page):
``places`` lists only the caller's places, ``anchors(place:)`` and
``organisations(place:)`` narrow a list to one of them (another is answered as an
unknown place), and ``organisations(asOf:)`` reads the organisations' ties and
people counts as they held that day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from tests.schema.place import load_tables, run

EDGES = ["kind", "from_id", "to_id", "from_kind", "to_kind", "since", "until", "count"]
PEOPLE = ["id", "home_area_id", "right_to_work", "stage", "consent_given_at", "organisation_ids"]
# Each id names its place, so "york" anywhere in a Leeds caller's answer is a leak.
TABLES: dict[str, list[tuple[str, list[str], list[list[object]]]]] = {
    "leeds": [
        ("organisations", ["id", "name", "org_type"], [
            ["org-leeds", "Leeds Welcome", "frontline"],
            ["org-leeds-english", "Leeds English", "intermediary"],
        ]),
        ("anchors", ["id", "name", "sector"], [["anchor-leeds", "Leeds Hospitals", "health"]]),
        ("people", PEOPLE, [
            ["p-leeds", "", "yes", "engaged", "2024-01-01T09:00:00", ""],
        ]),
        # Referred 2019 to 2022 and stopped; referring again since 2024 (one file a period).
        ("edges", EDGES, [
            ["REFERS_TO", "org-leeds", "anchor-leeds", "", "anchor", "2019-03-01",
             "2022-06-01", "4"],
        ]),
        ("edges", EDGES, [
            ["REFERS_TO", "org-leeds", "anchor-leeds", "", "anchor", "2024-01-01", "", "9"],
            ["PARTNERS_WITH", "org-leeds", "org-leeds-english", "", "", "2021-01-01", "", ""],
            ["SUPPORTED_BY", "p-leeds", "org-leeds", "", "", "2023-05-01", "", ""],
        ]),
    ],
    "york": [
        ("organisations", ["id", "name", "org_type", "founded_year"],
         [["org-york", "York Welcome", "frontline", "2015"]]),
        ("anchors", ["id", "name", "sector"], [["anchor-york", "York Hospitals", "health"]]),
    ],
}  # fmt: skip

LEEDS = Caller(subject="t-leeds", role=Role.PLACE_LEADER, places=frozenset({"leeds"}))
BOTH = Caller(subject="t-both", role=Role.ANALYST, places=frozenset({"leeds", "york"}))
ADMIN = Caller(subject="t-admin", role=Role.ADMIN)

ORGANISATIONS = """query ($day: Date, $place: ID) {
  organisations(asOf: $day, place: $place, sort: ID) { totalCount edges { node {
    externalId peopleCount
    refersTo { count since party { ... on Node { id } } }
    partners { party { ... on CommunityOrganisation { externalId
      partners { party { ... on Node { id } } } } } } } } } }"""
ANCHORS = """query ($place: ID) { anchors(place: $place, sort: ID) {
  totalCount edges { node { externalId } } } }"""


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    for place, tables in TABLES.items():
        load_tables(clean_db, neo4j_settings.database, tmp_path, tables, place=place)
    return clean_db


def _data(driver: Driver, settings: Neo4jSettings, query: str, caller: Caller, **v: Any) -> Any:
    body = run(driver, settings, query, v, caller=caller)
    assert "errors" not in body, body
    return body["data"]


def _error(driver: Driver, settings: Neo4jSettings, query: str, caller: Caller, **v: Any) -> Any:
    body = run(driver, settings, query, v, caller=caller)
    assert body["data"] is None, body
    (error,) = body["errors"]
    return {"message": error["message"], "code": error["extensions"]["code"]}


def test_places_lists_only_the_callers_own(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    query = "{ places { id name } }"
    assert _data(two_places, neo4j_settings, query, LEEDS) == {
        "places": [{"id": "leeds", "name": "leeds"}]
    }
    both = [{"id": "leeds", "name": "leeds"}, {"id": "york", "name": "york"}]
    assert _data(two_places, neo4j_settings, query, BOTH) == {"places": both}
    assert _data(two_places, neo4j_settings, query, ADMIN) == {"places": both}


def test_a_list_narrowed_to_one_of_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def anchors(caller: Caller, place: str | None) -> list[str]:
        found = _data(two_places, neo4j_settings, ANCHORS, caller, place=place)["anchors"]
        ids = [edge["node"]["externalId"] for edge in found["edges"]]
        assert found["totalCount"] == len(ids)
        return ids

    assert anchors(BOTH, None) == ["anchor-leeds", "anchor-york"]
    assert anchors(BOTH, "york") == ["anchor-york"]
    assert anchors(BOTH, "leeds") == ["anchor-leeds"]
    assert anchors(LEEDS, "leeds") == ["anchor-leeds"]
    # Another place is answered as one that does not exist, naming the argument.
    refused = _error(two_places, neo4j_settings, ANCHORS, LEEDS, place="york")
    assert refused == {"message": "place: no place has id 'york'.", "code": "NOT_FOUND"}
    unknown = _error(two_places, neo4j_settings, ANCHORS, LEEDS, place="nowhere")
    assert unknown == {"message": "place: no place has id 'nowhere'.", "code": "NOT_FOUND"}
    organisations = _data(two_places, neo4j_settings, ORGANISATIONS, BOTH, place="york")
    assert [e["node"]["externalId"] for e in organisations["organisations"]["edges"]] == [
        "org-york"
    ]


def _leeds_organisation(driver: Driver, settings: Neo4jSettings, day: str | None) -> Any:
    found = _data(driver, settings, ORGANISATIONS, ADMIN, day=day, place="leeds")
    nodes = {e["node"]["externalId"]: e["node"] for e in found["organisations"]["edges"]}
    assert found["organisations"]["totalCount"] == 2
    return nodes["org-leeds"]


def test_organisations_as_of_a_day_read_the_ties_and_counts_of_that_day(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    anchor = {"id": "AnchorInstitution:anchor-leeds"}
    english = {"party": {"id": "CommunityOrganisation:org-leeds"}}

    today = _leeds_organisation(two_places, neo4j_settings, None)
    assert today["refersTo"] == [{"count": 9, "since": "2024-01-01", "party": anchor}]
    assert today["peopleCount"] == 1
    assert today["partners"] == [
        {"party": {"externalId": "org-leeds-english", "partners": [english]}}
    ]

    spell = _leeds_organisation(two_places, neo4j_settings, "2020-06-01")
    assert spell["refersTo"] == [{"count": 4, "since": "2019-03-01", "party": anchor}]
    assert spell["peopleCount"] == 0
    # Not yet partners that day, whichever end the question starts from.
    assert spell["partners"] == []

    between = _leeds_organisation(two_places, neo4j_settings, "2023-01-01")
    assert between["refersTo"] == []
    assert between["partners"] == [
        {"party": {"externalId": "org-leeds-english", "partners": [english]}}
    ]
    # The same page of today, asked again in the same request as a past day, keeps them apart.
    both_days = """{ now: organisations(place: "leeds", sort: ID, first: 1) {
        edges { node { refersTo { count } } } }
      then: organisations(place: "leeds", sort: ID, first: 1, asOf: "2020-06-01") {
        edges { node { refersTo { count } } } } }"""
    answer = _data(two_places, neo4j_settings, both_days, ADMIN)
    assert answer["now"]["edges"][0]["node"]["refersTo"] == [{"count": 9}]
    assert answer["then"]["edges"][0]["node"]["refersTo"] == [{"count": 4}]


def test_a_day_after_today_is_refused_naming_as_of(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    tomorrow = date.today() + timedelta(days=2)
    refused = _error(two_places, neo4j_settings, ORGANISATIONS, LEEDS, day=tomorrow.isoformat())
    assert refused["code"] == "BAD_USER_INPUT"
    assert refused["message"].startswith(f"asOf: {tomorrow.isoformat()} is after today")
    body = run(two_places, neo4j_settings, ORGANISATIONS, {"day": "2020-13-01"}, caller=LEEDS)
    (error,) = body["errors"]
    assert "2020-13-01" in error["message"]
    assert "Traceback" not in str(body)


def test_an_organisation_is_listed_from_the_year_it_was_founded(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Found by the places probe: as of a day before an organisation was founded, the
    list still showed it. York Welcome was founded in 2015; Leeds's give no year."""

    def listed(day: str | None) -> tuple[int, list[str]]:
        found = _data(two_places, neo4j_settings, ORGANISATIONS, BOTH, day=day)["organisations"]
        return found["totalCount"], [edge["node"]["externalId"] for edge in found["edges"]]

    everyone = ["org-leeds", "org-leeds-english", "org-york"]
    assert listed(None) == (3, everyone)
    assert listed("2015-01-01") == (3, everyone)
    assert listed("2014-12-31") == (2, everyone[:2])
