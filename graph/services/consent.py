"""Consent as history: every grant, change of scope and withdrawal is a dated event,
and the current state on the Person is derived from the latest one.

Every consent change goes through :func:`apply_consent_state`, inside the write's own
transaction, with its audit record. A withdrawal removes the personal record in that
transaction and then destroys the person's key (``graph.crypto``), so what a backup
holds of their personal values can no longer be opened.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role
from graph.crypto import KeyStore, open_key_store
from graph.cypher import consent as q
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.services.audit import audit_in_transaction

__all__ = [
    "ConsentEvent",
    "ConsentState",
    "apply_consent_state",
    "create_consent_events",
    "person_for_caller",
    "record_consent",
    "withdraw_consent",
]

GRANTED = "granted"
SCOPES_CHANGED = "scopes_changed"
WITHDRAWN = "withdrawn"
ERASED = "erased"


@dataclass(frozen=True)
class ConsentEvent:
    person_id: str
    kind: str
    at: datetime
    scopes: tuple[str, ...] = ()

    def params(self) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "person_id": self.person_id,
            "kind": self.kind,
            "at": self.at,
            "scopes": list(self.scopes),
        }


@dataclass(frozen=True)
class ConsentState:
    """A person's consent as it stands after the latest event."""

    person_id: str
    given_at: datetime | None
    withdrawn_at: datetime | None
    scopes: tuple[str, ...]
    last_event_at: datetime | None = None

    @property
    def current(self) -> bool:
        return self.given_at is not None and self.withdrawn_at is None


def apply_consent_state(tx: ManagedTransaction, person_ids: Iterable[str]) -> set[str]:
    """Set each person's current consent properties from their latest event; return
    those whose consent now stands withdrawn. The only writer of those properties."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    return {r["id"] for r in tx.run(q.APPLY_CONSENT_STATE, ids=ids) if r["withdrawn"]}


def create_consent_events(
    tx: ManagedTransaction, events: Sequence[ConsentEvent], *, recorded_by: str, source: str
) -> None:
    """Append events (who recorded them, from which source); the state is not touched."""
    if events:
        tx.run(
            q.CREATE_CONSENT_EVENTS,
            events=[event.params() for event in events],
            recorded_by=recorded_by,
            source=source,
        ).consume()


def person_for_caller(tx: ManagedTransaction, caller: Caller, person_id: str) -> ConsentState:
    """The person's consent, if the caller may act for them: an administrator for
    anyone, a caseworker for people an organisation of theirs supports. Anyone else's
    id looks unknown, so the answer does not say who exists."""
    if caller.role is not Role.ADMIN and not (
        caller.role is Role.CASEWORKER and caller.organisation_id
    ):
        raise ForbiddenError("only a caseworker of a supporting organisation or an administrator")
    record = tx.run(
        q.PERSON_FOR_CALLER,
        person_id=person_id,
        everyone=caller.role is Role.ADMIN,
        organisation_id=caller.organisation_id,
    ).single()
    if record is None:
        raise NotFoundError(f"personId: no person with id {person_id!r}")
    return ConsentState(
        person_id,
        _native(record["given_at"]),
        _native(record["withdrawn_at"]),
        tuple(record["scopes"]),
        _native(record["last_event_at"]),
    )


def _effective(at: datetime | None, before: ConsentState) -> datetime:
    """When a new event takes effect: now, or ``at``, which must not be in the future nor
    before the latest event (the new event must become the current state)."""
    now = datetime.now(UTC)
    when = now if at is None else (at if at.tzinfo else at.replace(tzinfo=UTC))
    if when > now:
        raise InvalidInputError(f"at: {when.isoformat()} is in the future")
    last = before.last_event_at
    if last is not None and when < last:
        raise InvalidInputError(
            f"at: {when.isoformat()} is before the person's latest consent event "
            f"({last.isoformat()})"
        )
    return when


def record_consent(
    driver: Driver,
    database: str,
    caller: Caller,
    person_id: str,
    scopes: Sequence[str],
    *,
    at: datetime | None = None,
    source: str,
) -> ConsentState:
    """Record the person's consent with these scopes: a grant if they had none (or had
    withdrawn), else a change of scope. Committed with its audit record."""
    clean = _scopes(scopes)

    def work(tx: ManagedTransaction) -> ConsentState:
        before = person_for_caller(tx, caller, person_id)
        kind = SCOPES_CHANGED if before.current else GRANTED
        when = _effective(at, before)
        if before.withdrawn_at is not None and when <= before.withdrawn_at:
            raise InvalidInputError(
                f"at: consent was withdrawn at {before.withdrawn_at.isoformat()}; "
                "a new grant must come after it"
            )
        create_consent_events(tx, [ConsentEvent(person_id, kind, when, clean)],
                              recorded_by=caller.subject, source=source)  # fmt: skip
        apply_consent_state(tx, [person_id])
        audit_in_transaction(tx, caller, f"consent_{kind}", [f"Person:{person_id}"],
                             detail=f"source={source}; scopes={','.join(clean)}")  # fmt: skip
        return person_for_caller(tx, caller, person_id)

    with driver.session(database=database) as session:
        return session.execute_write(work)


def withdraw_consent(
    driver: Driver,
    database: str,
    caller: Caller,
    person_id: str,
    *,
    at: datetime | None = None,
    source: str,
    keys: KeyStore | None = None,
) -> ConsentState:
    """Record the withdrawal, remove the personal record in the same transaction (with
    the audit record), then destroy the person's key."""

    def work(tx: ManagedTransaction) -> ConsentState:
        when = _effective(at, person_for_caller(tx, caller, person_id))
        create_consent_events(tx, [ConsentEvent(person_id, WITHDRAWN, when)],
                              recorded_by=caller.subject, source=source)  # fmt: skip
        apply_consent_state(tx, [person_id])
        tx.run(q.DELETE_PERSONAL_RECORDS_OF_WITHDRAWN, ids=[person_id]).consume()
        audit_in_transaction(tx, caller, "consent_withdrawn", [f"Person:{person_id}"],
                             detail=f"source={source}")  # fmt: skip
        return person_for_caller(tx, caller, person_id)

    with driver.session(database=database) as session:
        state = session.execute_write(work)
    (keys or open_key_store()).destroy([person_id])
    return state


def _scopes(scopes: Sequence[str]) -> tuple[str, ...]:
    clean = sorted({scope.strip() for scope in scopes if scope.strip()})
    if not clean:
        raise InvalidInputError("scopes: name at least one scope (e.g. matching, share:org-a)")
    for scope in clean:
        if len(scope) > 120 or any(ch.isspace() for ch in scope):
            raise InvalidInputError(f"scopes: {scope[:40]!r} is not a scope")
    return tuple(clean)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value
