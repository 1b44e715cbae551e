"""matchingCandidates and opportunitiesFor over two places (issue 15, isolation): a caller
of one place is ranked only its people, shown only its vacancies and the organisations
that close gaps there, and asking of a vacancy or person only the other place holds is
answered as an unknown id; from the graph and from the shared candidate index alike.

One person, one anchor and one organisation are in both places; every other id names its
place, so "bradford" anywhere in a Leeds caller's answer is a leak.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.services.candidate_index import CandidateIndexHolder
from graph.settings import Neo4jSettings
from tests.schema.place import load_places, run

pytestmark = pytest.mark.walks

PEOPLE = ["id", "home_area_id", "right_to_work", "trained_as", "ielts_overall", "stage",
          "consent_given_at", "consent_scopes", "organisation_ids"]  # fmt: skip
EDGES = ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "count"]
VACANCIES = ["id", "title", "anchor_id", "occupation_id", "min_ielts", "shortage", "status",
             "area_id"]  # fmt: skip
CONSENT = "2024-01-01T09:00:00"


def _place(name: str) -> list[tuple[str, list[str], list[list[object]]]]:
    people: list[list[object]] = [
        [f"p-{name}", f"area-{name}", "yes", "occ-nurse", "6.0", "accreditation", CONSENT,
         "matching", f"org-{name}"],
    ]  # fmt: skip
    people.append(["p-both", "", "yes", "occ-nurse", "6.5", "engaged", CONSENT, "matching",
                   "org-both"])  # fmt: skip
    return [
        ("areas", ["id", "name", "kind", "parent_id"], [
            [f"area-{name}", name.title(), "local_authority", ""],
        ]),
        ("organisations", ["id", "name", "org_type", "founded_year", "website", "area_id"], [
            [f"org-{name}", f"{name.title()} Welcome", "frontline", "2007", "", f"area-{name}"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
        ]),
        # Both offer the tuition that closes the English gap of every vacancy here.
        ("services", ["id", "name", "service_type", "organisation_id"], [
            [f"svc-{name}", f"{name.title()} IELTS", "ielts_tuition", f"org-{name}"],
        ]),
        ("anchors", ["id", "name", "sector", "employees", "area_id"], [
            ["anchor-both", "Northern Trust", "health", "9000", ""],
        ]),
        ("departments", ["id", "name", "kind", "anchor_id", "area_id"], [
            [f"hub-{name}", f"{name.title()} Works", "employment_hub", "anchor-both",
             f"area-{name}"],
        ]),
        ("vacancies", VACANCIES, [
            [f"vac-{name}", "Staff nurse", "anchor-both", "occ-nurse", "7.0", "true", "open",
             f"area-{name}"],
        ]),
        ("people", PEOPLE, people),
        ("edges", EDGES, [
            ["REFERS_TO", f"org-{name}", f"hub-{name}", "", "department", "0.8", "", "3"],
            ["REFERS_TO", "org-both", f"hub-{name}", "", "department", "0.6", "", "2"],
        ]),
    ]  # fmt: skip


LEEDS_ROLES = [Role.CASEWORKER, Role.ANALYST]
ADMIN = Caller(subject="t-admin", role=Role.ADMIN)
CANDIDATES = """query ($vacancy: ID!, $first: Int! = 20) {
  matchingCandidates(vacancyId: $vacancy, first: $first) {
  person vacancy score gaps { kind providers { organisation } }
  referralPath { nodes { id } } } }"""
OPPORTUNITIES = """query ($person: ID!) { opportunitiesFor(personId: $person, first: 20) {
  person vacancy gaps { providers { organisation } } referralPath { nodes { id } } } }"""


def _leeds(role: Role) -> Caller:
    organisation = "org-leeds" if role is Role.CASEWORKER else None
    return Caller(subject=f"t-{role}", role=role, organisation_id=organisation,
                  places=frozenset({"leeds"}))  # fmt: skip


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    places = {name: _place(name) for name in ("leeds", "bradford")}
    load_places(clean_db, neo4j_settings.database, tmp_path, places)
    return clean_db


@pytest.fixture(params=[False, True], ids=["graph", "index"])
def index(
    request: pytest.FixtureRequest, two_places: Driver, neo4j_settings: Neo4jSettings
) -> CandidateIndexHolder | None:
    """None: ranked from the graph; else from the shared candidate index."""
    if not request.param:
        return None
    holder = CandidateIndexHolder(two_places, neo4j_settings.database, rebuild_interval_s=3600)
    assert holder.refresh()
    return holder


# A question, its variables and who asks: the response's JSON shape.
Ask = Callable[[str, dict[str, Any], Caller], dict[str, Any]]


@pytest.fixture
def ask(two_places: Driver, neo4j_settings: Neo4jSettings,
        index: CandidateIndexHolder | None) -> Ask:  # fmt: skip
    def asked(query: str, variables: dict[str, Any], caller: Caller) -> dict[str, Any]:
        return run(two_places, neo4j_settings, query, variables, caller=caller,
                   candidate_index=index)  # fmt: skip

    return asked


@pytest.mark.parametrize("role", LEEDS_ROLES)
def test_a_caller_of_one_place_is_matched_only_within_it(ask: Ask, role: Role) -> None:
    caller = _leeds(role)
    # Two, the place's whole supply: p-bradford scores as p-leeds does and comes first by
    # id, so a ranking of both places cut down afterwards would give one person.
    body = ask(CANDIDATES,
                {"vacancy": "Vacancy:vac-leeds", "first": 2}, caller)  # fmt: skip
    assert "errors" not in body, body
    matches = body["data"]["matchingCandidates"]
    assert sorted(m["person"] for m in matches) == ["Person:p-both", "Person:p-leeds"]
    providers = {p["organisation"] for m in matches for g in m["gaps"]
                 for p in g["providers"]}  # fmt: skip
    assert providers == {"CommunityOrganisation:org-leeds"}
    assert all(m["referralPath"] for m in matches), matches
    opportunities = ask(OPPORTUNITIES, {"person": "Person:p-both"}, caller)
    assert [m["vacancy"] for m in opportunities["data"]["opportunitiesFor"]] == [
        "Vacancy:vac-leeds"
    ], opportunities
    for answer in (body, opportunities):
        assert "bradford" not in json.dumps(answer), answer


@pytest.mark.parametrize("role", LEEDS_ROLES)
def test_the_other_places_vacancy_or_person_is_an_unknown_id(ask: Ask, role: Role) -> None:
    caller = _leeds(role)
    for query, argument, ident in ((CANDIDATES, "vacancy", "Vacancy:vac-bradford"),
                                   (OPPORTUNITIES, "person", "Person:p-bradford")):  # fmt: skip
        unknown = ident.split(":")[0] + ":nowhere"
        expected = ask(query, {argument: unknown}, caller)
        assert expected["errors"][0]["extensions"]["code"] == "NOT_FOUND", expected
        got = ask(query, {argument: ident}, caller)
        assert json.dumps(got) == json.dumps(expected).replace("nowhere", ident.split(":")[1])


def test_an_administrator_is_matched_across_both(ask: Ask) -> None:
    body = ask(CANDIDATES, {"vacancy": "Vacancy:vac-bradford"}, ADMIN)
    matches = body["data"]["matchingCandidates"]
    assert sorted(m["person"] for m in matches) == [
        "Person:p-both", "Person:p-bradford", "Person:p-leeds"]  # fmt: skip
    providers = {p["organisation"] for m in matches for g in m["gaps"]
                 for p in g["providers"]}  # fmt: skip
    assert providers == {"CommunityOrganisation:org-bradford", "CommunityOrganisation:org-leeds"}
    # The trust has a hub in each place: a vacancy's paths start from its own place's.
    starts = {m["referralPath"]["nodes"][0]["id"] for m in matches if m["referralPath"]}
    assert starts == {"Department:hub-bradford"}, matches
    opportunities = ask(OPPORTUNITIES, {"person": "Person:p-both"}, ADMIN)
    assert sorted(m["vacancy"] for m in opportunities["data"]["opportunitiesFor"]) == [
        "Vacancy:vac-bradford", "Vacancy:vac-leeds"]  # fmt: skip
