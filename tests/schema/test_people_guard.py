"""The people guard on the findings of the outside probe (issue 13, findings 1 and 2).

The small place of ``tests.schema.place``: p-1 and p-2 consented, p-3 never did, p-4
withdrew.
"""

from __future__ import annotations

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.cypher import analytics as analytics_cypher
from graph.settings import Neo4jSettings
from schema.people_guard import WITHHELD
from tests.schema.place import run

LEADER = Caller("leader", Role.PLACE_LEADER)
ANALYST = Caller("analyst", Role.ANALYST)
PATHS = """
query ($from: ID!) {
  referralPaths(from: $from, to: "AnchorInstitution:anchor-lth") {
    nodes { id kind name } hops explanation
  }
}
"""


def test_a_place_leader_gets_no_route_from_a_person(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Finding 1: referralPaths(from: Person) answered a place leader with the person's
    route, because the check read the argument under its Python name."""
    as_admin = run(place, neo4j_settings, PATHS, {"from": "Person:p-1"})
    assert as_admin["data"]["referralPaths"], "the control: the route exists"
    body = run(place, neo4j_settings, PATHS, {"from": "Person:p-1"}, caller=LEADER)
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    assert "p-1" not in str(body)


def test_a_place_leader_cannot_tell_who_exists_or_consented(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Finding 1's oracle: the probe asked for 100 ids and got answers for the consenting
    ones and NOT_FOUND for the rest. Every person id now answers alike."""
    answers = {
        person: run(place, neo4j_settings, PATHS, {"from": f"Person:{person}"}, caller=LEADER)
        for person in ["p-1", "p-2", "p-3", "p-4", "p-nobody"]
    }
    assert len({str(answer) for answer in answers.values()}) == 1


@pytest.mark.parametrize("person", ["p-3", "p-4"])
def test_no_role_reaches_a_person_without_consent_through_an_argument(
    place: Driver, neo4j_settings: Neo4jSettings, person: str
) -> None:
    for caller in (ANALYST, Caller("cw", Role.CASEWORKER, "org-welcome"), None):
        hidden = run(place, neo4j_settings, PATHS, {"from": f"Person:{person}"}, caller=caller)
        unknown = run(place, neo4j_settings, PATHS, {"from": "Person:p-nobody"}, caller=caller)
        assert hidden == unknown
    admin = run(place, neo4j_settings, PATHS, {"from": f"Person:{person}"})
    unknown = run(place, neo4j_settings, PATHS, {"from": "Person:p-nobody"})
    assert admin == unknown


def test_the_guard_withholds_an_answer_a_query_should_not_have_read(
    place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 2 put back (the projection without its consent filter): the answer that
    would name p-3 and p-4 is withheld whole, not sent."""
    without_filter = analytics_cypher.PROJECT_NODES.replace(
        "  AND (NOT n:Person OR (n.consent_given_at IS NOT NULL"
        " AND n.consent_withdrawn_at IS NULL))\n",
        "",
    )
    assert without_filter != analytics_cypher.PROJECT_NODES
    query = "{ centrality(measure: DEGREE, labels: [PERSON], first: 50) { node } }"
    shown = run(place, neo4j_settings, query, caller=ANALYST)
    assert sorted(row["node"] for row in shown["data"]["centrality"]) == [
        "Person:p-1", "Person:p-2",
    ]  # fmt: skip
    monkeypatch.setattr(analytics_cypher, "PROJECT_NODES", without_filter)
    body = run(place, neo4j_settings, query, caller=ANALYST)
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        (WITHHELD, "FORBIDDEN")
    ]


def test_the_audit_log_still_names_whom_a_withdrawal_was_for(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """The audit log is the record of who withdrew or erased whom: an administrator's
    auditLog is not withheld for naming a person whose consent is now withdrawn."""
    withdrawn = run(
        place, neo4j_settings, 'mutation { withdrawConsent(personId: "Person:p-1") { __typename } }'
    )
    assert "errors" not in withdrawn
    body = run(place, neo4j_settings, "{ auditLog(first: 50) { events { operation targetIds } } }")
    assert "errors" not in body
    named = [e["targetIds"] for e in body["data"]["auditLog"]["events"]]
    assert any(any("p-1" in target for target in ids) for ids in named)


def test_text_that_reads_like_a_person_id_is_text(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Probe F3: a description starting 'Person:' withheld every organisations answer, and a
    vacancy titled 'Person:p-...' withheld place leaders' vacancies. Only ID fields count."""
    place.execute_query(
        "MATCH (o:CommunityOrganisation {id: 'org-welcome'}) "
        "SET o.description = 'Person: centred mentoring', o.name = 'Person:p-3'",
        database_=neo4j_settings.database,
    )
    query = "{ organisations(first: 50) { edges { node { id name description } } } }"
    for caller in (LEADER, ANALYST, Caller("admin", Role.ADMIN)):
        body = run(place, neo4j_settings, query, caller=caller)
        assert "errors" not in body, body
        names = [edge["node"]["name"] for edge in body["data"]["organisations"]["edges"]]
        assert "Person:p-3" in names


def test_introspection_at_the_root_passes(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    for caller in (LEADER, ANALYST):
        body = run(place, neo4j_settings, "{ __typename }", caller=caller)
        assert body == {"data": {"__typename": "Query"}}
