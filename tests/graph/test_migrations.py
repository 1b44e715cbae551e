from __future__ import annotations

import pytest
from neo4j import Driver
from neo4j.exceptions import ConstraintError

from graph.cypher.schema import SHOW_CONSTRAINT_NAMES
from graph.migrations import MIGRATIONS, apply_migrations
from graph.services.journal import catch_up, journal_position
from graph.settings import Neo4jSettings
from graph.vocabulary import ENTITY_LABELS

SHOW_UNIQUE_LABELS = """
SHOW CONSTRAINTS
YIELD type, labelsOrTypes, properties
WHERE type = 'UNIQUENESS' AND properties = ['id']
RETURN labelsOrTypes[0] AS label
"""


def test_every_entity_label_has_a_unique_id(driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    records, _, _ = driver.execute_query(SHOW_UNIQUE_LABELS, database_=neo4j_settings.database)
    labels = {r["label"] for r in records}
    assert {str(label) for label in ENTITY_LABELS} <= labels


def test_migrating_again_changes_nothing(driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    before, _, _ = driver.execute_query(SHOW_CONSTRAINT_NAMES, database_=neo4j_settings.database)
    assert apply_migrations(driver, neo4j_settings.database) == []
    after, _, _ = driver.execute_query(SHOW_CONSTRAINT_NAMES, database_=neo4j_settings.database)
    assert sorted(r["name"] for r in before) == sorted(r["name"] for r in after)
    recorded, _, _ = driver.execute_query(
        "MATCH (m:SchemaMigration) RETURN m.id AS id ORDER BY id", database_=neo4j_settings.database
    )
    assert [r["id"] for r in recorded] == [m.id for m in MIGRATIONS]


def test_migrating_again_commits_nothing(driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    """Loaders and the API migrate at every start: once up to date that must commit no
    transaction, or every load looks to the change journal's readers like a write made
    round the product, and the candidate index is reread whole."""
    db = neo4j_settings.database
    apply_migrations(driver, db)
    before = journal_position(driver, db)
    assert before.transaction is not None
    assert apply_migrations(driver, db) == []
    after = journal_position(driver, db)
    assert after.transaction == before.transaction
    assert catch_up(driver, db, before).complete


def test_duplicate_ids_are_refused(clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    clean_db.execute_query("CREATE (:Person {id: 'p1'})", database_=neo4j_settings.database)
    with pytest.raises(ConstraintError):
        clean_db.execute_query("CREATE (:Person {id: 'p1'})", database_=neo4j_settings.database)
