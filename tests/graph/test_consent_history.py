"""Consent as history (finding 3): a load cannot reverse a withdrawal or wipe stage
history, a withdrawal removes the personal record at once, and every change is a dated
event committed with its audit record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.crypto import open_key_store
from graph.errors import InvalidInputError, NotFoundError
from graph.models.people import ReadinessStage
from graph.services.consent import record_consent, withdraw_consent
from graph.services.hub_actions import move_person_stage
from graph.services.personal import personal_details
from graph.settings import Neo4jSettings
from tests.graph.people_rights_place import AMINA, load_people, small_place
from tests.loaders.helpers import read_rejects

ADMIN = Caller(subject="test-admin", role=Role.ADMIN)
WELCOME = Caller(subject="cw-welcome", role=Role.CASEWORKER, organisation_id="org-welcome")
ENGLISH = Caller(subject="cw-english", role=Role.CASEWORKER, organisation_id="org-english")
WITHDRAWN = {**AMINA, "consent_withdrawn_at": "2024-02-01T09:00:00"}
FORM = "signed form CF-0042"


@pytest.fixture
def people(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    small_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def _person(driver: Driver, database: str, ident: str) -> dict[str, object]:
    records, _, _ = driver.execute_query(
        """MATCH (p:Person {id: $id})
           RETURN p.consent_withdrawn_at IS NOT NULL AS withdrawn, p.stage AS stage,
                  p.stage_names AS names, p.consent_scopes AS scopes,
                  EXISTS { (p)-[:HAS_PERSONAL_RECORD]->() } AS has_record,
                  [(p)-[:HAS_CONSENT_EVENT]->(e) | [e.kind, e.source]] AS events""",
        id=ident,
        database_=database,
    )
    row = records[0].data()
    row["events"] = sorted(row["events"])
    return row


def test_a_reload_with_a_withdrawal_removes_the_personal_record_and_its_key(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    assert personal_details(people, db, ADMIN, ["p-1"])["p-1"].name == "Amina Zephyrine"
    report = load_people(people, db, tmp_path, "withdrawal.csv", WITHDRAWN)
    assert report.rows_rejected == 0
    person = _person(people, db, "p-1")
    assert person["withdrawn"] is True
    assert person["has_record"] is False
    assert person["events"] == [["granted", "file:survey.csv"],
                                ["withdrawn", "file:withdrawal.csv"]]  # fmt: skip
    assert open_key_store().keys_for(["p-1"]) == {}
    assert personal_details(people, db, ADMIN, ["p-1"]) == {}


def test_an_older_file_cannot_restore_consent_nor_wipe_stage_history(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    move_person_stage(people, db, WELCOME, "p-1", ReadinessStage.LANGUAGE_TRAINING,
                      date(2023, 6, 1))  # fmt: skip
    # The survey again, as it was: the stage moved since is kept.
    assert load_people(people, db, tmp_path, "survey-again.csv", AMINA).rows_rejected == 0
    assert _person(people, db, "p-1")["names"] == ["engaged", "language_training"]
    assert _person(people, db, "p-1")["stage"] == "language_training"

    load_people(people, db, tmp_path, "withdrawal.csv", WITHDRAWN)
    report = load_people(people, db, tmp_path, "old.csv", AMINA)
    assert report.rows_rejected == 1
    [(line, field, reason)] = read_rejects(tmp_path / "old.csv.rejects.csv")
    assert (line, field) == (2, "consent_withdrawn_at")
    assert "withdrew consent on 2024-02-01" in reason
    person = _person(people, db, "p-1")
    assert person["withdrawn"] is True
    assert person["has_record"] is False
    assert person["names"] == ["engaged", "language_training"]
    assert personal_details(people, db, ADMIN, ["p-1"]) == {}


def test_a_row_withdrawn_before_it_was_given_is_refused(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    row = {**AMINA, "id": "p-3", "consent_withdrawn_at": "2022-01-01T00:00:00"}
    report = load_people(people, neo4j_settings.database, tmp_path, "odd.csv", row)
    assert report.rows_rejected == 1
    [(_, field, reason)] = read_rejects(tmp_path / "odd.csv.rejects.csv")
    assert (field, reason) == ("consent_withdrawn_at", "is before consent_given_at")


def test_a_reload_with_the_same_consent_adds_no_event_and_new_scopes_add_one(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_people(people, db, tmp_path, "same.csv", AMINA)
    assert _person(people, db, "p-1")["events"] == [["granted", "file:survey.csv"]]
    load_people(people, db, tmp_path, "scopes.csv", {**AMINA, "consent_scopes": "matching"})
    person = _person(people, db, "p-1")
    assert person["events"] == [["granted", "file:survey.csv"],
                                ["scopes_changed", "file:scopes.csv"]]  # fmt: skip
    assert person["scopes"] == ["matching"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2023-05-01T10:15:30.123456+02:00", "2023-05-01T10:15:30.123456+02:00"),
        ("2023-05-01T08:15:30", "2023-05-01T08:15:30Z"),
    ],
)
def test_a_reload_of_a_zoned_consent_time_keeps_it_and_adds_no_event(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, given: str, stored: str
) -> None:
    db = neo4j_settings.database
    row = {**AMINA, "consent_given_at": given}
    for name in ("zoned.csv", "zoned-again.csv"):
        assert load_people(people, db, tmp_path, name, row).rows_rejected == 0
    records, _, _ = people.execute_query(
        """MATCH (:Person {id: 'p-1'})-[:HAS_CONSENT_EVENT]->(e:ConsentEvent)
           RETURN e.kind AS kind, toString(e.at) AS at, e.source AS source
           ORDER BY e.at""",
        database_=db,
    )
    assert [r.data() for r in records] == [
        {"kind": "granted", "at": "2023-01-10T10:00:00Z", "source": "file:survey.csv"},
        {"kind": "granted", "at": stored, "source": "file:zoned.csv"},
    ]
    assert _person(people, db, "p-1")["names"] == ["engaged"]


def test_consent_is_recorded_and_withdrawn_by_a_supporting_caseworker_only(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    with pytest.raises(NotFoundError, match="personId: no person with id 'p-1'"):
        record_consent(people, db, ENGLISH, "p-1", ["matching"], evidence=FORM, source="graphql")
    with pytest.raises(NotFoundError, match="personId: no person with id 'p-1'"):
        withdraw_consent(people, db, ENGLISH, "p-1", source="graphql")
    state = record_consent(people, db, WELCOME, "p-1", ["matching", "referral"], evidence=FORM,
                           source="cli")  # fmt: skip
    assert state.scopes == ("matching", "referral")
    assert state.current
    state = withdraw_consent(people, db, WELCOME, "p-1", source="graphql")
    assert not state.current
    person = _person(people, db, "p-1")
    assert person["has_record"] is False
    assert person["events"] == [["granted", "file:survey.csv"], ["scopes_changed", "cli"],
                                ["withdrawn", "graphql"]]  # fmt: skip
    # A new grant after the withdrawal: consent stands again (no record comes back).
    assert record_consent(people, db, ADMIN, "p-1", ["matching"], evidence=FORM,
                          source="graphql").current  # fmt: skip
    records, _, _ = people.execute_query(
        "MATCH (e:AuditEvent) WHERE 'Person:p-1' IN e.target_ids AND e.operation STARTS WITH "
        "'consent_' RETURN e.operation AS op, e.subject AS who ORDER BY e.seq",
        database_=db,
    )
    assert [(r["op"], r["who"]) for r in records] == [
        ("consent_scopes_changed", "cw-welcome"),
        ("consent_withdrawn", "cw-welcome"),
        ("consent_granted", "test-admin"),
    ]


def test_a_new_event_must_become_the_current_state(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    # Survey consent dates from 2023-01-10: a withdrawal dated before it would not count.
    with pytest.raises(InvalidInputError, match="at: 2022-01-01T00:00:00\\+00:00 is before"):
        withdraw_consent(people, db, WELCOME, "p-1", at=datetime(2022, 1, 1), source="graphql")
    with pytest.raises(InvalidInputError, match="is in the future"):
        record_consent(people, db, WELCOME, "p-1", ["matching"], at=datetime(2999, 1, 1, tzinfo=UTC),
                       evidence=FORM, source="graphql")  # fmt: skip
    assert _person(people, db, "p-1")["events"] == [["granted", "file:survey.csv"]]
    state = withdraw_consent(people, db, WELCOME, "p-1", at=datetime(2024, 5, 1), source="cli")
    assert state.withdrawn_at == datetime(2024, 5, 1, tzinfo=UTC)
    future = {**AMINA, "id": "p-3", "consent_given_at": "2999-01-01T00:00:00"}
    assert load_people(people, db, tmp_path, "future.csv", future).rows_rejected == 1
    [(_, field, reason)] = read_rejects(tmp_path / "future.csv.rejects.csv")
    assert (field, reason) == ("consent_given_at", "is in the future")
