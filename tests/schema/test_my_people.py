"""A caseworker's own people: ``people(filter: {mine: true})`` keeps those the caller's
organisation supports or who share their details with it, and never anyone who has not
consented; roles without an organisation of their own are told so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from tests.schema.place import load_place, load_tables, run

# Beside the small place's p-1 (supported by org-welcome and org-english), p-2 (by
# org-church), p-3 (by org-welcome, never consented) and p-4 (by org-welcome, withdrew):
# people who share with an organisation that does not support them, and the reverse.
MORE_PEOPLE: list[tuple[str, list[str], list[list[object]]]] = [
    (
        "people",
        ["id", "stage", "consent_given_at", "consent_withdrawn_at", "consent_scopes",
         "organisation_ids"],
        [
            ["p-5", "engaged", "2024-03-01T09:00:00", "", "matching;share:org-welcome",
             "org-church"],
            ["p-6", "accreditation", "2024-03-02T09:00:00", "", "share:org-english", ""],
            ["p-7", "engaged", "2024-03-03T09:00:00", "", "share:org-church", "org-church"],
            # Shared with org-welcome, then withdrew: gone from everyone's list.
            ["p-8", "engaged", "2024-03-04T09:00:00", "2024-06-01T09:00:00",
             "share:org-welcome", "org-welcome"],
        ],
    ),
]  # fmt: skip

MINE = """query ($filter: PeopleFilter, $sort: PersonSort!, $first: Int!, $after: String) {
  people(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"""


@pytest.fixture
def people(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    load_place(clean_db, neo4j_settings.database, tmp_path)
    (tmp_path / "more").mkdir()
    load_tables(clean_db, neo4j_settings.database, tmp_path / "more", MORE_PEOPLE)
    return clean_db


def caseworker(organisation_id: str) -> Caller:
    return Caller(subject="test-caseworker", role=Role.CASEWORKER, organisation_id=organisation_id)


def ask(
    driver: Driver,
    settings: Neo4jSettings,
    caller: Caller,
    people_filter: dict[str, Any] | None,
    sort: str = "ID",
    first: int = 50,
    after: str | None = None,
) -> dict[str, Any]:
    variables = {"filter": people_filter, "sort": sort, "first": first, "after": after}
    return run(driver, settings, MINE, variables, caller=caller)


def ids(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in body["data"]["people"]["edges"]]


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [
        # p-1 is supported by org-welcome; p-5 shares with it; p-3, p-4, p-8 never show.
        ("org-welcome", ["Person:p-1", "Person:p-5"]),
        ("org-english", ["Person:p-1", "Person:p-6"]),
        ("org-church", ["Person:p-2", "Person:p-5", "Person:p-7"]),
        ("org-nobody-knows", []),
    ],
)
@pytest.mark.parametrize("sort", ["ID", "STAGE", "IELTS_DESC"])
def test_a_caseworker_sees_exactly_the_consenting_people_of_their_organisation(
    people: Driver,
    neo4j_settings: Neo4jSettings,
    organisation: str,
    expected: list[str],
    sort: str,
) -> None:
    body = ask(people, neo4j_settings, caseworker(organisation), {"mine": True}, sort)
    assert "errors" not in body, body
    assert sorted(ids(body)) == expected
    assert body["data"]["people"]["totalCount"] == len(expected)


def test_without_mine_a_caseworker_still_lists_everyone_who_consented(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    everyone = ["Person:p-1", "Person:p-2", "Person:p-5", "Person:p-6", "Person:p-7"]
    for people_filter in (None, {"mine": False}):
        body = ask(people, neo4j_settings, caseworker("org-welcome"), people_filter)
        assert ids(body) == everyone
        assert body["data"]["people"]["totalCount"] == len(everyone)


def test_mine_combines_with_the_other_filters(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    body = ask(people, neo4j_settings, caseworker("org-church"), {"mine": True, "stage": "ENGAGED"})
    assert ids(body) == ["Person:p-2", "Person:p-5", "Person:p-7"]
    body = ask(
        people, neo4j_settings, caseworker("org-english"), {"mine": True, "stage": "ENGAGED"}
    )
    assert ids(body) == []
    assert body["data"]["people"]["totalCount"] == 0


def test_pages_of_my_people_follow_one_another(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    church = caseworker("org-church")
    first = ask(people, neo4j_settings, church, {"mine": True}, first=2)
    page = first["data"]["people"]
    assert ids(first) == ["Person:p-2", "Person:p-5"]
    assert page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    second = ask(people, neo4j_settings, church, {"mine": True}, first=2, after=after)
    assert ids(second) == ["Person:p-7"]
    assert second["data"]["people"]["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    "caller",
    [
        Caller(subject="test-admin", role=Role.ADMIN),
        # A token naming an organisation does not make an analyst its caseworker.
        Caller(subject="test-analyst", role=Role.ANALYST, organisation_id="org-welcome"),
    ],
    ids=["admin", "analyst"],
)
def test_roles_without_people_of_their_own_are_told_so(
    people: Driver, neo4j_settings: Neo4jSettings, caller: Caller
) -> None:
    body = ask(people, neo4j_settings, caller, {"mine": True})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert error["message"] == (
        "filter.mine: only a caseworker has people of their own (their organisation's); "
        f"the {caller.role.value} role has none. Leave filter.mine out to list everyone "
        "who consented."
    )


def test_a_place_leader_still_gets_no_list_at_all(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    leader = Caller(subject="test-leader", role=Role.PLACE_LEADER)
    body = ask(people, neo4j_settings, leader, {"mine": True})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


# The rule as plain Cypher, apart from the product's query, to check it on the demo place.
OWN_PEOPLE = """
MATCH (p:Person)
WHERE p.consent_given_at IS NOT NULL
  AND p.consent_withdrawn_at IS NULL
  AND (EXISTS { (p)-[:SUPPORTED_BY]->(:CommunityOrganisation {id: $org}) }
       OR 'share:' + $org IN coalesce(p.consent_scopes, []))
RETURN 'Person:' + p.id AS id
ORDER BY p.id
"""


def test_on_the_demo_place_my_people_are_the_organisations_consenting_people(
    demo_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    organisation = "org-refugee-support"
    records, _, _ = demo_place.execute_query(
        OWN_PEOPLE, org=organisation, database_=neo4j_settings.database
    )
    expected = [record["id"] for record in records]
    everyone = ask(demo_place, neo4j_settings, caseworker(organisation), None)
    listed: list[str] = []
    after = None
    while True:
        body = ask(
            demo_place, neo4j_settings, caseworker(organisation), {"mine": True}, after=after
        )
        listed += ids(body)
        info = body["data"]["people"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert listed == expected
    assert body["data"]["people"]["totalCount"] == len(expected)
    # Neither nobody nor everybody: the filter does keep some and leave others out.
    assert 0 < len(expected) < everyone["data"]["people"]["totalCount"]
