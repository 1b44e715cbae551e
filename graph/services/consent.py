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

from graph.access import Caller, Role, share_scope
from graph.crypto import KeyStore, open_key_store
from graph.cypher import consent as q
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.models.journal import Changes
from graph.models.people import ConsentScope
from graph.services.audit import audit_in_transaction
from graph.services.history import as_of_day

__all__ = [
    "ConsentEvent",
    "ConsentState",
    "apply_consent_state",
    "consent_changes",
    "create_consent_events",
    "person_for_caller",
    "record_consent",
    "withdraw_consent",
]

GRANTED = "granted"
SCOPES_CHANGED = "scopes_changed"
WITHDRAWN = "withdrawn"
ERASED = "erased"
SHARE_PREFIX = share_scope("")
GENERAL_SCOPES = tuple(scope.value for scope in ConsentScope)
# A reference or a short note, never the form itself: it is stored in plain text and
# erasure keeps it (docs/security.md), so it must not hold personal values.
EVIDENCE_MAX_LENGTH = 200


@dataclass(frozen=True)
class ConsentEvent:
    person_id: str
    kind: str
    at: datetime
    scopes: tuple[str, ...] = ()
    evidence: str | None = None

    def params(self) -> dict[str, Any]:
        # As text for CREATE_CONSENT_EVENTS to parse; a time without a zone is UTC.
        at = self.at if self.at.tzinfo is not None else self.at.replace(tzinfo=UTC)
        return {
            "id": str(uuid.uuid4()),
            "person_id": self.person_id,
            "kind": self.kind,
            "at": at.isoformat(),
            "scopes": list(self.scopes),
            "evidence": self.evidence,
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


def consent_changes(person_id: str) -> Changes:
    """A consent event changes the person's consent (who sees them, who is matched)
    and may remove their personal record."""
    return Changes.of({"ConsentEvent", "PersonalRecord"}, [f"Person:{person_id}"])


def apply_consent_state(tx: ManagedTransaction, person_ids: Iterable[str]) -> set[str]:
    """Set each person's current consent properties from their latest event; return
    those whose consent now stands withdrawn. The only writer of those properties."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    return {r["id"] for r in tx.run(q.APPLY_CONSENT_STATE, ids=ids)}


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


def person_for_caller(
    tx: ManagedTransaction, caller: Caller, person_id: str, *, shared: bool = False
) -> ConsentState:
    """The person's consent, if the caller may act for them: an administrator for
    anyone, a caseworker for people an organisation of theirs supports (either only in
    the caller's places), and with
    ``shared`` only while the person consents to share with that organisation. Anyone
    else's id looks unknown, so the answer does not say who exists."""
    if caller.role is not Role.ADMIN and not (
        caller.role is Role.CASEWORKER and caller.organisation_id
    ):
        raise ForbiddenError("only a caseworker of a supporting organisation or an administrator")
    record = tx.run(
        q.PERSON_FOR_CALLER,
        person_id=person_id,
        everyone=caller.role is Role.ADMIN,
        places=caller.places_param,
        organisation_id=caller.organisation_id,
        scope=share_scope(caller.organisation_id or "") if shared else None,
        as_of=as_of_day(),
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
    evidence: str,
    at: datetime | None = None,
    source: str,
) -> ConsentState:
    """Record the person's consent with these scopes, which replace the current ones
    whole: a grant if they had none (or had withdrawn), else a change of scope.
    ``evidence`` says what the consent rests on (a signed form's reference, a note of
    a verbal consent). A caseworker may name general scopes and their own
    organisation's share only, and may not re-grant after a withdrawal or erasure.
    Committed with its audit record."""
    positions = _scopes(scopes)
    clean = tuple(sorted(positions))
    proof = _evidence(evidence)

    def work(tx: ManagedTransaction) -> ConsentState:
        before = person_for_caller(tx, caller, person_id)
        if caller.role is not Role.ADMIN:
            _caseworker_may_record(caller, before, positions)
        kind = SCOPES_CHANGED if before.current else GRANTED
        when = _effective(at, before)
        if before.withdrawn_at is not None and when <= before.withdrawn_at:
            raise InvalidInputError(
                f"at: consent was withdrawn at {before.withdrawn_at.isoformat()}; "
                "a new grant must come after it"
            )
        create_consent_events(tx, [ConsentEvent(person_id, kind, when, clean, proof)],
                              recorded_by=caller.subject, source=source)  # fmt: skip
        apply_consent_state(tx, [person_id])
        audit_in_transaction(tx, caller, f"consent_{kind}", [f"Person:{person_id}"],
                             detail=f"source={source}; scopes={','.join(clean)}",
                             changes=consent_changes(person_id))  # fmt: skip
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
                             detail=f"source={source}",
                             changes=consent_changes(person_id))  # fmt: skip
        return person_for_caller(tx, caller, person_id)

    with driver.session(database=database) as session:
        state = session.execute_write(work)
    (keys or open_key_store()).destroy([person_id])
    return state


def _caseworker_may_record(caller: Caller, before: ConsentState, positions: dict[str, int]) -> None:
    """A caseworker's own organisation's share and the general scopes are theirs to
    record; another organisation's share, and consent again after the person withdrew
    or was erased, are an administrator's decision."""
    if before.withdrawn_at is not None:
        raise ForbiddenError(
            f"personId: the person's consent was withdrawn (or they were erased) on "
            f"{before.withdrawn_at.date().isoformat()}; only an administrator may record a "
            "new grant"
        )
    own = share_scope(caller.organisation_id or "")
    for scope, index in positions.items():
        if scope.startswith(SHARE_PREFIX) and scope != own and scope not in before.scopes:
            raise ForbiddenError(
                f"scopes[{index}]: {scope!r} would share the person's details with another "
                "organisation; only an administrator may record it"
            )
    for scope in before.scopes:
        if scope.startswith(SHARE_PREFIX) and scope != own and scope not in positions:
            raise ForbiddenError(
                f"scopes: the person shares with another organisation ({scope!r}) and only "
                "an administrator may remove that; the scopes replace the current ones "
                "whole, so name it to keep it"
            )


def _scopes(scopes: Sequence[str]) -> dict[str, int]:
    """Each scope, once, with the index it was first given at (for error messages)."""
    positions: dict[str, int] = {}
    for index, raw in enumerate(scopes):
        scope = raw.strip()
        if not scope:
            raise InvalidInputError(f"scopes[{index}]: is empty")
        known = scope in GENERAL_SCOPES or (
            scope.startswith(SHARE_PREFIX) and len(scope) > len(SHARE_PREFIX)
        )
        if not known or len(scope) > 120 or any(ch.isspace() for ch in scope):
            raise InvalidInputError(
                f"scopes[{index}]: {scope[:40]!r} is not a scope; use "
                f"{', '.join(GENERAL_SCOPES)} or "
                "share:<organisation id>"
            )
        positions.setdefault(scope, index)
    if not positions:
        raise InvalidInputError("scopes: name at least one scope (e.g. matching, share:org-a)")
    return positions


def _evidence(evidence: str) -> str:
    proof = evidence.strip()
    if not proof:
        raise InvalidInputError(
            "evidence: say what the consent rests on (the signed form's reference, or a "
            "note of a verbal consent)"
        )
    if len(proof) > EVIDENCE_MAX_LENGTH:
        raise InvalidInputError(
            f"evidence: at most {EVIDENCE_MAX_LENGTH} characters (a reference, not the form)"
        )
    if any(not ch.isprintable() for ch in proof):
        raise InvalidInputError("evidence: one line of text, without control characters")
    return proof


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value
