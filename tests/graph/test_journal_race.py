"""A catch-up that overlaps commits of the product is still complete.

A catch-up reads the journal in a read transaction whose bookmark names the last
commit when it closed; a journalled commit landing after the journal's head was read
but before the transaction closed is counted in the bookmark and not in the head, which
looks like a write made round the journal. Readers then dropped everything they held:
in a busy place, with derived state following the journal four times a second, several
times a minute."""

from __future__ import annotations

import threading

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.models.journal import NOTHING
from graph.services.audit import audit_in_transaction
from graph.services.journal import catch_up, journal_position
from graph.settings import Neo4jSettings

WRITER = Caller("journal-race-writer", Role.ADMIN)


def _journalled_write(tx: ManagedTransaction) -> None:
    audit_in_transaction(tx, WRITER, "read_personal_details", [], changes=NOTHING)


def test_catch_ups_overlapping_journalled_commits_are_all_complete(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    stop = threading.Event()
    writes = 0

    def write() -> None:
        nonlocal writes
        with clean_db.session(database=db) as session:
            while not stop.wait(0.05):
                session.execute_write(_journalled_write)
                writes += 1

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    incomplete = catch_ups = 0
    try:
        # At least 200 catch-ups, and on until the writer has committed 30 times beside
        # them: an unchanged catch-up is one quick read, so 200 can pass between a few
        # writes on a fast machine (the cap only stops a writer that never writes).
        while catch_ups < 200 or (writes < 30 and catch_ups < 20_000):
            position = journal_position(clean_db, db)
            if not catch_up(clean_db, db, position).complete:
                incomplete += 1
            catch_ups += 1
    finally:
        stop.set()
        writer.join(timeout=30)
    assert writes >= 30, "the writer must have overlapped the catch-ups"
    assert incomplete == 0
