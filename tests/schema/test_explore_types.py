"""Every type of the explore schema, reached through its relationships, with exact values."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.schema.place import run


def _data(driver: Driver, settings: Neo4jSettings, query: str, **variables: Any) -> Any:
    body = run(driver, settings, query, variables or None)
    assert "errors" not in body, body
    return body["data"]


def _nodes(connection: dict[str, Any]) -> list[Any]:
    return [edge["node"] for edge in connection["edges"]]


ORGANISATIONS = """
{
  organisations {
    totalCount
    edges { node {
      id externalId name orgType foundedYear
      area { id kind }
      services { id name serviceType organisation { id } }
      refersTo { strength count since party { __typename ... on Node { id } } }
      partners { party { __typename ... on Node { id } } }
      peopleCount
      properties { id name owner { __typename ... on Node { id } } }
    } }
  }
}
"""


def test_organisations_with_services_ties_counts_and_properties(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    data = _data(place, neo4j_settings, ORGANISATIONS)["organisations"]
    assert data["totalCount"] == 3
    assert _nodes(data) == [
        {
            "id": "CommunityOrganisation:org-english",
            "externalId": "org-english",
            "name": "English for Work",
            "orgType": "INTERMEDIARY",
            "foundedYear": 2012,
            "area": {"id": "Area:E01011331", "kind": "LSOA"},
            "services": [
                {
                    "id": "Service:svc-ielts",
                    "name": "IELTS preparation",
                    "serviceType": "IELTS_TUITION",
                    "organisation": {"id": "CommunityOrganisation:org-english"},
                }
            ],
            "refersTo": [],
            "partners": [
                {"party": {"__typename": "AnchorInstitution", "id": "AnchorInstitution:anchor-lth"}}
            ],
            "peopleCount": 1,
            "properties": [],
        },
        {
            "id": "CommunityOrganisation:org-welcome",
            "externalId": "org-welcome",
            "name": "Refugee Welcome",
            "orgType": "FRONTLINE",
            "foundedYear": 2007,
            "area": {"id": "Area:E05011400", "kind": "WARD"},
            "services": [
                {
                    "id": "Service:svc-casework",
                    "name": "Casework",
                    "serviceType": "CASEWORK",
                    "organisation": {"id": "CommunityOrganisation:org-welcome"},
                }
            ],
            "refersTo": [
                {
                    "strength": 0.7,
                    "count": 30,
                    "since": None,
                    "party": {"__typename": "Department", "id": "Department:dept-hub"},
                },
                {
                    "strength": 0.8,
                    "count": 12,
                    "since": "2019-05-01",
                    "party": {
                        "__typename": "CommunityOrganisation",
                        "id": "CommunityOrganisation:org-english",
                    },
                },
            ],
            "partners": [
                {
                    "party": {
                        "__typename": "CommunityOrganisation",
                        "id": "CommunityOrganisation:org-church",
                    }
                }
            ],
            # p-1 consented; p-3 never did and p-4 withdrew, but a count names nobody.
            "peopleCount": 3,
            "properties": [],
        },
        {
            "id": "CommunityOrganisation:org-church",
            "externalId": "org-church",
            "name": "St Aidan's Welcome",
            "orgType": "FAITH_GROUP",
            "foundedYear": 1999,
            "area": {"id": "Area:E01011332", "kind": "LSOA"},
            "services": [],
            "refersTo": [],
            "partners": [
                {
                    "party": {
                        "__typename": "CommunityOrganisation",
                        "id": "CommunityOrganisation:org-welcome",
                    }
                }
            ],
            "peopleCount": 1,
            "properties": [
                {
                    "id": "Property:prop-hall",
                    "name": "Church hall",
                    "owner": {
                        "__typename": "CommunityOrganisation",
                        "id": "CommunityOrganisation:org-church",
                    },
                }
            ],
        },
    ]


ANCHORS = """
{
  anchors {
    edges { node {
      id name sector employees isMacroAsset
      area { externalId }
      departments { id kind anchor { id } area { id } }
      properties { id kind sizeSqm availableForCommunity owner { ... on Node { id } } area { id } }
      vacancies {
        id title status shortage minIelts closes
        anchor { id }
        area { id }
        occupation {
          id preferredLabel regulated regulator
          skills { essential skill { id } }
          qualifications { id title awardingCountry recognition occupation { id } }
        }
        essentialSkills { id broader { id narrower { id } } }
        optionalSkills { id skillType }
      }
    } }
  }
}
"""


def test_anchors_with_departments_properties_vacancies_and_taxonomy(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    anchors = _nodes(_data(place, neo4j_settings, ANCHORS)["anchors"])
    assert [a["id"] for a in anchors] == [
        "AnchorInstitution:anchor-council",
        "AnchorInstitution:anchor-lth",
    ]
    council, hospital = anchors
    assert council["departments"] == council["properties"] == council["vacancies"] == []
    care = {
        "id": "Skill:skill-care",
        "narrower": [{"id": "Skill:skill-meds"}, {"id": "Skill:skill-triage"}],
    }
    assert hospital == {
        "id": "AnchorInstitution:anchor-lth",
        "name": "Leeds Teaching Hospitals",
        "sector": "health",
        "employees": 20000,
        "isMacroAsset": True,
        "area": {"externalId": "E08000035"},
        "departments": [
            {
                "id": "Department:dept-hub",
                "kind": "EMPLOYMENT_HUB",
                "anchor": {"id": "AnchorInstitution:anchor-lth"},
                "area": {"id": "Area:E05011400"},
            }
        ],
        "properties": [
            {
                "id": "Property:prop-land",
                "kind": "LAND",
                "sizeSqm": None,
                "availableForCommunity": False,
                "owner": {"id": "AnchorInstitution:anchor-lth"},
                "area": {"id": "Area:E08000035"},
            }
        ],
        "vacancies": [
            {
                "id": "Vacancy:vac-hca",
                "title": "Healthcare assistant",
                "status": "OPEN",
                "shortage": False,
                "minIelts": None,
                "closes": None,
                "anchor": {"id": "AnchorInstitution:anchor-lth"},
                "area": None,
                "occupation": {
                    "id": "Occupation:occ-hca",
                    "preferredLabel": "healthcare assistant",
                    "regulated": False,
                    "regulator": None,
                    "skills": [],
                    "qualifications": [],
                },
                "essentialSkills": [],
                "optionalSkills": [],
            },
            {
                "id": "Vacancy:vac-nurse",
                "title": "Staff nurse",
                "status": "OPEN",
                "shortage": True,
                "minIelts": 7.0,
                "closes": "2025-03-31",
                "anchor": {"id": "AnchorInstitution:anchor-lth"},
                "area": {"id": "Area:E01011331"},
                "occupation": {
                    "id": "Occupation:occ-nurse",
                    "preferredLabel": "nurse",
                    "regulated": True,
                    "regulator": "Nursing and Midwifery Council",
                    "skills": [
                        {"essential": True, "skill": {"id": "Skill:skill-triage"}},
                        {"essential": False, "skill": {"id": "Skill:skill-meds"}},
                    ],
                    "qualifications": [
                        {
                            "id": "Qualification:q-bsc-nursing",
                            "title": "BSc Nursing",
                            "awardingCountry": "Syria",
                            "recognition": "PARTIAL",
                            "occupation": {"id": "Occupation:occ-nurse"},
                        }
                    ],
                },
                "essentialSkills": [
                    {"id": "Skill:skill-meds", "broader": [care]},
                    {"id": "Skill:skill-triage", "broader": [care]},
                ],
                "optionalSkills": [{"id": "Skill:skill-english", "skillType": "LANGUAGE"}],
            },
        ],
    }


PERSON = """
query ($id: ID!) {
  node(id: $id) {
    __typename
    ... on Person {
      id externalId stage rightToWork
      stageHistory { stage reachedOn }
      languages { language cefr }
      ielts { overall listening reading writing speaking takenOn }
      trainedAs { id }
      homeArea { id parent { id parent { id parent { id } } } }
      skills { id }
      supportedBy { strength since organisation { id } }
    }
  }
}
"""


def test_a_person_shows_pathway_and_skills(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    assert _data(place, neo4j_settings, PERSON, id="Person:p-1")["node"] == {
        "__typename": "Person",
        "id": "Person:p-1",
        "externalId": "p-1",
        "stage": "LANGUAGE_TRAINING",
        "rightToWork": True,
        "stageHistory": [
            {"stage": "ENGAGED", "reachedOn": "2023-01-10"},
            {"stage": "LANGUAGE_TRAINING", "reachedOn": "2023-06-01"},
        ],
        "languages": [{"language": "ar", "cefr": "C2"}, {"language": "en", "cefr": "B2"}],
        "ielts": {
            "overall": 6.5,
            "listening": None,
            "reading": 7.0,
            "writing": None,
            "speaking": None,
            "takenOn": None,
        },
        "trainedAs": {"id": "Occupation:occ-nurse"},
        "homeArea": {
            "id": "Area:E01011331",
            "parent": {"id": "Area:E05011400", "parent": {"id": "Area:E08000035", "parent": None}},
        },
        "skills": [{"id": "Skill:skill-triage"}],
        "supportedBy": [
            {
                "strength": 0.9,
                "since": "2023-01-10",
                "organisation": {"id": "CommunityOrganisation:org-welcome"},
            },
            {
                "strength": 0.6,
                "since": None,
                "organisation": {"id": "CommunityOrganisation:org-english"},
            },
        ],
    }


def test_areas_and_their_children(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    query = "{ areas(filter: {kind: WARD}) { edges { node { name children { name } } } } }"
    assert _nodes(_data(place, neo4j_settings, query)["areas"]) == [
        {"name": "Burmantofts and Richmond Hill", "children": []},
        {
            "name": "Gipton and Harehills",
            "children": [{"name": "Leeds 036A"}, {"name": "Leeds 036B"}],
        },
    ]


@pytest.mark.parametrize(
    ("global_id", "typename"),
    [
        ("Person:p-2", "Person"),
        ("Skill:skill-care", "Skill"),
        ("Occupation:occ-nurse", "Occupation"),
        ("Qualification:q-bsc-nursing", "Qualification"),
        ("CommunityOrganisation:org-church", "CommunityOrganisation"),
        ("Service:svc-ielts", "Service"),
        ("AnchorInstitution:anchor-council", "AnchorInstitution"),
        ("Department:dept-hub", "Department"),
        ("Vacancy:vac-hca", "Vacancy"),
        ("Property:prop-hall", "Property"),
        ("Area:E05011401", "Area"),
    ],
)
def test_node_finds_each_kind(
    place: Driver, neo4j_settings: Neo4jSettings, global_id: str, typename: str
) -> None:
    query = "query ($id: ID!) { node(id: $id) { __typename id } }"
    data = _data(place, neo4j_settings, query, id=global_id)
    assert data == {"node": {"__typename": typename, "id": global_id}}


@pytest.mark.parametrize(
    "global_id",
    [
        "Area:E99999999",  # a kind we know, an id we do not
        "Skill:occ-nurse",  # an id of another kind
        "PersonalRecord:p-1",  # personal details are never a node here
        "Planet:p-1",
        "p-1",
        "",
    ],
)
def test_node_of_an_unknown_id_is_not_found(
    place: Driver, neo4j_settings: Neo4jSettings, global_id: str
) -> None:
    query = "query ($id: ID!) { node(id: $id) { id } }"
    body = run(place, neo4j_settings, query, {"id": global_id})
    assert body == {
        "data": {"node": None},
        "errors": [
            {
                "message": f"No node has id '{global_id}'.",
                "locations": [{"line": 1, "column": 20}],
                "path": ["node"],
                "extensions": {"code": "NOT_FOUND"},
            }
        ],
    }


@pytest.mark.parametrize(
    ("field", "arguments", "expected"),
    [
        # A ward's residents include those of the LSOAs within it.
        ("people", 'filter: {area: "Area:E05011400"}', ["p-1", "p-2"]),
        ("people", 'filter: {area: "Area:E01011332"}', ["p-2"]),
        ("people", 'filter: {skill: "Skill:skill-triage"}', ["p-1"]),
        ("people", 'filter: {trainedAs: "Occupation:occ-hca"}', ["p-2"]),
        ("people", "filter: {stage: ENGAGED}", ["p-2"]),
        ("people", "filter: {rightToWork: false}", []),
        ("organisations", "filter: {orgType: FAITH_GROUP}", ["org-church"]),
        (
            "organisations",
            'filter: {area: "Area:E05011400"}',
            ["org-english", "org-welcome", "org-church"],
        ),
        ("organisations", 'filter: {search: "WELCOME"}', ["org-welcome", "org-church"]),
        ("organisations", "sort: FOUNDED_YEAR", ["org-church", "org-welcome", "org-english"]),
        ("vacancies", "filter: {shortage: true}", ["vac-nurse"]),
        ("vacancies", "filter: {status: OPEN}", ["vac-nurse", "vac-hca"]),
        ("vacancies", 'filter: {occupation: "Occupation:occ-hca"}', ["vac-hca"]),
        ("vacancies", 'filter: {anchor: "AnchorInstitution:anchor-council"}', []),
        ("vacancies", 'filter: {area: "Area:E05011400"}', ["vac-nurse"]),
        ("skills", 'filter: {search: "TRIAG"}', ["skill-triage"]),
        ("skills", "filter: {skillType: LANGUAGE}", ["skill-english"]),
        ("skills", "sort: ID, first: 2", ["skill-care", "skill-english"]),
        ("occupations", "filter: {regulated: true}", ["occ-nurse"]),
        ("qualifications", 'filter: {occupation: "Occupation:occ-nurse"}', ["q-bsc-nursing"]),
        (
            "services",
            'filter: {organisation: "CommunityOrganisation:org-welcome"}',
            ["svc-casework"],
        ),
        ("departments", "filter: {kind: EMPLOYMENT_HUB}", ["dept-hub"]),
        ("properties", 'filter: {owner: "AnchorInstitution:anchor-lth"}', ["prop-land"]),
        ("properties", 'filter: {owner: "CommunityOrganisation:anchor-lth"}', []),
        ("properties", "filter: {availableForCommunity: true}", ["prop-hall"]),
        ("properties", "sort: SIZE_DESC", ["prop-hall", "prop-land"]),
        ("areas", 'filter: {parent: "Area:E08000035"}', ["E05011401", "E05011400"]),
        ("anchors", "sort: EMPLOYEES_DESC", ["anchor-lth", "anchor-council"]),
        ("anchors", 'filter: {sector: "council"}', ["anchor-council"]),
    ],
)
def test_list_filters_and_sorts(
    place: Driver, neo4j_settings: Neo4jSettings, field: str, arguments: str, expected: list[str]
) -> None:
    query = f"{{ {field}({arguments}) {{ totalCount edges {{ node {{ externalId }} }} }} }}"
    connection = _data(place, neo4j_settings, query)[field]
    assert [node["externalId"] for node in _nodes(connection)] == expected
    if "first" not in arguments:
        assert connection["totalCount"] == len(expected)


def test_a_filter_naming_the_wrong_kind_is_bad_user_input(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    body = run(
        place, neo4j_settings, '{ people(filter: {area: "Skill:skill-care"}) { totalCount } }'
    )
    assert body["data"] is None
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (
            "filter.area must name a node of type Area, written 'Area:<external id>'",
            {"code": "BAD_USER_INPUT"},
        )
    ]
