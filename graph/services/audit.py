"""Recording and reading the audit log (append-only; ids, never values)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from neo4j import Driver

from graph.access import Caller
from graph.cypher import audit as q
from graph.models.access import AuditEvent

__all__ = ["audit_events", "audit_page", "record_audit"]


def record_audit(
    driver: Driver,
    database: str,
    caller: Caller,
    operation: str,
    target_ids: Iterable[str],
    detail: str | None = None,
) -> None:
    """Append one event: who (subject, role, organisation), what, which ids."""
    driver.execute_query(
        q.RECORD_AUDIT_EVENT,
        id=str(uuid.uuid4()),
        subject=caller.subject,
        role=caller.role.value,
        organisation_id=caller.organisation_id,
        operation=operation,
        target_ids=sorted(set(target_ids)),
        detail=detail,
        database_=database,
    )


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
    """Every event, oldest first, streamed (for export)."""
    with driver.session(database=database, default_access_mode="READ") as session:
        for record in session.run(q.AUDIT_EVENTS_ALL):
            yield _event(record["event"])


def _event(row: dict[str, object]) -> AuditEvent:
    at = row["at"]
    native = at.to_native() if hasattr(at, "to_native") else at
    return AuditEvent.model_validate(
        {**row, "at": native, "target_ids": row.get("target_ids") or []}
    )
