"""What access control reads and writes: personal details, audit events, API keys."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

__all__ = ["ApiKeyInfo", "AuditEvent", "PersonalDetails"]


class PersonalDetails(BaseModel):
    person_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    immigration_status: str | None = None
    address: str | None = None
    postcode: str | None = None


class AuditEvent(BaseModel):
    id: str
    at: datetime
    subject: str
    role: str
    organisation_id: str | None = None
    operation: str
    target_ids: list[str] = Field(default_factory=list)
    detail: str | None = None
    # The hash chain (None only before migration 0006 chains an old event in).
    seq: int | None = None
    prev_hash: str | None = None
    hash: str | None = None


class ApiKeyInfo(BaseModel):
    id: str
    name: str
    role: str
    organisation_id: str | None = None
    # The places the key's holder may see, as stored (None: see graph.cypher.api_keys).
    places: list[str] | None = None
