"""People who have not consented, or withdrew, never appear individually; and no
one's personal details appear at all."""

from __future__ import annotations

import json

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLUnionType
from neo4j import Driver

from graph.settings import Neo4jSettings
from schema import build_schema
from tests.schema.place import run

EVERYTHING_ABOUT_PEOPLE = """
query ($filter: PeopleFilter, $sort: PersonSort!) {
  people(filter: $filter, sort: $sort, first: 100) {
    totalCount
    edges { node {
      id externalId stage rightToWork
      stageHistory { stage reachedOn }
      languages { language cefr }
      ielts { overall reading }
      trainedAs { id }
      homeArea { id }
      skills { id }
      supportedBy { strength organisation { id name } }
    } }
  }
}
"""


@pytest.mark.parametrize("sort", ["ID", "STAGE", "IELTS_DESC"])
def test_lists_and_counts_show_only_people_who_consented(
    place: Driver, neo4j_settings: Neo4jSettings, sort: str
) -> None:
    body = run(place, neo4j_settings, EVERYTHING_ABOUT_PEOPLE, {"sort": sort})
    people = body["data"]["people"]
    expected = ["Person:p-1", "Person:p-2"] if sort != "STAGE" else ["Person:p-2", "Person:p-1"]
    assert [edge["node"]["id"] for edge in people["edges"]] == expected
    assert people["totalCount"] == 2


@pytest.mark.parametrize(
    "people_filter",
    [
        {"skill": "Skill:skill-triage"},
        {"trainedAs": "Occupation:occ-nurse"},
        {"area": "Area:E01011331"},
    ],
)
def test_filters_that_match_hidden_people_still_show_only_consenting_ones(
    place: Driver, neo4j_settings: Neo4jSettings, people_filter: dict[str, str]
) -> None:
    variables = {"filter": people_filter, "sort": "ID"}
    people = run(place, neo4j_settings, EVERYTHING_ABOUT_PEOPLE, variables)["data"]["people"]
    assert [edge["node"]["id"] for edge in people["edges"]] == ["Person:p-1"]
    assert people["totalCount"] == 1


@pytest.mark.parametrize("person", ["Person:p-3", "Person:p-4", "Person:p-nobody"])
def test_node_does_not_find_people_who_did_not_consent(
    place: Driver, neo4j_settings: Neo4jSettings, person: str
) -> None:
    body = run(place, neo4j_settings, "query ($id: ID!) { node(id: $id) { id } }", {"id": person})
    assert body["data"] == {"node": None}
    # The same answer as for someone who does not exist (p-nobody): no oracle.
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        ("node: no person you may see has that id", {"code": "NOT_FOUND"})
    ]


def test_withdrawing_consent_hides_a_person_at_once(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    place.execute_query(
        "MATCH (p:Person {id: 'p-1'}) SET p.consent_withdrawn_at = localdatetime()",
        database_=neo4j_settings.database,
    )
    people = run(place, neo4j_settings, EVERYTHING_ABOUT_PEOPLE, {"sort": "ID"})["data"]["people"]
    assert [edge["node"]["id"] for edge in people["edges"]] == ["Person:p-2"]
    assert people["totalCount"] == 1
    node = run(place, neo4j_settings, '{ node(id: "Person:p-1") { id } }')
    assert node["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    # Still counted by the organisations that support them.
    orgs = run(
        place, neo4j_settings, "{ organisations { edges { node { externalId peopleCount } } } }"
    )
    counts = {
        e["node"]["externalId"]: e["node"]["peopleCount"]
        for e in orgs["data"]["organisations"]["edges"]
    }
    assert counts == {"org-english": 1, "org-welcome": 3, "org-church": 1}


def test_no_personal_details_leave_the_graph(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    body = json.dumps(run(place, neo4j_settings, EVERYTHING_ABOUT_PEOPLE, {"sort": "ID"}))
    for detail in (
        "Amina",
        "amina@example.org",
        "1988-04-02",
        "Syrian",
        "refugee",
        "Secret",
        "Hidden",
    ):
        assert detail not in body


def _named(graphql_type: object) -> object:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type


def test_person_shows_only_the_allowed_fields() -> None:
    schema = build_schema()
    person = schema._schema.type_map["Person"]
    assert isinstance(person, GraphQLObjectType)
    assert set(person.fields) == {
        "id",
        "externalId",
        "stage",
        "stageHistory",
        "languages",
        "ielts",
        "rightToWork",
        "trainedAs",
        "homeArea",
        "skills",
        "supportedBy",
        # The one door to personal details, guarded by the access policy and by the
        # graph service's consent rule (tests/schema/test_personal_data.py).
        "personal",
    }
    assert "PersonalRecord" not in schema._schema.type_map


def test_people_are_reached_only_from_the_root() -> None:
    """No relationship field leads to a person: only root fields (``people``, ``node``,
    and the mutation that moves a person's stage) do."""
    schema = build_schema()._schema
    leads_to_people = set()
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            target = _named(field.type)
            reaches = {target} if not isinstance(target, GraphQLUnionType) else set(target.types)
            names = {getattr(t, "name", "") for t in reaches}
            if names & {"Person", "PersonConnection", "PersonEdge", "Node"}:
                leads_to_people.add(f"{type_name}.{field_name}")
    assert leads_to_people == {
        "Query.node",
        "Query.people",
        "Mutation.movePersonStage",
        "PersonConnection.edges",
        "PersonEdge.node",
    }
