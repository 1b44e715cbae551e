"""Migration 0007 on a database in the shape the loader wrote before it: plaintext
personal records and consent as bare properties."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from graph.crypto import open_key_store
from graph.crypto.records import PERSONAL_FIELDS, open_record
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings

# As MERGE_PEOPLE and MERGE_PERSONAL_RECORDS wrote them before 0007 (times without zone).
OLD_PLACE = """
CREATE (o:CommunityOrganisation {id: 'org-a', name: 'Welcome'})
CREATE (a:Person {id: 'p-a', stage: 'accreditation', languages: ['ar:C2'],
  stage_names: ['engaged', 'accreditation'], stage_dates: [date('2023-01-10'), date('2024-02-01')],
  consent_scopes: ['matching', 'share:org-a'],
  consent_given_at: localdatetime('2023-01-10T10:00:00'), source: 'survey.csv'})
CREATE (w:Person {id: 'p-w', stage: 'engaged', consent_scopes: ['matching'],
  consent_given_at: localdatetime('2023-01-10T10:00:00'),
  consent_withdrawn_at: localdatetime('2024-03-01T09:00:00'), source: 'survey.csv'})
CREATE (n:Person {id: 'p-n', stage: 'engaged', source: 'survey.csv'})
CREATE (a)-[:SUPPORTED_BY {strength: 0.8}]->(o), (w)-[:SUPPORTED_BY]->(o), (a)-[:KNOWS]->(w)
CREATE (a)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {id: 'p-a', name: 'Amina Oldshape',
  email: 'amina.oldshape@example.org', date_of_birth: date('1988-04-02'), source: 'survey.csv'})
CREATE (w)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {id: 'p-w', name: 'Wafa Withdrawn',
  immigration_status: 'refugee', source: 'survey.csv'})
CREATE (n)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {id: 'p-n', name: 'Nour Neverasked'})
"""

SNAPSHOT = """
MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:AuditEvent AND NOT n:AuditChainHead AND NOT n:Change
OPTIONAL MATCH (n)-[r]->(m)
RETURN labels(n) AS labels, properties(n) AS props, type(r) AS type, properties(r) AS rel,
       m.id AS to
ORDER BY n.id, labels(n)[0], type, to
"""
_CONSENT = {"consent_given_at", "consent_withdrawn_at", "consent_scopes"}


def _snapshot(driver: Driver, database: str) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(SNAPSHOT, database_=database)
    return [r.data() for r in records]


def _rerun_0007(driver: Driver, database: str) -> list[str]:
    driver.execute_query("MATCH (m:SchemaMigration {id: '0007'}) DELETE m", database_=database)
    return apply_migrations(driver, database)


def test_0007_brings_an_old_database_forward_and_loses_nothing_else(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    clean_db.execute_query(OLD_PLACE, database_=db)
    before = _snapshot(clean_db, db)

    assert _rerun_0007(clean_db, db) == ["0007"]

    after = _snapshot(clean_db, db)
    store = open_key_store()
    records = {r["props"]["id"]: r["props"] for r in after if r["labels"] == ["PersonalRecord"]}
    # Plaintext sealed in place, and it opens to exactly what was there.
    assert set(records) == {"p-a", "p-n"}
    keys = store.keys_for(["p-a", "p-n", "p-w"])
    assert set(keys) == {"p-a", "p-n"}
    assert open_record(keys["p-a"], "p-a", records["p-a"]) == {
        "name": "Amina Oldshape", "email": "amina.oldshape@example.org",
        "date_of_birth": "1988-04-02",
    }  # fmt: skip
    assert open_record(keys["p-n"], "p-n", records["p-n"]) == {"name": "Nour Neverasked"}
    text = repr(after)
    for value in ("Amina Oldshape", "amina.oldshape", "1988-04-02", "Wafa Withdrawn", "Nour"):
        assert value not in text
    # Consent turned into its first events; the current state derived from them.
    events, _, _ = clean_db.execute_query(
        "MATCH (p:Person)-[:HAS_CONSENT_EVENT]->(e) RETURN p.id AS id, e.kind AS kind, "
        "e.scopes AS scopes, toString(e.at) AS at, e.source AS source ORDER BY id, e.at",
        database_=db,
    )
    assert [tuple(r.values()) for r in events] == [
        ("p-a", "granted", ["matching", "share:org-a"], "2023-01-10T10:00:00Z", "migration:0007"),
        ("p-w", "granted", ["matching"], "2023-01-10T10:00:00Z", "migration:0007"),
        ("p-w", "withdrawn", [], "2024-03-01T09:00:00Z", "migration:0007"),
    ]

    # Nothing else lost: every other node, property and tie is as it was.
    def same(rows: list[dict[str, Any]]) -> list[Any]:
        kept = []
        for row in rows:
            if row["labels"] in (["PersonalRecord"], ["ConsentEvent"]):
                continue
            if row["type"] in ("HAS_PERSONAL_RECORD", "HAS_CONSENT_EVENT"):
                continue
            props = {k: v for k, v in row["props"].items() if k not in _CONSENT}
            kept.append((row["labels"], props, row["type"], row["rel"], row["to"]))
        return kept

    assert same(after) == same(before)
    people = {r["props"]["id"]: r["props"] for r in after if r["labels"] == ["Person"]}
    assert people["p-a"]["consent_scopes"] == ["matching", "share:org-a"]
    assert people["p-a"].get("consent_withdrawn_at") is None
    assert people["p-w"]["consent_withdrawn_at"] is not None
    assert "consent_given_at" not in people["p-n"]

    # Run again (a killed run repeated): nothing changes.
    assert _rerun_0007(clean_db, db) == ["0007"]
    assert _snapshot(clean_db, db) == after
    assert set(PERSONAL_FIELDS) >= set(records["p-a"]) - {"id", "source"}
