"""The audit log's hash chain: chaining in old events, and checking the chain.

Each event carries ``seq`` (1, 2, ...), the previous event's hash and its own:
SHA-256 over a canonical JSON of its fields and that previous hash (see
:func:`graph.services.audit.event_hash`). Changing any field of an event breaks
its own hash; deleting, inserting or reordering events breaks a ``seq`` or a
link; deleting the newest events leaves the chain head ahead of the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import audit as q
from graph.services.audit import event_hash

__all__ = ["ChainReport", "chain_existing_events", "verify_chain"]

# Events chained per transaction by the migration.
CHAIN_BATCH = 1000


@dataclass(frozen=True)
class ChainReport:
    """How many events were read, and the first problem found (``None``: intact)."""

    events: int
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def chain_existing_events(driver: Driver, database: str) -> None:
    """Migration 0006's data step: chain the events written before the chain existed,
    oldest first (by time, then id), after any already chained. Safe to run again:
    only events with no ``seq`` are taken, under the chain head's lock."""

    def batch(tx: ManagedTransaction) -> int:
        head = tx.run(q.LOCK_AUDIT_CHAIN_HEAD).single(strict=True)
        seq, prev_hash = int(head["seq"]), str(head["hash"])
        rows = []
        for record in tx.run(q.UNCHAINED_AUDIT_EVENTS, limit=CHAIN_BATCH):
            seq += 1
            event = {**record["event"], "seq": seq}
            digest = event_hash(event, prev_hash)
            rows.append({"id": event["id"], "seq": seq, "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
        tx.run(q.CHAIN_AUDIT_EVENTS, rows=rows, seq=seq, hash=prev_hash).consume()
        return len(rows)

    with driver.session(database=database) as session:
        while session.execute_write(batch) == CHAIN_BATCH:
            pass


def verify_chain(driver: Driver, database: str) -> ChainReport:
    """Walk the chain oldest first and report the first changed, missing or
    reordered event, or that it is intact."""
    with driver.session(database=database, default_access_mode="READ") as session:
        head = session.run(q.AUDIT_CHAIN_HEAD).single(strict=True)
        count, problem, prev_hash = _walk(
            record["event"]
            for record in session.run(q.AUDIT_EVENTS_IN_CHAIN_ORDER, upto=head["seq"])
        )
    if problem is None and (int(head["seq"]) != count or str(head["hash"]) != prev_hash):
        missing = int(head["seq"]) - count
        problem = (
            f"the newest {missing} event(s) after event {count} are missing "
            f"(the chain head is at event {head['seq']})"
            if missing > 0
            else f"the chain head (event {head['seq']}) does not match the last event ({count})"
        )
    return ChainReport(count, problem)


def _walk(events: Iterator[dict[str, Any]]) -> tuple[int, str | None, str]:
    """(events read, first problem or None, hash of the last good event)."""
    count, prev_hash = 0, ""
    for event in events:
        count += 1
        seq, ident = event.get("seq"), event["id"]
        if seq is None:
            return (
                count,
                (
                    f"event {ident} is outside the chain (it has no seq; `assetbridge db migrate` "
                    "chains events written before the chain existed)"
                ),
                prev_hash,
            )
        if seq > count:
            gap = f"event {count}" if seq == count + 1 else f"events {count} to {seq - 1}"
            return count, f"{gap} missing (the chain goes from {count - 1} to {seq})", prev_hash
        if event_hash(event, str(event.get("prev_hash"))) != event.get("hash"):
            return count, f"event {seq} ({ident}) was changed: its hash does not match", prev_hash
        if event.get("prev_hash") != prev_hash:
            return (
                count,
                (
                    f"event {seq} ({ident}) does not follow event {seq - 1}: "
                    "events were reordered, or the one before was changed"
                ),
                prev_hash,
            )
        prev_hash = str(event["hash"])
    return count, None, prev_hash
