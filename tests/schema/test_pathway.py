"""pathway (issue 16) on the demo place: the case study's chain comes first for a person
who still needs IELTS, who may ask for whom, and coded errors naming the argument."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from tests.schema.place import run

CASE_STUDY_PERSON = "case-study-nurse"
# A refugee nurse supported by the refugee charity, with the right to work, a recognised
# qualification and every essential skill of a trust vacancy that asks for an IELTS band,
# whose English is half a band short: the seeds' own story. Written beside the generated
# people of the demo place, with a share of consent with the charity.
ADD_CASE_STUDY_PERSON = """
MATCH (trust:AnchorInstitution {id: 'anchor-trust'})-[:POSTS]->(v:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WHERE v.min_ielts IS NOT NULL
WITH v, o
ORDER BY v.id
LIMIT 1
MATCH (charity:CommunityOrganisation {id: 'org-refugee-support'})
CREATE (p:Person {id: $person_id, consent_given_at: datetime('2024-03-01T10:00:00'),
                  consent_scopes: ['matching', 'share:org-refugee-support', 'share_with_hub'],
                  right_to_work: true, ielts_overall: v.min_ielts - 0.5,
                  stage: 'language_training', trained_as: o.id})
CREATE (p)-[:SUPPORTED_BY {strength: 0.9}]->(charity)
CREATE (p)-[:HOLDS]->(q:Qualification {id: $person_id + '-degree', title: 'Nursing degree'})
CREATE (q)-[:QUALIFIES_FOR {status: 'recognised'}]->(o)
WITH p, v
CALL (p, v) {
  MATCH (v)-[r:REQUIRES WHERE r.essential]->(s:Skill)
  CREATE (p)-[:HAS_SKILL]->(s)
}
RETURN v.id AS vacancy, v.min_ielts AS band, v.title AS title
"""
A_PERSON_WITHOUT_CONSENT = """
MATCH (p:Person)
WHERE p.consent_given_at IS NULL
RETURN p.id AS id
ORDER BY id
LIMIT 1
"""

PATHWAY = """
query ($vacancy: ID!, $person: ID, $organisation: ID, $k: Int) {
  pathway(vacancyId: $vacancy, personId: $person, organisationId: $organisation, k: $k) {
    vacancy vacancyTitle rankedBy start { id kind }
    needs { kind gaps services providers time { stage medianDays } }
    unmet { kind }
    routes {
      rank hops cost explanation
      steps { node { id kind name } role why arrivedBy { type strength } closes services }
    }
  }
}
"""

LEADER = Caller("leader", Role.PLACE_LEADER)
CHARITY_CASEWORKER = Caller("cw", Role.CASEWORKER, "org-refugee-support")
HUB_CASEWORKER = Caller("hub-cw", Role.CASEWORKER, "dept-learning-works")
OTHER_CASEWORKER = Caller("other-cw", Role.CASEWORKER, "org-mosque")


@pytest.fixture
def case_study(demo_place: Driver, neo4j_settings: Neo4jSettings) -> dict[str, Any]:
    records, _, _ = demo_place.execute_query(
        ADD_CASE_STUDY_PERSON, person_id=CASE_STUDY_PERSON, database_=neo4j_settings.database
    )
    return dict(records[0])


def _ask(
    driver: Driver, settings: Neo4jSettings, caller: Caller | None, vacancy: str, **given: Any
) -> dict[str, Any]:
    variables = {"vacancy": f"Vacancy:{vacancy}", **given}
    return run(driver, settings, PATHWAY, variables, caller=caller)


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def test_the_case_study_chain_comes_first_for_a_nurse_who_needs_ielts(
    demo_place: Driver, neo4j_settings: Neo4jSettings, case_study: dict[str, Any]
) -> None:
    person = f"Person:{CASE_STUDY_PERSON}"
    for caller in (CHARITY_CASEWORKER, HUB_CASEWORKER, Caller("admin", Role.ADMIN)):
        body = _ask(demo_place, neo4j_settings, caller, case_study["vacancy"], person=person)
        assert "errors" not in body, body
        found = body["data"]["pathway"]
        assert found["needs"] == [
            {
                "kind": "language",
                "gaps": [f"IELTS {case_study['band']:.1f} needed, has "
                         f"{case_study['band'] - 0.5:.1f}"],
                "services": ["ielts_tuition"],
                "providers": [
                    "CommunityOrganisation:org-clinical-english",
                    "CommunityOrganisation:org-english-for-work",
                    "CommunityOrganisation:org-ielts-together",
                ],
                "time": found["needs"][0]["time"],
            }
        ]  # fmt: skip
        assert found["needs"][0]["time"]["stage"] == "LANGUAGE_TRAINING"
        first = found["routes"][0]
        assert [step["node"]["id"] for step in first["steps"]] == [
            person,
            "CommunityOrganisation:org-refugee-support",
            "Department:dept-learning-works",
            "CommunityOrganisation:org-clinical-english",
            "AnchorInstitution:anchor-trust",
            f"Vacancy:{case_study['vacancy']}",
        ]
        assert [step["role"] for step in first["steps"]] == [
            "START", "INTRODUCES", "INTRODUCES", "CLOSES_GAP", "EMPLOYER", "VACANCY",
        ]  # fmt: skip
        tuition = first["steps"][3]
        assert tuition["closes"] == ["language"]
        assert tuition["services"] == ["IELTS preparation"]
        assert tuition["why"].startswith(f"closes: IELTS {case_study['band']:.1f} needed")
        assert "Riverbridge University Hospitals NHS Foundation Trust" in tuition["why"]
        assert first["steps"][0]["arrivedBy"] is None
        assert first["steps"][1]["arrivedBy"]["type"] == "SUPPORTED_BY"
        assert first["explanation"] == (
            "this person → Riverbridge Refugee Support → Riverbridge Learning Works → "
            f"Clinical English Academy → Riverbridge University Hospitals NHS Foundation "
            f"Trust → {case_study['title']} vacancy"
        )
        assert [r["rank"] for r in found["routes"]] == [1, 2, 3]
        assert [r["hops"] for r in found["routes"]] == sorted(r["hops"] for r in found["routes"])
        # Every route closes the step on the way, at a provider of it.
        for route in found["routes"]:
            closing = [s for s in route["steps"] if s["closes"]]
            assert [s["node"]["id"] for s in closing][:1] != []
            assert closing[0]["node"]["id"] in found["needs"][0]["providers"]


def test_the_referral_path_alone_skips_the_tuition(
    demo_place: Driver, neo4j_settings: Neo4jSettings, case_study: dict[str, Any]
) -> None:
    """The control: referralPaths goes from the hub straight into its own trust."""
    body = run(
        demo_place, neo4j_settings,
        "query ($f: ID!, $t: ID!) { referralPaths(from: $f, to: $t, k: 1) { nodes { id } } }",
        {"f": f"Person:{CASE_STUDY_PERSON}", "t": f"Vacancy:{case_study['vacancy']}"},
    )  # fmt: skip
    ids = [n["id"] for n in body["data"]["referralPaths"][0]["nodes"]]
    assert "CommunityOrganisation:org-clinical-english" not in ids
    assert ids[-3:-1] == ["Department:dept-learning-works", "AnchorInstitution:anchor-trust"]


def test_who_may_ask_for_a_person(
    demo_place: Driver, neo4j_settings: Neo4jSettings, case_study: dict[str, Any]
) -> None:
    vacancy = case_study["vacancy"]
    person = f"Person:{CASE_STUDY_PERSON}"
    records, _, _ = demo_place.execute_query(
        A_PERSON_WITHOUT_CONSENT, database_=neo4j_settings.database
    )
    hidden = f"Person:{records[0]['id']}"
    # A place leader: every person id answers as an unknown one, consenting or not.
    answers = [
        _ask(demo_place, neo4j_settings, LEADER, vacancy, person=who)
        for who in (person, hidden, "Person:nobody-at-all")
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["data"] is None
    assert _codes(answers[0]) == ["NOT_FOUND"]
    assert CASE_STUDY_PERSON not in str(answers[0])
    # So does a person outside a caseworker's organisation, for that caseworker.
    other = _ask(demo_place, neo4j_settings, OTHER_CASEWORKER, vacancy, person=person)
    assert _codes(other) == ["NOT_FOUND"]
    assert CASE_STUDY_PERSON not in str(other)
    unknown = _ask(demo_place, neo4j_settings, OTHER_CASEWORKER, vacancy, person="Person:nobody")
    assert _codes(unknown) == ["NOT_FOUND"]
    # Analysts work with the network, not case by case.
    analyst = _ask(demo_place, neo4j_settings, Caller("a", Role.ANALYST), vacancy, person=person)
    assert _codes(analyst) == ["FORBIDDEN"]


def test_a_place_leader_gets_the_same_shape_from_an_organisation(
    demo_place: Driver, neo4j_settings: Neo4jSettings, case_study: dict[str, Any]
) -> None:
    body = _ask(
        demo_place, neo4j_settings, LEADER, case_study["vacancy"],
        organisation="CommunityOrganisation:org-refugee-support",
    )  # fmt: skip
    assert "errors" not in body, body
    found = body["data"]["pathway"]
    assert found["start"] == {"id": "CommunityOrganisation:org-refugee-support",
                              "kind": "CommunityOrganisation"}  # fmt: skip
    # A newcomer from there meets none of the vacancy's requirements yet.
    assert [need["kind"] for need in found["needs"]] == ["language", "qualification", "skill"]
    assert found["unmet"] == []
    assert found["routes"], found
    best = found["routes"][0]
    ids = [step["node"]["id"] for step in best["steps"]]
    assert ids[0] == "CommunityOrganisation:org-refugee-support"
    assert ids[-1] == f"Vacancy:{case_study['vacancy']}"
    assert [kind for step in best["steps"] for kind in step["closes"]] == [
        "language", "qualification", "skill",
    ]  # fmt: skip
    assert "Person:" not in str(body)


@pytest.mark.parametrize(
    ("given", "code", "named"),
    [
        ({}, "BAD_USER_INPUT", "personId, organisationId"),
        (
            {"person": "Person:p-1", "organisation": "CommunityOrganisation:org-welcome"},
            "BAD_USER_INPUT", "personId, organisationId",
        ),
        ({"organisation": "Vacancy:vac-nurse"}, "BAD_USER_INPUT", "organisationId"),
        ({"person": "Department:dept-hub"}, "BAD_USER_INPUT", "personId"),
        ({"organisation": "CommunityOrganisation:org-none"}, "NOT_FOUND", "organisationId"),
        ({"organisation": "Department:dept-hub", "k": 0}, "BAD_USER_INPUT", "k"),
        ({"organisation": "Department:dept-hub", "vacancy": "Vacancy:vac-none"},
         "NOT_FOUND", "vacancyId"),
        ({"organisation": "Department:dept-hub", "vacancy": "Skill:skill-care"},
         "BAD_USER_INPUT", "vacancyId"),
    ],
)  # fmt: skip
def test_bad_arguments_are_coded_and_named(
    place: Driver, neo4j_settings: Neo4jSettings, given: dict[str, Any], code: str, named: str
) -> None:
    """On the small place of ``tests.schema.place``."""
    variables = {"vacancy": "Vacancy:vac-nurse", **given}
    body = run(place, neo4j_settings, PATHWAY, variables)
    assert body["data"] is None
    assert _codes(body) == [code], body
    assert body["errors"][0]["message"].startswith(named), body
