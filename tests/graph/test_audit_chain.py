"""The audit log as a hash chain: appended inside the writer's transaction."""

from __future__ import annotations

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.services.audit import audit_in_transaction, event_hash
from graph.settings import Neo4jSettings

ADMIN = Caller("auditor", Role.ADMIN)

EVENTS = """
MATCH (e:AuditEvent)
RETURN e {.*} AS event
ORDER BY e.seq
"""


def _events(driver: Driver, database: str) -> list[dict[str, object]]:
    records, _, _ = driver.execute_query(EVENTS, database_=database)
    return [r["event"] for r in records]


def test_events_appended_in_a_transaction_are_chained(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def work(tx: ManagedTransaction, n: int) -> None:
        audit_in_transaction(tx, ADMIN, "test_write", [f"Thing:{n}", f"Thing:{n}"], f"n={n}")

    with clean_db.session(database=neo4j_settings.database) as session:
        for n in range(3):
            session.execute_write(work, n)

    events = _events(clean_db, neo4j_settings.database)
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert [e["target_ids"] for e in events] == [["Thing:0"], ["Thing:1"], ["Thing:2"]]
    assert events[0]["prev_hash"] == ""
    assert [e["prev_hash"] for e in events[1:]] == [e["hash"] for e in events[:-1]]
    for event in events:
        assert event["hash"] == event_hash(event, str(event["prev_hash"]))


def test_an_event_rolled_back_with_its_write_leaves_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    with clean_db.session(database=neo4j_settings.database) as session:
        tx = session.begin_transaction()
        tx.run("CREATE (:Marker {id: 'm'})").consume()
        audit_in_transaction(tx, ADMIN, "test_write", ["Marker:m"])  # type: ignore[arg-type]
        tx.rollback()
    records, _, _ = clean_db.execute_query(
        "MATCH (n) WHERE n:Marker OR n:AuditEvent RETURN count(n) AS n",
        database_=neo4j_settings.database,
    )
    assert records[0]["n"] == 0
