"""The hub's mutations over HTTP, as the probe tried them (findings 4, 5, the
referral half of 11 and F7 of issue 13), and retries made safe with an idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from graph.access import Role
from graph.settings import Neo4jSettings

COUNCIL_HUB = """
MATCH (council:AnchorInstitution {id: 'anchor-council'})
CREATE (:Department {id: 'dept-council-jobs', name: 'Council Jobs', kind: 'employment_hub'})
       -[:PART_OF]->(council)
"""
FILL_NURSE = """
MATCH (v:Vacancy {id: 'vac-nurse'})
SET v.status = 'filled', v.salary_band = 'Band 5', v.salary_min_gbp = 29970
"""
NURSE = """
MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {id: 'vac-nurse'})
RETURN a.id AS anchor, v.status AS status, v.salary_band AS band, v.salary_min_gbp AS salary,
       v.title AS title
"""
REFERRALS = """
OPTIONAL MATCH (:CommunityOrganisation {id: $from})-[r:REFERS_TO]->(:Department {id: 'dept-hub'})
RETURN coalesce(sum(r.count), 0) AS n
"""
EVENTS = "MATCH (e:AuditEvent) WHERE e.operation = $op RETURN count(e) AS n"

TAKE_OVER = """mutation { openVacancy(input: {id: "vac-nurse", title: "Taken",
  anchor: "AnchorInstitution:anchor-council"}) { id } }"""
REFER = """mutation($from: ID!, $key: String) {
  recordReferral(from: $from, to: "Department:dept-hub", on: "2025-02-01", idempotencyKey: $key)
  { count } }"""


def _one(driver: Driver, db: str, query: str, **params: Any) -> dict[str, Any]:
    return driver.execute_query(query, params, database_=db).records[0].data()


def _post(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.post(
        "/graphql", json={"query": query, "variables": variables}
    ).json()
    return body


def _code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


@pytest.fixture
def hubs(place: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    place.execute_query(COUNCIL_HUB, database_=neo4j_settings.database)
    place.execute_query(FILL_NURSE, database_=neo4j_settings.database)
    return place


def test_another_anchors_vacancy_is_not_taken_over(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    """Finding 4, as probed: a caseworker's openVacancy with the trust's vacancy id
    moved the filled vacancy to the council, reopened it and wiped its salary."""
    db = neo4j_settings.database
    before = _one(hubs, db, NURSE)
    for role, organisation in [
        (Role.CASEWORKER, "dept-council-jobs"),
        (Role.CASEWORKER, "org-welcome"),
        (Role.ADMIN, None),
    ]:
        body = _post(client_as(role, organisation), TAKE_OVER)
        assert _code(body) == "FORBIDDEN", body
        assert "never changes anchor" in body["errors"][0]["message"]
    close = 'mutation { closeVacancy(id: "Vacancy:vac-nurse") { status } }'
    assert _code(_post(client_as(Role.CASEWORKER, "dept-council-jobs"), close)) == "FORBIDDEN"
    assert _one(hubs, db, NURSE) == before
    assert _one(hubs, db, EVENTS, op="open_vacancy") == {"n": 0}


def test_the_anchors_own_hub_reopens_it_keeping_what_it_did_not_give(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    db = neo4j_settings.database
    hub = client_as(Role.CASEWORKER, "dept-hub")
    body = _post(hub, """mutation { openVacancy(input: {id: "vac-nurse", title: "Staff nurse",
      anchor: "AnchorInstitution:anchor-lth"}) { status shortage minIelts } }""")  # fmt: skip
    assert body["data"]["openVacancy"] == {"status": "OPEN", "shortage": True, "minIelts": 7.0}
    assert _one(hubs, db, NURSE) == {"anchor": "anchor-lth", "status": "open", "band": "Band 5",
                                     "salary": 29970, "title": "Staff nurse"}  # fmt: skip
    assert _one(hubs, db, EVENTS, op="open_vacancy") == {"n": 1}


def test_a_new_vacancys_id_given_as_a_global_id_is_refused_naming_the_field(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    """Found by the places probe: openVacancy with "Vacancy:vac-nurse" made a second
    vacancy whose id was "Vacancy:vac-nurse" rather than answer for vac-nurse."""
    db = neo4j_settings.database
    body = _post(client_as(Role.CASEWORKER, "dept-hub"), """mutation { openVacancy(input: {
      id: " Vacancy:vac-nurse", title: "Staff nurse",
      anchor: "AnchorInstitution:anchor-lth"}) { id } }""")  # fmt: skip
    assert _code(body) == "BAD_USER_INPUT", body
    assert body["errors"][0]["message"].startswith("input.id: the vacancy's external id")
    counted = _one(
        hubs, db, "MATCH (v:Vacancy) WHERE v.id STARTS WITH 'Vacancy:' RETURN count(v) AS n"
    )
    assert counted == {"n": 0}
    assert _one(hubs, db, EVENTS, op="open_vacancy") == {"n": 0}


def test_referrals_only_from_the_callers_own_organisation(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    """Finding 11: any caseworker recorded referrals between any two organisations."""
    db = neo4j_settings.database
    welcome = client_as(Role.CASEWORKER, "org-welcome")
    english = _one(hubs, db, REFERRALS, **{"from": "org-english"})
    body = _post(welcome, REFER, **{"from": "CommunityOrganisation:org-english"})
    assert _code(body) == "FORBIDDEN", body
    assert _one(hubs, db, REFERRALS, **{"from": "org-english"}) == english
    base = _one(hubs, db, REFERRALS, **{"from": "org-welcome"})["n"]
    body = _post(welcome, REFER, **{"from": "CommunityOrganisation:org-welcome"})
    assert body["data"]["recordReferral"] == {"count": base + 1}
    assert _one(hubs, db, EVENTS, op="record_referral") == {"n": 1}


def test_a_retried_referral_with_its_key_counts_once(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    db = neo4j_settings.database
    welcome = client_as(Role.CASEWORKER, "org-welcome")
    base = _one(hubs, db, REFERRALS, **{"from": "org-welcome"})["n"]
    ask = {"from": "CommunityOrganisation:org-welcome", "key": "referral-2025-02-01-a"}
    answers = [_post(welcome, REFER, **ask) for _ in range(3)]
    assert [a["data"]["recordReferral"] for a in answers] == [{"count": base + 1}] * 3
    assert _one(hubs, db, REFERRALS, **{"from": "org-welcome"}) == {"n": base + 1}
    assert _one(hubs, db, EVENTS, op="record_referral") == {"n": 1}
    other = _post(welcome, REFER, **{**ask, "key": "referral-2025-02-01-b"})
    assert other["data"]["recordReferral"] == {"count": base + 2}


ENGLISH_TIE = """
MATCH (:CommunityOrganisation {id: 'org-welcome'})-[r:REFERS_TO]->
      (:CommunityOrganisation {id: 'org-english'})
