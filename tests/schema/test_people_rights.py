"""A person's rights through GraphQL: consent recorded and withdrawn, the access export
and erasure, each for an administrator or a caseworker of a supporting organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from tests.graph.people_rights_place import add_clem, small_place
from tests.schema.place import run

WELCOME = Caller(subject="cw-welcome", role=Role.CASEWORKER, organisation_id="org-welcome")
ENGLISH = Caller(subject="cw-english", role=Role.CASEWORKER, organisation_id="org-english")
LEADER = Caller(subject="leader", role=Role.PLACE_LEADER)
ANALYST = Caller(subject="analyst", role=Role.ANALYST)

RECORD = """mutation ($p: ID!, $s: [String!]!, $e: String! = "form CF-0042") {
  recordConsent(personId: $p, scopes: $s, evidence: $e) { personId current scopes withdrawnAt } }"""
WITHDRAW = "mutation ($p: ID!) { withdrawConsent(personId: $p) { personId current withdrawnAt } }"
ERASE = "mutation ($p: ID!) { erasePerson(personId: $p) { personId keyDestroyed filesRemoved } }"
EXPORT = "query ($p: ID!) { exportPerson(personId: $p) }"
NAME = '{ node(id: "Person:p-1") { ... on Person { personal { name } } } }'


@pytest.fixture
def people(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    small_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def _code(body: dict[str, object]) -> str:
    errors = body.get("errors")
    assert isinstance(errors, list), body
    return str(errors[0]["extensions"]["code"])


def test_a_supporting_caseworker_records_and_withdraws_consent(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    variables = {"p": "Person:p-1", "s": ["matching", "share:org-welcome"]}
    body = run(people, neo4j_settings, RECORD, {**variables, "s": ["matching"]}, WELCOME)
    assert body["data"]["recordConsent"] == {
        "personId": "Person:p-1", "current": True, "scopes": ["matching"], "withdrawnAt": None
    }  # fmt: skip
    run(people, neo4j_settings, RECORD, variables, WELCOME)
    assert run(people, neo4j_settings, NAME, None, WELCOME)["data"]["node"]["personal"] == {
        "name": "Amina Zephyrine"
    }
    body = run(people, neo4j_settings, WITHDRAW, {"p": "Person:p-1"}, WELCOME)
    assert body["data"]["withdrawConsent"]["current"] is False
    assert body["data"]["withdrawConsent"]["withdrawnAt"] is not None
    exported = run(people, neo4j_settings, EXPORT, {"p": "Person:p-1"})["data"]["exportPerson"]
    assert exported["personal_record"] is None
    assert [e["kind"] for e in exported["consent"]["history"]] == [
        "granted", "scopes_changed", "scopes_changed", "withdrawn"
    ]  # fmt: skip


@pytest.mark.parametrize("document", [RECORD, WITHDRAW, ERASE, EXPORT])
def test_others_are_refused_or_told_nothing(
    people: Driver, neo4j_settings: Neo4jSettings, document: str
) -> None:
    variables = {"p": "Person:p-1", "s": ["matching"]}
    for caller in (LEADER, ANALYST):
        assert _code(run(people, neo4j_settings, document, variables, caller)) == "FORBIDDEN"
    # Another organisation's caseworker: the same answer as for an unknown id.
    other = run(people, neo4j_settings, document, variables, ENGLISH)
    unknown = run(people, neo4j_settings, document, {**variables, "p": "Person:p-404"}, ENGLISH)
    assert _code(other) == _code(unknown) == "NOT_FOUND"
    assert other["errors"][0]["message"].replace("p-1", "ID") == unknown["errors"][0][
        "message"
    ].replace("p-404", "ID")


def test_export_then_erasure_through_graphql(people: Driver, neo4j_settings: Neo4jSettings) -> None:
    exported = run(people, neo4j_settings, EXPORT, {"p": "Person:p-1"}, WELCOME)
    record = exported["data"]["exportPerson"]["personal_record"]
    assert record["name"] == "Amina Zephyrine"
    assert record["date_of_birth"] == "1988-04-02"
    body = run(people, neo4j_settings, ERASE, {"p": "Person:p-1"}, WELCOME)
    assert body["data"]["erasePerson"] == {
        "personId": "Person:p-1", "keyDestroyed": True, "filesRemoved": 0
    }  # fmt: skip
    exported = run(people, neo4j_settings, EXPORT, {"p": "Person:p-1"})["data"]["exportPerson"]
    assert exported["personal_record"] is None
    assert exported["consent"]["history"][-1]["kind"] == "erased"
    assert [e["operation"] for e in exported["audit_events"]][-2:] == [
        "export_person", "erase_person"
    ]  # fmt: skip


def test_a_caseworker_cannot_export_a_supported_person_who_does_not_share_with_them(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    add_clem(people, neo4j_settings.database, tmp_path)  # never consented, org-welcome's
    never = run(people, neo4j_settings, EXPORT, {"p": "Person:p-3"}, WELCOME)
    unknown = run(people, neo4j_settings, EXPORT, {"p": "Person:p-404"}, WELCOME)
    assert never["data"] == unknown["data"] is None
    assert _code(never) == _code(unknown) == "NOT_FOUND"
    assert never["errors"][0]["message"].replace("p-3", "ID") == unknown["errors"][0][
        "message"
    ].replace("p-404", "ID")
    assert "Clem" not in str(never)
    exported = run(people, neo4j_settings, EXPORT, {"p": "Person:p-3"})["data"]["exportPerson"]
    assert exported["personal_record"]["name"] == "Clem Ashgrove"


@pytest.mark.parametrize(
    ("variables", "code", "words"),
    [
        ({"e": ""}, "BAD_USER_INPUT", "evidence: say what the consent rests on"),
        ({"s": ["matching", "share:org-english"]}, "FORBIDDEN", "scopes[1]: 'share:org-english'"),
        ({"s": ["matching", "care"]}, "BAD_USER_INPUT", "scopes[1]: 'care' is not a scope"),
    ],
)
def test_record_consent_refuses_with_a_clean_error_naming_the_argument(
    people: Driver, neo4j_settings: Neo4jSettings, variables: dict[str, object], code: str,
    words: str,
) -> None:  # fmt: skip
    body = run(people, neo4j_settings, RECORD, {"p": "Person:p-1", "s": ["matching"],
               **variables}, WELCOME)  # fmt: skip
    assert _code(body) == code
    assert body["errors"][0]["message"].startswith(words)
    assert "Traceback" not in str(body)
    exported = run(people, neo4j_settings, EXPORT, {"p": "Person:p-1"})["data"]["exportPerson"]
    assert exported["consent"]["scopes"] == ["matching", "share:org-welcome"]


def test_the_evidence_is_in_the_consent_history_of_the_export(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    variables = {"p": "Person:p-1", "s": ["share:org-welcome"], "e": "verbal, noted 4 Dec"}
    assert run(people, neo4j_settings, RECORD, variables, WELCOME)["data"]["recordConsent"][
        "scopes"
    ] == ["share:org-welcome"]
    exported = run(people, neo4j_settings, EXPORT, {"p": "Person:p-1"})["data"]["exportPerson"]
    assert [e["evidence"] for e in exported["consent"]["history"]] == [
        None, "verbal, noted 4 Dec"
    ]  # fmt: skip
