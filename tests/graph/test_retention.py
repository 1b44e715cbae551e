"""Retention counts real activity only (issue 13 loose end): a nightly sync re-loading a
person's unchanged row must not keep their personal record forever; a stage move, a
consent event or a row that says something new does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.models.people import ReadinessStage
from graph.services.consent import record_consent
from graph.services.erasure import inactive_people
from graph.services.hub_actions import move_person_stage
from graph.settings import Neo4jSettings
from tests.graph.people_rights_place import AMINA, BORIS, load_people
from tests.loaders.conftest import cli_env  # noqa: F401 - a fixture
from tests.test_people_command import invoke, keys_apart, people  # noqa: F401 - fixtures

ADMIN = Caller(subject="test-admin", role=Role.ADMIN)
WELCOME = Caller(subject="cw-welcome", role=Role.CASEWORKER, organisation_id="org-welcome")

# Both people as if loaded, and their consent recorded, in 2020 (their stage history,
# from the file, is of January 2023).
LOADED_LONG_AGO = """
MATCH (p:Person)
WHERE p.id IN ['p-1', 'p-2']
SET p.loaded_at = datetime('2020-01-01T00:00:00Z'),
    p.changed_at = datetime('2020-01-01T00:00:00Z')
WITH p
MATCH (p)-[:HAS_CONSENT_EVENT]->(e)
SET e.recorded_at = datetime('2020-01-01T00:00:00Z')
"""


def _inactive(driver: Driver, database: str) -> list[str]:
    return [person.person_id for person in inactive_people(driver, database, 12)]


@pytest.fixture
def long_ago(people: Driver, neo4j_settings: Neo4jSettings) -> Driver:  # noqa: F811
    people.execute_query(LOADED_LONG_AGO, database_=neo4j_settings.database)
    assert _inactive(people, neo4j_settings.database) == ["p-1", "p-2"]
    return people


def test_an_unchanged_row_loaded_again_is_not_activity(
    long_ago: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    report = load_people(long_ago, db, tmp_path, "tonight.csv", AMINA, BORIS)
    assert (report.rows_loaded, report.rows_rejected) == (2, 0)
    assert _inactive(long_ago, db) == ["p-1", "p-2"]
    output = invoke("people", "purge", "--inactive-months", "12", "--dry-run")
    assert "p-1\tlast active 2023-01-10" in output
    assert "p-2\tlast active 2023-01-10" in output
    assert "2 would be erased (dry run)" in output


def test_a_recent_stage_move_is_activity(long_ago: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    move_person_stage(long_ago, db, WELCOME, "p-1", ReadinessStage.LANGUAGE_TRAINING, date.today())
    assert _inactive(long_ago, db) == ["p-2"]
    output = invoke("people", "purge", "--inactive-months", "12", "--dry-run")
    assert "p-1" not in output
    assert "1 would be erased (dry run)" in output


def test_a_stage_move_recorded_now_counts_even_when_dated_long_ago(
    long_ago: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """The caseworker acted today; the move's own date (when it happened) is older."""
    db = neo4j_settings.database
    move_person_stage(long_ago, db, WELCOME, "p-1", ReadinessStage.LANGUAGE_TRAINING,
                      date(2023, 6, 1))  # fmt: skip
    assert _inactive(long_ago, db) == ["p-2"]


def test_a_consent_event_is_activity(long_ago: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    record_consent(long_ago, db, ADMIN, "p-2", ["matching"], evidence="form CF-0043",
                   source="test")  # fmt: skip
    assert _inactive(long_ago, db) == ["p-1"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("organisation_ids", "org-english"), ("email", "amina.z@example.org")],
    ids=["a fact", "a personal value"],
)
def test_a_row_that_says_something_new_is_activity(
    long_ago: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, field: str, value: str
) -> None:
    db = neo4j_settings.database
    report = load_people(long_ago, db, tmp_path, "changed.csv", {**AMINA, field: value}, BORIS)
    assert report.rows_rejected == 0
    assert _inactive(long_ago, db) == ["p-2"]
