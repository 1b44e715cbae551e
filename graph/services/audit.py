"""Recording and reading the audit log (append-only; ids, never values).

Every write appends its event with :func:`audit_in_transaction` inside the write's
own transaction, so a change and its audit record commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.access import Caller
from graph.cypher import audit as q
from graph.cypher import journal as journal_cypher
from graph.models.access import AuditEvent
from graph.models.journal import NOTHING, Changes
from graph.models.provenance import Provenance
from graph.vocabulary import Label

__all__ = [
    "audit_events",
    "audit_batch",
    "audit_in_transaction",
    "audit_page",
    "event_hash",
]

_PERSON_PREFIX = f"{Label.PERSON}:"

# The change journal keeps its newest JOURNAL_KEEP changes; every PRUNE_EVERY-th write
# deletes those older, at most 2 * PRUNE_EVERY at a time, so pruning keeps pace.
JOURNAL_KEEP = 10_000
PRUNE_EVERY = 500

# The fields an event's hash covers, besides the previous hash.
HASHED_FIELDS = (
    "seq",
    "id",
    "at",
    "subject",
    "role",
    "organisation_id",
    "operation",
    "target_ids",
    "detail",
)


def audit_in_transaction(
    tx: ManagedTransaction,
    caller: Caller,
    operation: str,
    target_ids: Iterable[str],
    detail: str | None = None,
    *,
    changes: Changes,
) -> None:
    """Append one event (who, what, which ids) inside the caller's write transaction,
    and beside it, under the same ``seq``, the change journal's record of what the write
    changed (``graph.cypher.journal``): readers of derived state follow it.

    The event is chained to the one before: it locks the chain head, takes the next
    ``seq`` and hashes its fields with the previous hash. Safe to re-run when the
    driver retries the transaction: nothing of a rolled-back attempt remains.

    Call it after the transaction's writes: every writer then takes the head's lock
    last, which holds it for the least time and keeps one lock order everywhere (a
    writer holding the head never waits for another lock).
    """
    head = tx.run(q.LOCK_AUDIT_CHAIN_HEAD).single(strict=True)
    event: dict[str, Any] = {
        "seq": int(head["seq"]) + 1,
        "id": str(uuid.uuid4()),
        "at": datetime.now(UTC),
        "subject": caller.subject,
        "role": caller.role.value,
        "organisation_id": caller.organisation_id,
        "operation": operation,
        "target_ids": sorted(set(target_ids)),
        "detail": detail,
    }
    prev_hash = str(head["hash"])
    tx.run(
        q.APPEND_AUDIT_EVENT, **event, prev_hash=prev_hash, hash=event_hash(event, prev_hash)
    ).consume()
    tx.run(
        journal_cypher.APPEND_CHANGE,
        seq=event["seq"],
        kinds=sorted(changes.kinds),
        ids=sorted(changes.ids),
        whole=changes.whole,
    ).consume()
    if event["seq"] % PRUNE_EVERY == 0:
        tx.run(
            journal_cypher.PRUNE_CHANGES, seq=event["seq"], keep=JOURNAL_KEEP, batch=2 * PRUNE_EVERY
        ).consume()


def audit_batch(
    tx: ManagedTransaction,
    provenance: Provenance,
    kind: str,
    target_ids: Iterable[str],
    rows: int,
    kinds: Iterable[str] = (),
    *,
    changed: Iterable[str] | None = None,
) -> None:
    """One loader batch's event, in the batch's own transaction: who loaded which
    ids of which kind, from which source. A load killed midway leaves exactly the
    batches it committed, each with its event.

    People's ids are left out of the event: a load holds people who have not
    consented, who appear individually nowhere, the audit log included; the row count
    stays. The change journal, which no caller reads, keeps them (derived state must
    know whose facts changed) until it is pruned. ``changed``, when the batch knows
    it, names the ids whose facts it changed: only those are journalled, and a batch
    that changed none journals nothing."""
    targets = list(target_ids)
    kept = [ident for ident in targets if not ident.startswith(_PERSON_PREFIX)]
    journalled = targets if changed is None else list(changed)
    audit_in_transaction(
        tx,
        provenance.loaded_by,
        f"load:{kind}",
        kept,
        detail=f"source={provenance.source} rows={rows}",
        changes=Changes.of({kind, *kinds}, journalled)
        if changed is None or journalled
        else NOTHING,
    )


def event_hash(event: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 over a canonical JSON of the event's hashed fields and the previous hash."""
    fields = {name: event.get(name) for name in HASHED_FIELDS}
    fields["at"] = _canonical_at(fields["at"])
    fields["target_ids"] = list(fields["target_ids"] or [])
    fields["prev_hash"] = prev_hash
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def audit_page(
    driver: Driver, database: str, *, limit: int, after: tuple[datetime, str] | None = None
) -> list[AuditEvent]:
    """Newest first, keyset-paged on (time, id)."""
    records, _, _ = driver.execute_query(
        q.AUDIT_EVENTS_PAGE,
        limit=limit,
        after_at=after[0] if after else None,
        after_id=after[1] if after else None,
        database_=database,
        routing_="r",
    )
    return [_event(r["event"]) for r in records]


def audit_events(driver: Driver, database: str) -> Iterator[AuditEvent]:
    """Every event in chain order, streamed (for export): the last one's ``hash`` is
    the value to keep elsewhere and compare with later."""
    with driver.session(database=database, default_access_mode="READ") as session:
        for record in session.run(q.AUDIT_EVENTS_ALL):
            yield _event(record["event"])


def _canonical_at(value: object) -> str:
    # Neo4j keeps nanoseconds, Python microseconds: both sides hash the time as
    # Python reads it back, in UTC, to the microsecond.
    native = value.to_native() if hasattr(value, "to_native") else value
    if not isinstance(native, datetime):
        return str(native)
    return native.astimezone(UTC).isoformat(timespec="microseconds")


def _event(row: dict[str, object]) -> AuditEvent:
    at = row["at"]
    native = at.to_native() if hasattr(at, "to_native") else at
    return AuditEvent.model_validate(
        {**row, "at": native, "target_ids": row.get("target_ids") or []}
    )
