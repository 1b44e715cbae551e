"""A catch-up that overlaps commits of the product is still complete.

A catch-up reads the journal in a read transaction whose bookmark names the last
commit when it closed; a journalled commit landing after the journal's head was read
but before the transaction closed is counted in the bookmark and not in the head, which
looks like a write made round the journal. Readers then dropped everything they held:
in a busy place, with derived state following the journal four times a second, several
times a minute."""

from __future__ import annotations

import threading
from collections.abc import Callable

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.models.journal import NOTHING
from graph.services.audit import audit_in_transaction
from graph.services.journal import catch_up, journal_position, transaction_id
from graph.settings import Neo4jSettings

WRITER = Caller("journal-race-writer", Role.ADMIN)


def _journalled_write(tx: ManagedTransaction) -> None:
    audit_in_transaction(tx, WRITER, "read_personal_details", [], changes=NOTHING)


class _Writer:
    """Journalled commits every ``every_s`` in a thread of its own, counted."""

    def __init__(self, driver: Driver, database: str, every_s: float) -> None:
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(driver, database, every_s),
                                        daemon=True)  # fmt: skip

    def _run(self, driver: Driver, database: str, every_s: float) -> None:
        with driver.session(database=database) as session:
            while not self._stop.wait(every_s):
                session.execute_write(_journalled_write)
                self.writes += 1

    def beside(self, catch_up_once: Callable[[], bool]) -> int:
        """Runs ``catch_up_once`` (True: complete) at least 200 times, and on until this
        writer has committed 30 times beside them: an unchanged catch-up is one quick
        read, so 200 can pass between a few writes on a fast machine (the cap only stops
        a writer that never writes). Gives how many were incomplete."""
        self._thread.start()
        incomplete = catch_ups = 0
        try:
            while catch_ups < 200 or (self.writes < 30 and catch_ups < 20_000):
                incomplete += not catch_up_once()
                catch_ups += 1
        finally:
            self._stop.set()
            self._thread.join(timeout=30)
        assert self.writes >= 30, "the writer must have overlapped the catch-ups"
        return incomplete


def test_catch_ups_overlapping_journalled_commits_are_all_complete(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    writer = _Writer(clean_db, db, 0.05)
    assert (
        writer.beside(lambda: catch_up(clean_db, db, journal_position(clean_db, db)).complete) == 0
    )


def test_catch_ups_bracketed_by_an_earlier_read_follow_every_commit(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """A question's catch-up takes the commit its token check named as the first half of
    its bracket. Chained, as derived state follows the journal (each catch-up from the
    position the last one gave), beside a writer: every one accounts for every commit,
    and the last position is the journal's own once the writer stops. A pair of head and
    commit that disagreed would leave the next catch-up incomplete, or the end behind."""
    db = neo4j_settings.database

    def token_check() -> int | None:
        with clean_db.session(database=db) as session:
            session.execute_read(lambda tx: tx.run("RETURN 1").consume())
            return transaction_id(session.last_bookmarks().raw_values)

    position = journal_position(clean_db, db)

    def chained() -> bool:
        nonlocal position
        followed = catch_up(clean_db, db, position, seen=token_check())
        position = followed.position
        return followed.complete

    assert _Writer(clean_db, db, 0.02).beside(chained) == 0
    last = catch_up(clean_db, db, position, seen=token_check())
    assert last.complete
    assert last.position == journal_position(clean_db, db)
