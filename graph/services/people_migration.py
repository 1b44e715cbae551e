"""Migration 0007's data step: people loaded before consent history and sealed values.

Brings each person forward in batches, each batch one transaction with its audit
record: their consent properties become their first events (a grant, then a
withdrawal if they withdrew), plaintext personal values are sealed in place with a
new key per person, and a withdrawn person's record is erased (record deleted, key
destroyed). Every step skips what is already done, so a killed run is simply re-run.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.crypto import KeyStore, open_key_store
from graph.crypto.records import PERSONAL_FIELDS, seal_fields
from graph.crypto.sealing import PREFIX, is_sealed
from graph.cypher import consent as q
from graph.models.journal import EVERYTHING
from graph.services.audit import audit_in_transaction
from graph.services.consent import (
    GRANTED,
    WITHDRAWN,
    ConsentEvent,
    apply_consent_state,
    create_consent_events,
)
from graph.services.people_ingest import aware

__all__ = ["MIGRATION_CALLER", "bring_people_forward"]

MIGRATION_CALLER = Caller(subject="migration:0007", role=Role.ADMIN, via="migration")
_BATCH = 1000


def _audit(tx: ManagedTransaction, operation: str, people: int) -> None:
    # Counts, not ids: a batch holds people who never consented, whom the audit log (like
    # every other answer) names nowhere, as a load's event does not.
    audit_in_transaction(
        tx, MIGRATION_CALLER, operation, [], detail=f"people={people}", changes=EVERYTHING
    )


def _first_events(row: dict[str, Any]) -> list[ConsentEvent]:
    given, gone = aware(_native(row["given_at"])), aware(_native(row["withdrawn_at"]))
    events = []
    if given is not None:
        events.append(ConsentEvent(row["id"], GRANTED, given, tuple(sorted(row["scopes"]))))
    if gone is not None:
        events.append(ConsentEvent(row["id"], WITHDRAWN, gone))
    return events


def _histories(tx: ManagedTransaction) -> list[str]:
    rows = [r.data() for r in tx.run(q.PEOPLE_WITHOUT_CONSENT_HISTORY, limit=_BATCH)]
    events = [event for row in rows for event in _first_events(row)]
    create_consent_events(tx, events, recorded_by=MIGRATION_CALLER.subject,
                          source="migration:0007")  # fmt: skip
    ids = [row["id"] for row in rows]
    apply_consent_state(tx, ids)
    if ids:
        _audit(tx, "migrate_consent_history", len(ids))
    return ids


def _erase_withdrawn(tx: ManagedTransaction) -> list[str]:
    ids = [r["id"] for r in tx.run(q.WITHDRAWN_WITH_PERSONAL_RECORDS, limit=_BATCH)]
    if ids:
        tx.run(q.DELETE_PERSONAL_RECORDS, ids=ids).consume()
        _audit(tx, "erase_withdrawn_personal_records", len(ids))
    return ids


def _unsealed(tx: ManagedTransaction) -> list[dict[str, Any]]:
    return [
        r.data()
        for r in tx.run(
            q.UNSEALED_PERSONAL_RECORDS, fields=list(PERSONAL_FIELDS), prefix=PREFIX, limit=_BATCH
        )
    ]


def _seal(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    tx.run(q.SET_SEALED_PERSONAL_RECORDS, rows=rows).consume()
    _audit(tx, "seal_personal_records", len(rows))


def bring_people_forward(driver: Driver, database: str, keys: KeyStore | None = None) -> None:
    """The data step of migration 0007 (see the module docstring)."""
    store = keys or open_key_store()
    with driver.session(database=database) as session:
        while session.execute_write(_histories):
            pass
        while erased := session.execute_write(_erase_withdrawn):
            store.destroy(erased)
        while rows := session.execute_read(_unsealed):
            person_keys = store.ensure_keys(row["id"] for row in rows)
            sealed = [
                {
                    "id": row["id"],
                    "values": seal_fields(person_keys[row["id"]], row["id"], {
                        field: _native(value)
                        for field, value in row["values"].items()
                        if not is_sealed(value)
                    }),
                }
                for row in rows
            ]  # fmt: skip
            session.execute_write(_seal, sealed)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value
