"""The audit log as a hash chain: appended inside the writer's transaction."""

from __future__ import annotations

import re
import threading

import pytest
from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.migrations import apply_migrations
from graph.models.journal import NOTHING
from graph.services.audit import audit_in_transaction, event_hash
from graph.services.audit_chain import ChainReport, chain_existing_events, verify_chain
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
        audit_in_transaction(
            tx, ADMIN, "test_write", [f"Thing:{n}", f"Thing:{n}"], f"n={n}", changes=NOTHING
        )

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
        audit_in_transaction(tx, ADMIN, "test_write", ["Marker:m"], changes=NOTHING)  # type: ignore[arg-type]
        tx.rollback()
    records, _, _ = clean_db.execute_query(
        "MATCH (n) WHERE n:Marker OR n:AuditEvent RETURN count(n) AS n",
        database_=neo4j_settings.database,
    )
    assert records[0]["n"] == 0


LEGACY_EVENT = """
UNWIND range(1, $n) AS i
CREATE (:AuditEvent {id: 'old-' + toString(i), at: datetime() - duration({days: $n - i}),
                     subject: 'cli:someone', role: 'loader', operation: 'load:people',
                     target_ids: [], detail: 'rows=' + toString(i)})
"""

OWN_FIELDS = """
MATCH (e:AuditEvent)
RETURN e {.id, .at, .subject, .role, .operation, .target_ids, .detail} AS e
ORDER BY e.id
"""


def _append(driver: Driver, database: str, n: int) -> None:
    def work(tx: ManagedTransaction, i: int) -> None:
        audit_in_transaction(tx, ADMIN, "test_write", [f"Thing:{i}"], changes=NOTHING)

    with driver.session(database=database) as session:
        for i in range(n):
            session.execute_write(work, i)


@pytest.fixture
def chained(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    """Three events from before the chain existed, chained in by the migration's
    data step, then four appended."""
    clean_db.execute_query(LEGACY_EVENT, n=3, database_=neo4j_settings.database)
    chain_existing_events(clean_db, neo4j_settings.database)
    chain_existing_events(clean_db, neo4j_settings.database)  # a re-run changes nothing
    _append(clean_db, neo4j_settings.database, 4)
    return clean_db


def test_old_events_are_chained_in_time_order_and_the_chain_verifies(
    chained: Driver, neo4j_settings: Neo4jSettings
) -> None:
    events = _events(chained, neo4j_settings.database)
    assert [e["id"] for e in events[:3]] == ["old-1", "old-2", "old-3"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5, 6, 7]
    assert verify_chain(chained, neo4j_settings.database) == ChainReport(7, None)


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (
            "MATCH (e:AuditEvent {seq: 5}) SET e.subject = 'someone-else'",
            "event 5 (.*) was changed",
        ),
        (
            "MATCH (e:AuditEvent {seq: 2}) SET e.target_ids = ['Person:p-1']",
            "event 2 (.*) was changed",
        ),
        ("MATCH (e:AuditEvent {seq: 4}) DETACH DELETE e", "event 4 missing"),
        ("MATCH (e:AuditEvent {seq: 7}) DETACH DELETE e", "newest 1 event"),
        (
            "MATCH (a:AuditEvent {seq: 3}), (b:AuditEvent {seq: 6}) "
            "SET a.seq = -1 SET b.seq = 3 SET a.seq = 6",
            "event 3 (.*) was changed",
        ),
    ],
    ids=["field", "target ids", "deleted", "newest deleted", "swapped"],
)
def test_verify_names_the_first_changed_missing_or_reordered_event(
    chained: Driver, neo4j_settings: Neo4jSettings, tamper: str, named: str
) -> None:
    chained.execute_query(tamper, database_=neo4j_settings.database)
    report = verify_chain(chained, neo4j_settings.database)
    assert not report.intact
    assert re.search(named, report.problem or "")


def test_a_changed_event_with_its_hash_recomputed_breaks_the_next_link(
    chained: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    [event] = [e for e in _events(chained, db) if e["seq"] == 2]
    forged = {**event, "detail": "rows=999"}
    chained.execute_query(
        "MATCH (e:AuditEvent {seq: 2}) SET e.detail = 'rows=999', e.hash = $hash",
        hash=event_hash(forged, str(event["prev_hash"])),
        database_=db,
    )
    report = verify_chain(chained, db)
    assert report.problem is not None
    assert report.problem.startswith("event 3 (")
    assert "does not follow event 2" in report.problem


def test_db_migrate_chains_a_log_written_before_the_chain(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """An audit log as the code before this change wrote it (no seq, no hashes, no
    head), brought forward by migration 0006 through apply_migrations, with nothing
    of the events' own fields changed."""
    db = neo4j_settings.database
    clean_db.execute_query(LEGACY_EVENT, n=5, database_=db)
    before = [r["e"] for r in clean_db.execute_query(OWN_FIELDS, database_=db).records]
    clean_db.execute_query("MATCH (m:SchemaMigration {id: '0006'}) DELETE m", database_=db)
    assert "0006" in apply_migrations(clean_db, db)
    after = [r["e"] for r in clean_db.execute_query(OWN_FIELDS, database_=db).records]
    assert after == before
    assert [e["id"] for e in _events(clean_db, db)] == [f"old-{i}" for i in range(1, 6)]
    assert verify_chain(clean_db, db) == ChainReport(5, None)


def test_concurrent_writers_queue_on_the_chain_head(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Eight threads appending at once: one chain, seq 1..N without a gap or a fork."""
    db = neo4j_settings.database

    threads = [threading.Thread(target=_append, args=(clean_db, db, 10)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [e["seq"] for e in _events(clean_db, db)] == list(range(1, 81))
    assert verify_chain(clean_db, db) == ChainReport(80, None)
