"""funnel, impact, anchorFootprint and partnershipNetwork on small hand-built graphs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from tests.schema.place import into_default_place, run

ANCHORS = """
CREATE (trust:AnchorInstitution {id: 'trust', name: 'City Hospital', sector: 'health',
        employees: 300, annual_spend_gbp: 500000.0, land_hectares: 2.0, significant_land: false})
CREATE (uni:AnchorInstitution {id: 'uni', name: 'City University', sector: 'education'})
CREATE (nurse:Occupation {id: 'nurse', preferred_label: 'nurse'})
CREATE (doctor:Occupation {id: 'doctor', preferred_label: 'doctor'})
CREATE (:Occupation {id: 'care', preferred_label: 'care worker'})
CREATE (trust)-[:POSTS]->(:Vacancy {id: 'v-nurse', title: 'Nurse', shortage: true, status: 'open',
        salary_min_gbp: 30000.0, salary_max_gbp: 34000.0})-[:FOR_OCCUPATION]->(nurse)
CREATE (trust)-[:POSTS]->(:Vacancy {id: 'v-doc', title: 'Doctor', shortage: true,
        status: 'filled', salary_min_gbp: 50000.0, salary_max_gbp: 60000.0})-[:FOR_OCCUPATION]->(doctor)
CREATE (uni)-[:POSTS]->(:Vacancy {id: 'v-uni', title: 'Research nurse', status: 'filled'})
       -[:FOR_OCCUPATION]->(nurse)
"""

# a, b, g: nurses (g's one stage undated); c: a doctor placed at the trust; d: a care
# worker who applied to a trust post; e: placed at the university; f: no tie to the trust.
FUNNEL_PEOPLE = """
UNWIND $people AS row
CREATE (p:Person {id: row.id, trained_as: row.occupation, stage: row.stage,
                  stage_names: row.names, stage_dates: [d IN row.dates | date(d)]})