RETURN r.count AS count, r.strength AS strength, r.last_referral_on AS last
"""
REFER_ENGLISH = """mutation($on: Date, $strength: Float) {
  recordReferral(from: "CommunityOrganisation:org-welcome", to: "CommunityOrganisation:org-english",
                 on: $on, strength: $strength) { count strength } }"""
DETAILS = """
MATCH (e:AuditEvent {operation: 'record_referral'})
RETURN e.detail AS detail ORDER BY e.seq
"""


def test_a_caseworker_neither_sets_a_ties_trust_nor_dates_a_referral_ahead(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    """F7 (issue 13), as probed: a caseworker's recordReferral with strength 1.0 and
    a day in 2099 was accepted and overwrote the imported tie's trust."""
    db = neo4j_settings.database
    welcome = client_as(Role.CASEWORKER, "org-welcome")
    before = _one(hubs, db, ENGLISH_TIE)
    assert (before["count"], before["strength"]) == (12, 0.8)
    ahead = _post(welcome, REFER_ENGLISH, on="2099-01-01")
    assert _code(ahead) == "BAD_USER_INPUT", ahead
    assert ahead["errors"][0]["message"].startswith("on: 2099-01-01 is in the future")
    trust = _post(welcome, REFER_ENGLISH, on="2025-02-01", strength=1.0)
    assert _code(trust) == "FORBIDDEN", trust
    assert trust["errors"][0]["message"].startswith("strength: ")
    assert _one(hubs, db, ENGLISH_TIE) == before
    assert _one(hubs, db, EVENTS, op="record_referral") == {"n": 0}

    counted = _post(welcome, REFER_ENGLISH, on="2025-02-01")
    assert counted["data"]["recordReferral"] == {"count": 13, "strength": 0.8}
    assert _one(hubs, db, DETAILS) == {
        "detail": "from=CommunityOrganisation:org-welcome "
        "to=CommunityOrganisation:org-english count=13"
    }
    admin = _post(client_as(Role.ADMIN), REFER_ENGLISH, on="2025-02-02", strength=0.5)
    assert admin["data"]["recordReferral"] == {"count": 14, "strength": 0.5}


def test_a_failed_audit_write_leaves_no_change(
    hubs: Driver, neo4j_settings: Neo4jSettings, client_as: Callable[..., TestClient]
) -> None:
    """Finding 5: the mutation wrote, then audited in a second transaction, so a
    failed audit write left the referral counted and unaudited. An event already
    holding the next seq makes the audit write fail on the uniqueness of seq."""
    db = neo4j_settings.database
    hubs.execute_query(
        "MERGE (h:AuditChainHead {id: 'audit'}) ON CREATE SET h.seq = 0, h.hash = '' "
        "WITH h CREATE (:AuditEvent {id: 'squatter', seq: h.seq + 1})",
        database_=db,
    )
    welcome = client_as(Role.CASEWORKER, "org-welcome")
    before = _one(hubs, db, REFERRALS, **{"from": "org-welcome"})
    body = _post(welcome, REFER, **{"from": "CommunityOrganisation:org-welcome"})
    assert "errors" in body
    assert "Traceback" not in str(body)
    assert _one(hubs, db, REFERRALS, **{"from": "org-welcome"}) == before
    assert _one(hubs, db, EVENTS, op="record_referral") == {"n": 0}
