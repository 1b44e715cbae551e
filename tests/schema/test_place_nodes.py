"""``node(id)`` and the relationship fields of the node types, as callers of one place, of
the other and an administrator ask them, over two places loaded with ``--place``
(issue 15, isolation): a node of another place is answered as an unknown id, and a
relationship field never lists a node outside the caller's places (a node in both is
shown to either)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.services import explore_links as links
from graph.settings import Neo4jSettings
from tests.schema.place import load_places, run

PEOPLE = ["id", "home_area_id", "right_to_work", "trained_as", "languages", "stage",
          "consent_given_at", "organisation_ids"]  # fmt: skip
EDGES = ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "count"]
# org-both and anchor-both are one node in both places; every other id names its place,
# so "bradford" appearing anywhere in an answer is a leak of the other place.
TABLES: dict[str, list[tuple[str, list[str], list[list[object]]]]] = {
    "leeds": [
        ("areas", ["id", "name", "kind", "parent_id"], [
            ["area-leeds", "Leeds", "local_authority", ""],
        ]),
        ("organisations", ["id", "name", "org_type", "founded_year", "website", "area_id"], [
            ["org-leeds", "Leeds Welcome", "frontline", "2007", "", "area-leeds"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
        ]),
        ("anchors", ["id", "name", "sector", "employees", "area_id"], [
            ["anchor-leeds", "Leeds Hospitals", "health", "20000", "area-leeds"],
            ["anchor-both", "Northern Rail", "transport", "9000", ""],
        ]),
        ("vacancies", ["id", "title", "anchor_id", "occupation_id"], [
            ["vac-leeds", "Staff nurse", "anchor-leeds", "occ-nurse"],
        ]),
        ("people", PEOPLE, [
            ["p-leeds", "area-leeds", "yes", "occ-nurse", "en:C1", "engaged",
             "2024-01-01T09:00:00", "org-both"],
        ]),
        ("edges", EDGES, [
            ["PARTNERS_WITH", "org-both", "org-leeds", "", "", "0.5", "", ""],
            ["REFERS_TO", "org-both", "anchor-leeds", "", "anchor", "0.5", "", "3"],
        ]),
    ],
    "bradford": [
        ("areas", ["id", "name", "kind", "parent_id"], [
            ["area-bradford", "Bradford", "local_authority", ""],
        ]),
        ("organisations", ["id", "name", "org_type", "founded_year", "website", "area_id"], [
            ["org-bradford", "Bradford Welcome", "frontline", "2010", "", "area-bradford"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
        ]),
        ("services", ["id", "name", "service_type", "organisation_id"], [
            ["svc-bradford", "Bradford casework", "casework", "org-both"],
        ]),
        ("anchors", ["id", "name", "sector", "employees", "area_id"], [
            ["anchor-bradford", "Bradford Hospitals", "health", "8000", "area-bradford"],
            ["anchor-both", "Northern Rail", "transport", "9000", ""],
        ]),
        ("vacancies", ["id", "title", "anchor_id", "occupation_id"], [
            ["vac-bradford", "Ward nurse", "anchor-bradford", "occ-nurse"],
            ["vac-both-bradford", "Station nurse", "anchor-both", "occ-nurse"],
        ]),
        ("people", PEOPLE, [
            ["p-bradford", "area-bradford", "yes", "occ-nurse", "en:C1", "engaged",
             "2024-01-01T09:00:00", "org-both;org-bradford"],
        ]),
        ("edges", EDGES, [
            ["REFERS_TO", "org-both", "org-bradford", "", "", "0.9", "", "7"],
            # A way from one Leeds node to another through Bradford: never walked for Leeds.
            ["REFERS_TO", "org-leeds", "org-bradford", "", "", "0.9", "", ""],
            ["REFERS_TO", "org-bradford", "anchor-leeds", "", "anchor", "0.9", "", ""],
            ["PARTNERS_WITH", "org-both", "anchor-bradford", "", "anchor", "0.5", "", ""],
        ]),
    ],
}  # fmt: skip

ORGANISATION = """{ node(id: "CommunityOrganisation:org-both") { ... on CommunityOrganisation {
  externalId area { externalId }
  services { externalId }
  refersTo { party { ... on Node { id } } count }
  partners { party { ... on Node { id } } } } } }"""
ANCHOR = """{ node(id: "AnchorInstitution:anchor-both") { ... on AnchorInstitution {
  externalId vacancies { externalId anchor { externalId } } departments { externalId } } } }"""
PERSON = """{ node(id: "Person:p-leeds") { ... on Person {
  externalId homeArea { externalId } supportedBy { organisation { externalId } } } } }"""
# Every id only the other place holds, of every placed label loaded.
BRADFORD_ONLY = [
    "Area:area-bradford",
    "CommunityOrganisation:org-bradford",
    "Service:svc-bradford",
    "AnchorInstitution:anchor-bradford",
    "Vacancy:vac-bradford",
    "Vacancy:vac-both-bradford",
    "Person:p-bradford",
]


def _leeds(role: Role) -> Caller:
    organisation = "org-leeds" if role is Role.CASEWORKER else None
    return Caller(subject=f"t-{role}", role=role, organisation_id=organisation,
                  places=frozenset({"leeds"}))  # fmt: skip


BRADFORD = Caller(subject="t-bradford", role=Role.ANALYST, places=frozenset({"bradford"}))
ADMIN = Caller(subject="t-admin", role=Role.ADMIN)
LEEDS_ROLES = [Role.PLACE_LEADER, Role.CASEWORKER, Role.ANALYST]


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    load_places(clean_db, neo4j_settings.database, tmp_path, TABLES)
    return clean_db


def _data(driver: Driver, settings: Neo4jSettings, query: str, caller: Caller) -> Any:
    body = run(driver, settings, query, caller=caller)
    assert "errors" not in body, body
    return body["data"]["node"]


def _error(driver: Driver, settings: Neo4jSettings, ident: str, caller: Caller) -> Any:
    body = run(driver, settings, f'{{ node(id: "{ident}") {{ id }} }}', caller=caller)
    assert body["data"] == {"node": None}, body
    (error,) = body["errors"]
    return error


@pytest.mark.parametrize("role", LEEDS_ROLES)
def test_another_places_node_is_answered_as_an_unknown_id(
    two_places: Driver, neo4j_settings: Neo4jSettings, role: Role
) -> None:
    for ident in BRADFORD_ONLY:
        unknown = ident.split(":")[0] + ":nowhere"
        expected = _error(two_places, neo4j_settings, unknown, _leeds(role))
        assert expected["extensions"]["code"] == "NOT_FOUND"
        expected["message"] = expected["message"].replace(unknown, ident)
        assert _error(two_places, neo4j_settings, ident, _leeds(role)) == expected, ident
        # An administrator, and a caller of the other place, find it.
        for caller in (ADMIN, BRADFORD):
            body = run(two_places, neo4j_settings, f'{{ node(id: "{ident}") {{ id }} }}',
                       caller=caller)  # fmt: skip
            assert body == {"data": {"node": {"id": ident}}}, (ident, caller)


@pytest.mark.parametrize("role", LEEDS_ROLES)
def test_relationship_fields_list_only_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings, role: Role
) -> None:
    caller = _leeds(role)
    organisation = _data(two_places, neo4j_settings, ORGANISATION, caller)
    assert organisation == {
        "externalId": "org-both",
        "area": None,
        "services": [],
        "refersTo": [{"party": {"id": "AnchorInstitution:anchor-leeds"}, "count": 3}],
        "partners": [{"party": {"id": "CommunityOrganisation:org-leeds"}}],
    }
    anchor = _data(two_places, neo4j_settings, ANCHOR, caller)
    assert anchor == {"externalId": "anchor-both", "vacancies": [], "departments": []}
    if role is not Role.PLACE_LEADER:  # a place leader sees no one individually
        person = _data(two_places, neo4j_settings, PERSON, caller)
        assert person == {
            "externalId": "p-leeds",
            "homeArea": {"externalId": "area-leeds"},
            "supportedBy": [{"organisation": {"externalId": "org-both"}}],
        }
    for query in (ORGANISATION, ANCHOR, PERSON):
        answer = json.dumps(run(two_places, neo4j_settings, query, caller=caller))
        assert "bradford" not in answer, answer


def test_the_other_place_and_an_administrator_see_their_own_and_all(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    bradford = _data(two_places, neo4j_settings, ORGANISATION, BRADFORD)
    assert bradford == {
        "externalId": "org-both",
        "area": None,
        "services": [{"externalId": "svc-bradford"}],
        "refersTo": [{"party": {"id": "CommunityOrganisation:org-bradford"}, "count": 7}],
        "partners": [{"party": {"id": "AnchorInstitution:anchor-bradford"}}],
    }
    everything = _data(two_places, neo4j_settings, ORGANISATION, ADMIN)
    assert everything == {
        "externalId": "org-both",
        "area": None,
        "services": [{"externalId": "svc-bradford"}],
        "refersTo": [
            {"party": {"id": "CommunityOrganisation:org-bradford"}, "count": 7},
            {"party": {"id": "AnchorInstitution:anchor-leeds"}, "count": 3},
        ],
        "partners": [
            {"party": {"id": "AnchorInstitution:anchor-bradford"}},
            {"party": {"id": "CommunityOrganisation:org-leeds"}},
        ],
    }
    anchor = _data(two_places, neo4j_settings, ANCHOR, ADMIN)
    assert anchor["vacancies"] == [
        {"externalId": "vac-both-bradford", "anchor": {"externalId": "anchor-both"}}
    ]
    assert _data(two_places, neo4j_settings, ANCHOR, BRADFORD)["vacancies"] == anchor["vacancies"]


def test_neighbours_are_scoped_where_they_are_read(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """The graph services list no neighbour outside the places asked for, so no field
    resting on them needs the node loaders to drop another place's ids."""
    db = neo4j_settings.database
    leeds = ["leeds"]
    services = links.linked_ids(two_places, db, links.Link.ORGANISATION_SERVICES, ["org-both"],
                                places=leeds)  # fmt: skip
    vacancies = links.linked_ids(two_places, db, links.Link.ANCHOR_VACANCIES, ["anchor-both"],
                                 places=leeds)  # fmt: skip
    assert (services, vacancies) == ([[]], [[]])
    referrals = links.ties(two_places, db, links.TieKind.REFERRALS, ["org-both"], places=leeds)
    partners = links.ties(two_places, db, links.TieKind.PARTNERS, ["org-both"], places=leeds)
    assert [[tie.target.id for tie in found] for found in referrals + partners] == [
        ["anchor-leeds"],
        ["org-leeds"],
    ]
    (supporters,) = links.person_supporters(two_places, db, ["p-bradford"], places=["bradford"])
    assert sorted(s.organisation_id for s in supporters) == ["org-both", "org-bradford"]
    assert links.person_supporters(two_places, db, ["p-bradford"], places=leeds) == [
        [links.Support(organisation_id="org-both", strength=None, since=None)]
    ]
    # Every place: each of them.
    everything = links.ties(two_places, db, links.TieKind.REFERRALS, ["org-both"], places=None)
    assert sorted(tie.target.id for tie in everything[0]) == ["anchor-leeds", "org-bradford"]


