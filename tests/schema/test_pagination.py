"""Keyset pagination: pages follow the sort key and the id of the last row seen,
not an offset; sort keys and cursors are checked."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.schema.place import load_tables, run

ORGANISATIONS: list[list[object]] = [
    # id, name, founded: ties in both the year and (ignoring case) the name.
    ["org-a", "Welcome Hub", "2001"],
    ["org-b", "Job Club", "1999"],
    ["org-c", "welcome hub", "2001"],
    ["org-d", "Advice Centre", ""],
    ["org-e", "Mentors", "2001"],
    ["org-f", "Language Cafe", "1999"],
    ["org-g", "Church Project", "2010"],
]

PEOPLE = [
    # id, ielts overall
    ["p-a", "7.0"],
    ["p-b", "6.0"],
    ["p-c", "7.0"],
    ["p-d", ""],
    ["p-e", "7.0"],
]


@pytest.fixture
def listed(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    load_tables(
        clean_db,
        neo4j_settings.database,
        tmp_path,
        [
            ("organisations", ["id", "name", "founded_year"], ORGANISATIONS),
            (
                "people",
                ["id", "ielts_overall", "consent_given_at"],
                [[ident, band, "2024-01-01T00:00:00"] for ident, band in PEOPLE],
            ),
        ],
    )
    return clean_db


PAGE = """
query ($sort: OrganisationSort!, $first: Int!, $after: String) {
  organisations(sort: $sort, first: $first, after: $after) {
    totalCount
    edges { cursor node { externalId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

PEOPLE_PAGE = """
query ($first: Int!, $after: String) {
  people(sort: IELTS_DESC, first: $first, after: $after) {
    totalCount
    edges { cursor node { externalId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def _page(driver: Driver, settings: Neo4jSettings, query: str, **variables: Any) -> dict[str, Any]:
    body = run(driver, settings, query, variables)
    assert "errors" not in body, body
    (connection,) = body["data"].values()
    return connection  # type: ignore[no-any-return]


def _walk(
    driver: Driver, settings: Neo4jSettings, query: str, **variables: Any
) -> list[tuple[list[str], bool, bool, int]]:
    """Every page, following endCursor: (ids, hasNextPage, hasPreviousPage, totalCount)."""
    pages = []
    after = None
    while True:
        page = _page(driver, settings, query, after=after, **variables)
        ids = [edge["node"]["externalId"] for edge in page["edges"]]
        info = page["pageInfo"]
        assert info["startCursor"] == page["edges"][0]["cursor"]
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        pages.append((ids, info["hasNextPage"], info["hasPreviousPage"], page["totalCount"]))
        if not info["hasNextPage"]:
            return pages
        after = info["endCursor"]


@pytest.mark.parametrize(
    ("sort", "pages"),
    [
        # 1999: b f | 2001: a c e | 2010: g | unknown last: d
        ("FOUNDED_YEAR", [["org-b", "org-f", "org-a"], ["org-c", "org-e", "org-g"], ["org-d"]]),
        # Names compare without case; "Welcome Hub" and "welcome hub" tie, and go by id.
        ("NAME", [["org-d", "org-g", "org-b"], ["org-f", "org-e", "org-a"], ["org-c"]]),
        ("ID", [["org-a", "org-b", "org-c"], ["org-d", "org-e", "org-f"], ["org-g"]]),
    ],
)
def test_three_pages_through_ties(
    listed: Driver, neo4j_settings: Neo4jSettings, sort: str, pages: list[list[str]]
) -> None:
    assert _walk(listed, neo4j_settings, PAGE, sort=sort, first=3) == [
        (pages[0], True, False, 7),
        (pages[1], True, True, 7),
        (pages[2], False, True, 7),
    ]


def test_descending_float_keys_page_through_ties(
    listed: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # 7.0: a c e | 6.0: b | untested last: d
    assert _walk(listed, neo4j_settings, PEOPLE_PAGE, first=2) == [
        (["p-a", "p-c"], True, False, 5),
        (["p-e", "p-b"], True, True, 5),
        (["p-d"], False, True, 5),
    ]


def test_the_next_page_follows_the_last_row_not_an_offset(
    listed: Driver, neo4j_settings: Neo4jSettings
) -> None:
    first = _page(listed, neo4j_settings, PAGE, sort="FOUNDED_YEAR", first=3, after=None)
    # Between two pages, a row sorts in before the cursor and one after it goes.
    listed.execute_query(
        "CREATE (:CommunityOrganisation {id: 'org-0', name: 'Oldest', founded_year: 1950}) "
        "WITH 1 AS done MATCH (c:CommunityOrganisation {id: 'org-c'}) DETACH DELETE c",
        database_=neo4j_settings.database,
    )
    after = first["pageInfo"]["endCursor"]
    second = _page(listed, neo4j_settings, PAGE, sort="FOUNDED_YEAR", first=3, after=after)
    assert [edge["node"]["externalId"] for edge in second["edges"]] == ["org-e", "org-g", "org-d"]


def test_first_zero_and_first_hundred(listed: Driver, neo4j_settings: Neo4jSettings) -> None:
    empty = _page(listed, neo4j_settings, PAGE, sort="ID", first=0, after=None)
    assert empty["edges"] == []
    assert empty["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }
    everything = _page(listed, neo4j_settings, PAGE, sort="ID", first=100, after=None)
    assert len(everything["edges"]) == 7
    assert everything["pageInfo"]["hasNextPage"] is False


def _errors(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(error["message"], error["extensions"]["code"]) for error in body["errors"]]


@pytest.mark.parametrize("first", [101, 1000, -1])
def test_first_out_of_bounds_is_bad_user_input(
    listed: Driver, neo4j_settings: Neo4jSettings, first: int
) -> None:
    body = run(listed, neo4j_settings, PAGE, {"sort": "ID", "first": first})
    assert body["data"] is None
    assert _errors(body) == [(f"first must be between 0 and 100, not {first}", "BAD_USER_INPUT")]


def _cursor(*parts: object) -> str:
    raw = json.dumps(list(parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_cursors_are_checked(listed: Driver, neo4j_settings: Neo4jSettings) -> None:
    by_name = _page(listed, neo4j_settings, PAGE, sort="NAME", first=2, after=None)
    name_cursor = by_name["pageInfo"]["endCursor"]
    anchors_cursor = _cursor("anchors", "founded_year", 2001, "org-a")
    wrong_key_type = _cursor("organisations", "founded_year", "2001", "org-a")
    refused = ("after is not a cursor of organisations in FOUNDED_YEAR order", "BAD_USER_INPUT")
    for after in (name_cursor, anchors_cursor, wrong_key_type, "not a cursor", "e30"):
        variables = {"sort": "FOUNDED_YEAR", "first": 2, "after": after}
        body = run(listed, neo4j_settings, PAGE, variables)
        assert _errors(body) == [refused], after
    # A well-formed cursor of the right list and order is honoured, even hand-made.
    made = _cursor("organisations", "founded_year", 2001, "org-c")
    page = _page(listed, neo4j_settings, PAGE, sort="FOUNDED_YEAR", first=5, after=made)
    assert [edge["node"]["externalId"] for edge in page["edges"]] == ["org-e", "org-g", "org-d"]


def test_an_unknown_sort_key_fails_validation(
    listed: Driver, neo4j_settings: Neo4jSettings
) -> None:
    body = run(listed, neo4j_settings, "{ organisations(sort: founded_year) { totalCount } }")
    assert body["data"] is None
    assert _errors(body) == [
        (
            "Value 'founded_year' does not exist in 'OrganisationSort' enum."
            " Did you mean the enum value 'FOUNDED_YEAR'?",
            "GRAPHQL_VALIDATION_FAILED",
        )
    ]


def test_an_unknown_sort_key_in_a_variable_is_bad_user_input(
    listed: Driver, neo4j_settings: Neo4jSettings
) -> None:
    variables = {"sort": "n.name; MATCH (x) DETACH DELETE x", "first": 2}
    body = run(listed, neo4j_settings, PAGE, variables)
    assert body["data"] is None
    assert _errors(body) == [
        (
            "Variable '$sort' has invalid value: Value 'n.name; MATCH (x) DETACH DELETE x'"
            " does not exist in 'OrganisationSort' enum.",
            "BAD_USER_INPUT",
        )
    ]
