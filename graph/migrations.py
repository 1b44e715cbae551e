"""Schema migrations: uniqueness constraints and indexes, applied idempotently.

Each migration has a stable id and is recorded on a ``SchemaMigration`` node once
applied. Every statement is ``IF NOT EXISTS`` as well, so a half-applied run
(killed between two statements) completes cleanly on the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import LiteralString

from neo4j import Driver, ManagedTransaction, Session

from graph.cypher import audit as audit_cypher
from graph.cypher import consent, journal, places, revocations
from graph.cypher import schema as q
from graph.names import product_names
from graph.services.audit_chain import chain_existing_events
from graph.services.people_migration import bring_people_forward
from graph.services.places_migration import bring_places_forward
from graph.vocabulary import Label, RelType

__all__ = ["MIGRATIONS", "Migration", "apply_migrations"]


@dataclass(frozen=True)
class Migration:
    """Schema statements, then (optionally) a data step that brings existing nodes
    forward. A data step must be safe to run again: a run killed after it but before
    the record is written repeats it."""

    id: str
    description: str
    statements: tuple[LiteralString, ...]
    data: Callable[[Driver, str], None] | None = None


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001", "unique external id on every entity label", q.UNIQUE_ID_CONSTRAINTS),
    Migration("0002", "indexes for list filters", q.SEARCH_INDEXES),
    Migration("0003", "indexes for matching", q.MATCHING_INDEXES),
    Migration("0004", "audit log and API keys", q.ACCESS_CONSTRAINTS),
    Migration(
        "0006",
        "audit events hash-chained; idempotency keys",
        audit_cypher.AUDIT_CHAIN_CONSTRAINTS,
        chain_existing_events,
    ),
    Migration(
        "0007",
        "consent as history; personal values sealed per person; withdrawn records erased",
        consent.CONSENT_CONSTRAINTS,
        bring_people_forward,
    ),
    Migration("0008", "revoked tokens and subjects", revocations.REVOCATION_CONSTRAINTS),
    Migration("0009", "change journal, one change a seq", journal.JOURNAL_CONSTRAINTS),
    Migration(
        "0010",
        "places: everything loaded before goes into the default place",
        places.PLACE_CONSTRAINTS,
        bring_places_forward,
    ),
    Migration("0011", "indexes of a support tie's dates", q.HISTORY_INDEXES),
)


def _applied_ids(tx: ManagedTransaction) -> set[str]:
    return {record["id"] for record in tx.run(q.APPLIED_MIGRATION_IDS)}


def _record(tx: ManagedTransaction, migration: Migration) -> None:
    tx.run(q.RECORD_MIGRATION, id=migration.id, description=migration.description).consume()


def apply_migrations(driver: Driver, database: str) -> list[str]:
    """Apply the migrations not yet recorded; return the ids applied by this call.

    Schema statements cannot share a transaction with writes, so each runs in
    its own auto-commit transaction; the record is written afterwards.
    """
    with driver.session(database=database) as session:
        done = session.execute_read(_applied_ids)
        if all(migration.id in done for migration in MIGRATIONS):
            # Nothing to do, and nothing run: even an IF NOT EXISTS that changes nothing
            # commits a transaction, which the change journal's readers cannot account for
            # and answer by rereading whole (every loader and API start calls this).
            _register_names(session)
            return []
        # The constraint on SchemaMigration must exist before we MERGE on it.
        session.run(q.UNIQUE_ID_CONSTRAINTS[-1]).consume()
        applied: list[str] = []
        for migration in MIGRATIONS:
            if migration.id in done:
                continue
            for statement in migration.statements:
                session.run(statement).consume()
            if migration.data is not None:
                session.run(q.AWAIT_INDEXES).consume()
                migration.data(driver, database)
            session.execute_write(_record, migration)
            applied.append(migration.id)
        if applied:
            # New indexes populate in the background; wait so the first load uses them.
            session.run(q.AWAIT_INDEXES).consume()
        _register_names(session)
    return applied


def _register_names(session: Session) -> None:
    """Register every name the product's queries use, so that a write using one for the
    first time (the first stage move of a new place) does not also commit the name in a
    transaction of its own, which readers of derived state cannot tell from a write made
    round the product. Commits nothing when every name is known."""
    names = product_names()
    session.execute_write(
        lambda tx: tx.run(
            q.REGISTER_NAMES,
            labels=sorted(names.labels | set(Label)),
            types=sorted(names.types | set(RelType)),
            keys=sorted(names.keys),
        ).consume()
    )