WITH p, row
OPTIONAL MATCH (v:Vacancy {id: row.placed})
FOREACH (_ IN CASE WHEN v IS NULL THEN [] ELSE [1] END | CREATE (p)-[:PLACED_IN]->(v))
WITH p, row
OPTIONAL MATCH (w:Vacancy {id: row.applied})
FOREACH (_ IN CASE WHEN w IS NULL THEN [] ELSE [1] END | CREATE (p)-[:APPLIED_TO]->(w))
"""


def _person(ident: str, occupation: str, steps: dict[str, str], **more: str) -> dict[str, Any]:
    stage = more.get("stage") or list(steps)[-1]
    return {"id": ident, "occupation": occupation, "stage": stage,
            "names": list(steps), "dates": list(steps.values()), "placed": more.get("placed"),
            "applied": more.get("applied")}  # fmt: skip


PEOPLE = [
    _person("a", "nurse", {"engaged": "2024-01-01", "language_training": "2024-01-11",
                           "accreditation": "2024-03-01"}),
    _person("b", "nurse", {"engaged": "2024-02-01"}),
    _person("c", "doctor", {"engaged": "2023-06-01", "language_training": "2023-07-01",
                            "accreditation": "2023-09-01", "placement": "2024-01-01",
                            "employed": "2024-04-01"}, placed="v-doc"),
    _person("d", "care", {"engaged": "2024-05-01", "language_training": "2024-06-01",
                          "placement": "2024-08-01"}, applied="v-nurse"),
    _person("e", "nurse", {"engaged": "2022-01-01", "placement": "2022-06-01",
                           "employed": "2022-09-01"}, placed="v-uni"),
    _person("f", "care", {"engaged": "2024-01-01"}),
    _person("g", "nurse", {}, stage="engaged"),
]  # fmt: skip

ADMIN = Caller(subject="t-admin", role=Role.ADMIN)
LEADER = Caller(subject="t-leader", role=Role.PLACE_LEADER)
ANALYST = Caller(subject="t-analyst", role=Role.ANALYST)

FUNNEL = """query ($from: Date, $to: Date, $by: FunnelGroupBy) {
  funnel(anchorId: "AnchorInstitution:trust", from: $from, to: $to, groupBy: $by) {
    anchor from to groupBy countsRounded
    stages { stage reached movedOn conversion medianDaysToNext }
    groups { key name stages { stage reached movedOn conversion medianDaysToNext } }
  }
}"""


@pytest.fixture
def graph(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(ANCHORS, database_=neo4j_settings.database)
    return clean_db


def _data(body: dict[str, Any]) -> Any:
    assert "errors" not in body, body["errors"]
    return body["data"]


def _rows(stages: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {
        s["stage"]: (s["reached"], s["movedOn"], s["conversion"], s["medianDaysToNext"])
        for s in stages
    }


def test_funnel_counts_conversion_and_median(graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    graph.execute_query(FUNNEL_PEOPLE, people=PEOPLE, database_=neo4j_settings.database)
    funnel = _data(run(graph, neo4j_settings, FUNNEL, {"by": "OCCUPATION"}))["funnel"]
    assert funnel["countsRounded"] is False
    # a, b, c, d and g: e was taken on by the university, f has nothing to do with the trust.
    assert _rows(funnel["stages"]) == {
        "ENGAGED": (5, 3, 0.6, 30.0),
        "LANGUAGE_TRAINING": (3, 3, 1.0, 61.0),
        "ACCREDITATION": (2, 1, 0.5, 122.0),
        "PLACEMENT": (2, 1, 0.5, 91.0),
        "EMPLOYED": (1, 0, 0.0, None),
        "REGISTERED": (0, 0, None, None),
    }
    groups = {g["name"]: g for g in funnel["groups"]}
    assert [g["name"] for g in funnel["groups"]] == ["care worker", "doctor", "nurse"]
    assert groups["nurse"]["key"] == "Occupation:nurse"
    assert _rows(groups["nurse"]["stages"])["ENGAGED"] == (3, 1, 0.3333, 10.0)
    assert _rows(groups["care worker"]["stages"])["PLACEMENT"] == (1, 0, 0.0, None)


def test_funnel_in_a_period(graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    graph.execute_query(FUNNEL_PEOPLE, people=PEOPLE, database_=neo4j_settings.database)
    period = {"from": "2024-01-01", "to": "2024-06-30"}
    funnel = _data(run(graph, neo4j_settings, FUNNEL, period))["funnel"]
    assert (funnel["from"], funnel["to"], funnel["groups"]) == ("2024-01-01", "2024-06-30", [])
    assert _rows(funnel["stages"])["ENGAGED"] == (3, 2, 0.6667, 20.5)
    assert _rows(funnel["stages"])["LANGUAGE_TRAINING"] == (2, 1, 0.5, 50.0)


def _crowd(prefix: str, count: int, occupation: str, steps: dict[str, str]) -> list[dict[str, Any]]:
    return [_person(f"{prefix}{i}", occupation, steps) for i in range(count)]


def test_place_leaders_see_the_funnel_suppressed_and_rounded(
    graph: Driver, neo4j_settings: Neo4jSettings
) -> None:
    people = _crowd("n", 13, "nurse", {"engaged": "2024-01-01", "language_training": "2024-02-01"})
    people += _crowd("m", 4, "nurse", {"engaged": "2024-01-01"})
    people += _crowd("d", 3, "doctor", {"engaged": "2024-01-01", "language_training": "2024-03-01"})
    graph.execute_query(FUNNEL_PEOPLE, people=people, database_=neo4j_settings.database)
    exact = _data(run(graph, neo4j_settings, FUNNEL, {"by": "OCCUPATION"}))["funnel"]
    shown = _data(run(graph, neo4j_settings, FUNNEL, {"by": "OCCUPATION"}, LEADER))["funnel"]
    assert _rows(exact["stages"])["ENGAGED"] == (20, 16, 0.8, 31.0)
    assert shown["countsRounded"] is True
    # 16 of 20 moved on: the 4 who stayed are a small cell, so the 16 is hidden too.
    assert _rows(shown["stages"])["ENGAGED"] == (20, None, None, None)
    assert _rows(shown["stages"])["LANGUAGE_TRAINING"] == (15, 0, 0.0, None)
    nurses, doctors = (
        _rows(g["stages"]) for g in sorted(shown["groups"], key=lambda g: g["name"], reverse=True)
    )
    # 17 nurses and 3 doctors engaged: the doctors' small cell hides the nurses' too,
    # or the total would give it away.
    assert (nurses["ENGAGED"][0], doctors["ENGAGED"][0]) == (None, None)
    assert (nurses["LANGUAGE_TRAINING"][0], doctors["LANGUAGE_TRAINING"][0]) == (None, None)
    # An analyst sees the same exactly.
    analyst = _data(run(graph, neo4j_settings, FUNNEL, {"by": "OCCUPATION"}, ANALYST))["funnel"]
    assert analyst["stages"] == exact["stages"]


IMPACT_PEOPLE = """
UNWIND $people AS row
MATCH (v:Vacancy {id: row.vacancy})
CREATE (p:Person {id: row.id, stage: row.stage, stage_names: row.names})-[:PLACED_IN]->(v)
"""

TRAINED = ["engaged", "language_training", "accreditation", "placement", "employed"]
UNTRAINED = ["engaged", "accreditation", "placement", "employed"]


def _placed(prefix: str, count: int, vacancy: str, stage: str, names: list[str]) -> list[Any]:
    return [{"id": f"{prefix}{i}", "vacancy": vacancy, "stage": stage, "names": names}
            for i in range(count)]  # fmt: skip


@pytest.fixture
def placed(graph: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    people = _placed("n", 10, "v-nurse", "employed", TRAINED)
    people += _placed("u", 2, "v-nurse", "employed", UNTRAINED)
    people += _placed("d", 3, "v-doc", "registered", [*TRAINED, "registered"])
    # Not counted: still on a placement, or taken on by the university.
    people += _placed("p", 1, "v-nurse", "placement", TRAINED[:4])
    people += _placed("x", 1, "v-uni", "employed", TRAINED)
    graph.execute_query(IMPACT_PEOPLE, people=people, database_=neo4j_settings.database)
    return graph


IMPACT = """query ($assumptions: ImpactAssumptionsInput) {
  impact(anchorId: "AnchorInstitution:trust", assumptions: $assumptions) {
    anchor placed meanAnnualSalaryGbp earningsGbp publicSavingsGbp totalGbp
    components { key effect people amountGbp
      lines { label people unitGbp multiplier amountGbp }
      assumptions { name value unit source } }
  }
}"""


def _amounts(impact: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["key"]: (c["people"], c["amountGbp"]) for c in impact["components"]}


def test_impact_against_hand_worked_figures(placed: Driver, neo4j_settings: Neo4jSettings) -> None:
    assumptions = {
        "salaries": [{"occupation": "Occupation:doctor", "annualSalaryGbp": 60000}],
        "welfarePerPersonMonthGbp": 400,
        "welfareMonths": 6,
        "languageTrainingCostPerPersonGbp": 1500,
        "agencyPremiumPerPostGbp": 10000,
    }
    impact = _data(run(placed, neo4j_settings, IMPACT, {"assumptions": assumptions}))["impact"]
    assert impact["placed"] == 15
    assert _amounts(impact) == {
        "salaries": (15, 564_000.0),  # 3 doctors x 60,000 + 12 nurses x 32,000 (posted midpoint)
        "welfare": (15, 36_000.0),  # 15 x 400 x 6
        "language_training": (13, 19_500.0),  # the 2 who skipped it cost nothing
        "agency_premium": (15, 150_000.0),
    }
    assert (impact["meanAnnualSalaryGbp"], impact["publicSavingsGbp"], impact["totalGbp"]) == (
        37_600.0, 166_500.0, 730_500.0,
    )  # fmt: skip
    lines = impact["components"][0]["lines"]
    assert [(line["label"], line["people"], line["unitGbp"]) for line in lines] == [
        ("doctor", 3, 60_000.0),
        ("nurse", 12, 32_000.0),
    ]


def test_place_leaders_get_impact_worked_from_what_they_may_see(
    placed: Driver, neo4j_settings: Neo4jSettings
) -> None:
    impact = _data(run(placed, neo4j_settings, IMPACT, caller=LEADER))["impact"]
    assert impact["placed"] == 15
    lines = impact["components"][0]["lines"]
    # 3 doctors is a small cell; the 12 nurses would give it away (15 - 12), so both hide,
    # and the 15 are valued together at the mean of 55,000 and 32,000 posted.
    assert [(line["label"], line["people"], line["amountGbp"]) for line in lines] == [
        ("doctor", None, None),
        ("nurse", None, None),
        ("occupations with too few people to show", 15, 652_500.0),
    ]
    # 13 of 15 trained: the 2 who were not are a small cell.
    assert _amounts(impact)["language_training"] == (None, None)
    assert _amounts(impact)["welfare"] == (15, 70_821.0)
    assert (impact["earningsGbp"], impact["publicSavingsGbp"], impact["totalGbp"]) == (
        652_500.0, None, None,
    )  # fmt: skip


FOOTPRINT_GRAPH = """
MATCH (trust:AnchorInstitution {id: 'trust'}), (uni:AnchorInstitution {id: 'uni'})
CREATE (hub:Department {id: 'hub', name: 'Learning Works', kind: 'employment_hub'})-[:PART_OF]->(trust)
CREATE (other:Department {id: 'uni-office', name: 'Outreach', kind: 'department'})-[:PART_OF]->(uni)
CREATE (o1:CommunityOrganisation {id: 'o1', name: 'Refugee Support', org_type: 'frontline'})
CREATE (o2:CommunityOrganisation {id: 'o2', name: 'Nurses Network', org_type: 'specialist'})
CREATE (o3:CommunityOrganisation {id: 'o3', name: 'English for Work', org_type: 'training_provider'})
CREATE (o4:CommunityOrganisation {id: 'o4', name: 'Northgate Circle', org_type: 'other'})
CREATE (o5:CommunityOrganisation {id: 'o5', name: 'Job Club', org_type: 'job_club'})
CREATE (o1)-[:REFERS_TO {since: date('2016-03-01'), strength: 0.9, count: 40}]->(hub)
CREATE (o2)-[:PARTNERS_WITH {since: date('2018-01-01')}]->(trust)
CREATE (hub)-[:REFERS_TO {since: date('2016-05-01')}]->(o3)
CREATE (hub)-[:PARTNERS_WITH {since: date('2014-01-01')}]->(o3)
CREATE (o4)-[:REFERS_TO {since: date('2019-01-01')}]->(o1)
CREATE (o5)-[:REFERS_TO]->(hub)
CREATE (other)-[:REFERS_TO {since: date('2010-01-01')}]->(o4)
CREATE (trust)-[:OWNS]->(:Property {id: 'site', name: 'Hospital site', kind: 'land',
        size_sqm: 5000.0, available_for_community: true})
