"""Issuing, checking and revoking API keys (stored as SHA-256 hashes only).

Issuing and revoking commit together with their audit record. A key names the places its
holder may see, by the same rules as a token (``graph.access.credential_places``)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role, credential_places, places_to_issue
from graph.cypher import api_keys as q
from graph.models.access import ApiKeyInfo
from graph.models.journal import CREDENTIALS
from graph.services.audit import audit_in_transaction
from graph.settings import get_place_settings

__all__ = ["caller_for_key", "issue_api_key", "revoke_api_key"]

KEY_PREFIX = "ab_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(
    driver: Driver,
    database: str,
    name: str,
    role: Role,
    organisation_id: str | None = None,
    *,
    caller: Caller,
    places: Iterable[str] | None = None,
) -> tuple[ApiKeyInfo, str]:
    """A new key; the plain key is returned once and never stored.

    ``places`` left out: the default place, or every place for an administrator.
    """
    if role is Role.CASEWORKER and not organisation_id:
        raise ValueError("a caseworker's key needs the caseworker's organisation")
    held = places_to_issue(role, places, "places")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    info = ApiKeyInfo(
        id=str(uuid.uuid4()),
        name=name,
        role=role.value,
        organisation_id=organisation_id,
        places=None if held is None else sorted(held),
    )

    def work(tx: ManagedTransaction) -> None:
        tx.run(
            q.CREATE_API_KEY,
            id=info.id,
            key_hash=_hash(key),
            name=name,
            role=role.value,
            organisation_id=organisation_id,
            places=info.places,
        ).consume()
        # What the key may see is what an auditor asks of it: role and places.
        seen = "all" if info.places is None else ",".join(info.places)
        audit_in_transaction(tx, caller, "issue_api_key", [info.id],
                             detail=f"{role.value} places={seen}", changes=CREDENTIALS)  # fmt: skip

    with driver.session(database=database) as session:
        session.execute_write(work)
    return info, key


def caller_for_key(driver: Driver, database: str, key: str) -> Caller | None:
    """The caller a key signs in, None for no such key, ``ValueError`` for a key whose
    stored places are not usable (the message is safe to show)."""
    if not key.startswith(KEY_PREFIX):
        return None
    records, _, _ = driver.execute_query(
        q.API_KEY_BY_HASH, key_hash=_hash(key), database_=database, routing_="r"
    )
    if not records:
        return None
    info = ApiKeyInfo.model_validate(records[0]["key"])
    role = Role(info.role)
    stored: list[str] | None = info.places
    if stored is None and role is not Role.ADMIN:
        # Issued before places existed (it could not be issued so since): migration 0010
        # put everything it saw then into the default place, so it sees that place.
        stored = [get_place_settings().default_place_id]
    places = credential_places(role, stored, "the API key's places")
    return Caller(subject=f"key:{info.name}", role=role, organisation_id=info.organisation_id,
                  via="api_key", places=places)  # fmt: skip


def revoke_api_key(driver: Driver, database: str, key_id: str, *, caller: Caller) -> bool:
    """Revoke a key by its id; False (and nothing written) when there is no such key."""

    def work(tx: ManagedTransaction) -> bool:
        if tx.run(q.REVOKE_API_KEY, id=key_id).single() is None:
            return False
        audit_in_transaction(tx, caller, "revoke_api_key", [key_id], changes=CREDENTIALS)
        return True

    with driver.session(database=database) as session:
        return session.execute_write(work)
