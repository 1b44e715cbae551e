"""The audit log, for administrators: who read personal details or wrote, and when."""

from __future__ import annotations

import base64
from datetime import datetime

import strawberry

from graph.models.access import AuditEvent as AuditEventModel
from graph.services.audit import audit_page
from schema.context import GraphInfo
from schema.errors import BadUserInput
from schema.resolving import call_graph

__all__ = ["AuditQuery"]

MAX_FIRST = 100


@strawberry.type(description="One audited action; ids only, never the values read or written.")
class AuditEvent:
    id: strawberry.ID
    at: datetime
    subject: str
    role: str
    organisation_id: str | None
    operation: str
    target_ids: list[str]
    detail: str | None
    seq: int | None = strawberry.field(description="Place in the hash chain (1, 2, ...)")
    hash: str | None = strawberry.field(
        description="SHA-256 over the event and the previous event's hash"
    )

    @classmethod
    def from_model(cls, model: AuditEventModel) -> AuditEvent:
        return cls(**model.model_dump(exclude={"prev_hash"}))


@strawberry.type(description="A page of the audit log, newest first.")
class AuditPage:
    events: list[AuditEvent]
    end_cursor: str | None
    has_next_page: bool


def _cursor(event: AuditEventModel) -> str:
    return base64.urlsafe_b64encode(f"{event.at.isoformat()}|{event.id}".encode()).decode()


def _after(cursor: str) -> tuple[datetime, str]:
    try:
        at, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(at), ident
    except ValueError as error:
        raise BadUserInput("after: not a cursor from this list") from error


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The audit log, newest first (administrators only).")
    async def audit_log(
        self, info: GraphInfo, first: int = 50, after: str | None = None
    ) -> AuditPage:
        if not 1 <= first <= MAX_FIRST:
            raise BadUserInput(f"first must be between 1 and {MAX_FIRST}")
        cursor = _after(after) if after else None
        events = await call_graph(
            audit_page, info.context.driver, info.context.database, limit=first + 1, after=cursor
        )
        page = events[:first]
        return AuditPage(
            events=[AuditEvent.from_model(e) for e in page],
            end_cursor=_cursor(page[-1]) if page else None,
            has_next_page=len(events) > first,
        )