CREATE (trust)-[:OWNS]->(:Property {id: 'annexe', name: 'Annexe', kind: 'building',
        available_for_community: false})
"""

FOOTPRINT = """{ anchorFootprint(anchorId: "AnchorInstitution:trust") {
  anchor { name } employees annualSpendGbp landHectares isMacroAsset
  macroAssetTests { name met value }
  landHoldings { id name kind sizeSqm availableForCommunity }
  communityOrganisations undatedOrganisations organisationsByYear { year organisations added }
} }"""


def test_footprint(graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    graph.execute_query(FOOTPRINT_GRAPH, database_=neo4j_settings.database)
    footprint = _data(run(graph, neo4j_settings, FOOTPRINT, caller=LEADER))["anchorFootprint"]
    assert footprint["anchor"] == {"name": "City Hospital"}
    assert (footprint["employees"], footprint["annualSpendGbp"], footprint["landHectares"]) == (
        300, 500_000.0, 2.0,
    )  # fmt: skip
    # More than 250 staff is enough on its own.
    assert footprint["isMacroAsset"] is True
    assert [(t["met"], t["value"]) for t in footprint["macroAssetTests"]] == [
        (True, 300.0), (False, 500_000.0), (False, 2.0),
    ]  # fmt: skip
    assert [h["id"] for h in footprint["landHoldings"]] == ["Property:annexe", "Property:site"]
    # o1 (hub, 2016), o2 (trust, 2018), o3 (hub, first in 2014) and o5 (undated); not o4,
    # whose only ties are to o1 and the university's office.
    assert footprint["communityOrganisations"] == 4
    assert footprint["undatedOrganisations"] == 1
    assert [(y["year"], y["organisations"], y["added"]) for y in footprint["organisationsByYear"]] == [
        (2014, 1, 1), (2015, 1, 0), (2016, 2, 1), (2017, 2, 0), (2018, 3, 1),
    ]  # fmt: skip


def test_partnership_network(graph: Driver, neo4j_settings: Neo4jSettings) -> None:
    graph.execute_query(FOOTPRINT_GRAPH, database_=neo4j_settings.database)
    query = """{ partnershipNetwork(anchorId: "AnchorInstitution:trust") {
      nodes { id kind name role } ties { source target type strength count sinceYear } } }"""
    network = _data(run(graph, neo4j_settings, query, caller=LEADER))["partnershipNetwork"]
    roles = {n["id"]: n["role"] for n in network["nodes"]}
    assert roles == {
        "AnchorInstitution:trust": "anchor", "Department:hub": "employment_hub",
        "CommunityOrganisation:o1": "frontline", "CommunityOrganisation:o2": "specialist",
        "CommunityOrganisation:o3": "training_provider", "CommunityOrganisation:o4": "other",
        "CommunityOrganisation:o5": "job_club",
    }  # fmt: skip
    ties = {
        (t["source"].split(":")[1], t["target"].split(":")[1], t["type"]) for t in network["ties"]
    }
    assert ties == {
        ("o1", "hub", "REFERS_TO"), ("o2", "trust", "PARTNERS_WITH"), ("hub", "o3", "REFERS_TO"),
        ("hub", "o3", "PARTNERS_WITH"), ("o4", "o1", "REFERS_TO"), ("o5", "hub", "REFERS_TO"),
        ("hub", "trust", "PART_OF"),
    }  # fmt: skip
    first = next(t for t in network["ties"] if t["source"] == "CommunityOrganisation:o1")
    assert (first["strength"], first["count"], first["sinceYear"]) == (0.9, 40, 2016)


def _error(body: dict[str, Any]) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


@pytest.mark.parametrize(
    ("query", "code", "named"),
    [
        ('{ funnel(anchorId: "AnchorInstitution:nowhere") { anchor } }', "NOT_FOUND", "anchorId"),
        ('{ impact(anchorId: "AnchorInstitution:nowhere") { anchor } }', "NOT_FOUND", "anchorId"),
        ('{ anchorFootprint(anchorId: "AnchorInstitution:nowhere") { employees } }',
         "NOT_FOUND", "anchorId"),
        ('{ partnershipNetwork(anchorId: "AnchorInstitution:nowhere") { anchor } }',
         "NOT_FOUND", "anchorId"),
        ('{ funnel(anchorId: "Vacancy:v-nurse") { anchor } }', "BAD_USER_INPUT", "anchorId"),
        ('{ funnel(anchorId: "AnchorInstitution:trust", from: "2025-01-01", to: "2024-01-01") '
         "{ anchor } }", "BAD_USER_INPUT", "from"),
        ('{ impact(anchorId: "AnchorInstitution:trust", assumptions: {welfareMonths: -1}) '
         "{ anchor } }", "BAD_USER_INPUT", "assumptions.welfareMonths"),
        ('{ impact(anchorId: "AnchorInstitution:trust", assumptions: {salaries: [{occupation: '
         '"Occupation:nurse", annualSalaryGbp: -5}]}) { anchor } }', "BAD_USER_INPUT",
         "assumptions.salaries[0].annualSalaryGbp"),
        ('{ impact(anchorId: "AnchorInstitution:trust", assumptions: {salaries: [{occupation: '
         '"Skill:nurse", annualSalaryGbp: 5}]}) { anchor } }', "BAD_USER_INPUT",
         "assumptions.salaries[0].occupation"),
        # An unknown occupation used to be ignored silently (issue 16).
        ('{ impact(anchorId: "AnchorInstitution:trust", assumptions: {salaries: [{occupation: '
         '"Occupation:doctor", annualSalaryGbp: 5}, {occupation: "Occupation:astronaut", '
         "annualSalaryGbp: 5}]}) { anchor } }", "BAD_USER_INPUT",
         "assumptions.salaries[1].occupation"),
    ],
)  # fmt: skip
def test_coded_errors_name_the_argument(
    graph: Driver, neo4j_settings: Neo4jSettings, query: str, code: str, named: str
) -> None:
    found_code, message = _error(run(graph, neo4j_settings, query, caller=LEADER))
    assert found_code == code
    assert message.startswith(named), message


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.PLACE_LEADER, True), (Role.ANALYST, True), (Role.ADMIN, True),
     (Role.CASEWORKER, False), (Role.LOADER, False)],
)  # fmt: skip
def test_who_may_ask_over_http(
    graph: Driver,
    neo4j_settings: Neo4jSettings,
    client_as: Callable[..., TestClient],
    role: Role,
    allowed: bool,
) -> None:
    # A token names the default place, and the footprint is the caller's places'.
    into_default_place(graph, neo4j_settings.database)
    client = client_as(role, "o1" if role is Role.CASEWORKER else None)
    for field in ("funnel", "impact", "anchorFootprint"):
        body = client.post(
            "/graphql",
            json={"query": f'{{ {field}(anchorId: "AnchorInstitution:trust") {{ __typename }} }}'},
        ).json()
        if allowed:
            assert "errors" not in body, body
        else:
            assert _error(body)[0] == "FORBIDDEN"
