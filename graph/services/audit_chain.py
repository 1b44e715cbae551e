"""The audit log's hash chain: chaining in old events, and checking the chain.

Each event carries ``seq`` (1, 2, ...), the previous event's hash and its own:
SHA-256 over a canonical JSON of its fields and that previous hash (see
:func:`graph.services.audit.event_hash`). Changing any field of an event breaks
its own hash; deleting, inserting or reordering events breaks a ``seq`` or a
link; deleting the newest events leaves the chain head ahead of the last one.

Deleting the newest events *and* moving the head back leaves a shorter chain that is
whole. Two things still show it: the change journal, written under the same ``seq`` in
each write's transaction, holding a change past the head; and the witness kept outside
the graph by the last check (:mod:`graph.services.audit_witness`), whose event must
still be there with the same hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.cypher import audit as q
from graph.services.audit import event_hash
from graph.services.audit_witness import (
    RESET_HINT,
    Witness,
    database_id,
    read_witness,
    write_witness,
)

__all__ = ["ChainReport", "chain_existing_events", "verify_chain", "verify_with_witness"]

# Events chained per transaction by the migration.
CHAIN_BATCH = 1000


@dataclass(frozen=True)
class ChainReport:
    """How many events were read, and the first problem found (``None``: intact)."""

    events: int
    problem: str | None
    # The newest event's hash, and the witness compared with (if any).
    head_hash: str = field(default="", compare=False)
    witness: Witness | None = field(default=None, compare=False)

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


def verify_chain(driver: Driver, database: str, witness: Witness | None = None) -> ChainReport:
    """Walk the chain oldest first and report the first changed, missing or
    reordered event, or that it is intact; with a ``witness``, also that the event it
    saw is still there, unchanged."""
    witnessed: dict[str, str] = {}
    with driver.session(database=database, default_access_mode="READ") as session:
        journal = session.run(q.JOURNAL_LAST_SEQ).single()
        head = session.run(q.AUDIT_CHAIN_HEAD).single(strict=True)
        rows = session.run(q.AUDIT_EVENTS_IN_CHAIN_ORDER, upto=head["seq"])
        count, problem, prev_hash = _walk(_noting((r["event"] for r in rows), witness, witnessed))
    head_seq = int(head["seq"])
    if problem is None and (head_seq != count or str(head["hash"]) != prev_hash):
        missing = head_seq - count
        problem = (
            f"the newest {missing} event(s) after event {count} are missing "
            f"(the chain head is at event {head_seq})"
            if missing > 0
            else f"the chain head (event {head_seq}) does not match the last event ({count})"
        )
    journalled = int(journal["last"]) if journal is not None else 0
    if problem is None and journalled > head_seq:
        problem = (
            f"the chain ends at event {head_seq} but the change journal records writes up to "
            f"{journalled}: the newest events were removed, with the chain head moved back"
        )
    if problem is None and witness is not None:
        problem = _against(witness, count, witnessed.get("hash"))
    return ChainReport(count, problem, prev_hash, witness)


def verify_with_witness(
    driver: Driver, database: str, path: Path, *, reset: bool = False
) -> ChainReport:
    """:func:`verify_chain` against the witness kept in ``path`` for this database, then,
    if the chain is intact, keep its newest event there as the witness for next time.

    ``reset`` ignores the witness held (after a restore from backup, which shortens the
    log on purpose) and keeps the chain's newest event in its place."""
    ident = database_id(driver, database)
    # Read before the chain: a check running meanwhile only moves the witness on.
    held = None if reset else read_witness(path, ident)
    report = verify_chain(driver, database, held)
    if report.intact:
        write_witness(
            path, Witness(ident, report.events, report.head_hash, datetime.now(UTC)), replace=reset
        )
    return report


def _noting(
    events: Iterable[dict[str, Any]], witness: Witness | None, witnessed: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """The events as they are walked, noting the witnessed event's hash on the way."""
    for event in events:
        if witness is not None and event.get("seq") == witness.seq:
            witnessed["hash"] = str(event.get("hash"))
        yield event


def _against(witness: Witness, count: int, found: str | None) -> str | None:
    if witness.seq == 0:
        return None  # the witness saw an empty log: there is no event to find
    when = f"{witness.at:%Y-%m-%d %H:%M} UTC"
    if count < witness.seq:
        return (
            f"the chain ends at event {count}, but the witness saw event {witness.seq} on "
            f"{when}: the newest {witness.seq - count} event(s) were removed, with the chain "
            f"head moved back ({RESET_HINT})"
        )
    if found != witness.hash:
        return (
            f"event {witness.seq} is not the one the witness saw on {when} (its hash "
            "differs): the chain was rebuilt from that event or before"
        )
    return None


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