PATHS = """query ($from: ID!, $to: ID!) { referralPaths(from: $from, to: $to, k: 3) {
  nodes { id } } }"""


def _paths(driver: Driver, settings: Neo4jSettings, caller: Caller, ends: tuple[str, str]) -> Any:
    return run(driver, settings, PATHS, {"from": ends[0], "to": ends[1]}, caller=caller)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ANALYST])
def test_referral_paths_never_step_outside_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings, role: Role
) -> None:
    ends = ("CommunityOrganisation:org-leeds", "AnchorInstitution:anchor-leeds")
    leeds = _paths(two_places, neo4j_settings, _leeds(role), ends)
    assert leeds == {"data": {"referralPaths": [{"nodes": [
        {"id": "CommunityOrganisation:org-leeds"},
        {"id": "CommunityOrganisation:org-both"},
        {"id": "AnchorInstitution:anchor-leeds"},
    ]}]}}  # fmt: skip
    everywhere = _paths(two_places, neo4j_settings, ADMIN, ends)["data"]["referralPaths"]
    assert [[n["id"] for n in path["nodes"]] for path in everywhere] == [
        [
            "CommunityOrganisation:org-leeds",
            "CommunityOrganisation:org-bradford",
            "AnchorInstitution:anchor-leeds",
        ],
        [
            "CommunityOrganisation:org-leeds",
            "CommunityOrganisation:org-both",
            "AnchorInstitution:anchor-leeds",
        ],
        [
            "CommunityOrganisation:org-leeds",
            "CommunityOrganisation:org-both",
            "CommunityOrganisation:org-bradford",
            "AnchorInstitution:anchor-leeds",
        ],
    ]
    # An end in the other place is answered as an unknown one, for either end.
    for ident, other in (("AnchorInstitution:anchor-bradford", "AnchorInstitution:nowhere"),
                         ("Vacancy:vac-bradford", "Vacancy:nowhere")):  # fmt: skip
        found = _paths(two_places, neo4j_settings, _leeds(role), (ends[0], ident))
        unknown = _paths(two_places, neo4j_settings, _leeds(role), (ends[0], other))
        assert found["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert json.dumps(found) == json.dumps(unknown).replace("nowhere", ident.split(":")[1])
    found = _paths(two_places, neo4j_settings, _leeds(role),
                   ("CommunityOrganisation:org-bradford", ends[1]))  # fmt: skip
    assert found["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "bradford" not in json.dumps(leeds)


NETWORK = """query ($anchor: ID!) { partnershipNetwork(anchorId: $anchor) {
  nodes { id } ties { source target } } }"""


def _about(driver: Driver, settings: Neo4jSettings, query: str) -> Callable[[Caller, str], Any]:
    """The question ``query`` about an anchor, as a caller asks it."""

    def ask(caller: Caller, anchor: str) -> Any:
        return run(driver, settings, query, {"anchor": anchor}, caller=caller)

    return ask


def test_the_partnership_network_is_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    network = _about(two_places, neo4j_settings, NETWORK)

    leader = _leeds(Role.PLACE_LEADER)
    leeds = network(leader, "AnchorInstitution:anchor-leeds")["data"]["partnershipNetwork"]
    assert sorted(n["id"] for n in leeds["nodes"]) == [
        "AnchorInstitution:anchor-leeds",
        "CommunityOrganisation:org-both",
        "CommunityOrganisation:org-leeds",
    ]
    assert "bradford" not in json.dumps(leeds)
    everything = network(ADMIN, "AnchorInstitution:anchor-leeds")["data"]["partnershipNetwork"]
    assert "CommunityOrganisation:org-bradford" in {n["id"] for n in everything["nodes"]}
    found = network(leader, "AnchorInstitution:anchor-bradford")
    unknown = network(leader, "AnchorInstitution:nowhere")
    assert found["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert json.dumps(found) == json.dumps(unknown).replace("nowhere", "anchor-bradford")


FOOTPRINT = """query ($anchor: ID!) { anchorFootprint(anchorId: $anchor) {
  communityOrganisations } }"""


def test_the_footprint_counts_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    footprint = _about(two_places, neo4j_settings, FOOTPRINT)

    analyst = _leeds(Role.ANALYST)
    anchor = "AnchorInstitution:anchor-leeds"
    # org-both refers to it in Leeds, org-bradford from Bradford: Leeds counts one.
    assert footprint(analyst, anchor)["data"] == {"anchorFootprint": {"communityOrganisations": 1}}
    assert footprint(ADMIN, anchor)["data"] == {"anchorFootprint": {"communityOrganisations": 2}}
    found = footprint(analyst, "AnchorInstitution:anchor-bradford")
    unknown = footprint(analyst, "AnchorInstitution:nowhere")
    assert json.dumps(found) == json.dumps(unknown).replace("nowhere", "anchor-bradford")
