"""Issuing, checking and revoking API keys (stored as SHA-256 hashes only)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from neo4j import Driver

from graph.access import Caller, Role
from graph.cypher import api_keys as q
from graph.models.access import ApiKeyInfo

__all__ = ["caller_for_key", "issue_api_key", "revoke_api_key"]

KEY_PREFIX = "ab_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(
    driver: Driver, database: str, name: str, role: Role, organisation_id: str | None = None
) -> tuple[ApiKeyInfo, str]:
    """A new key; the plain key is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    info = ApiKeyInfo(
        id=str(uuid.uuid4()), name=name, role=role.value, organisation_id=organisation_id
    )
    driver.execute_query(
        q.CREATE_API_KEY,
        id=info.id,
        key_hash=_hash(key),
        name=name,
        role=role.value,
        organisation_id=organisation_id,
        database_=database,
    )
    return info, key


def caller_for_key(driver: Driver, database: str, key: str) -> Caller | None:
    if not key.startswith(KEY_PREFIX):
        return None
    records, _, _ = driver.execute_query(
        q.API_KEY_BY_HASH, key_hash=_hash(key), database_=database, routing_="r"
    )
    if not records:
        return None
    info = ApiKeyInfo.model_validate(records[0]["key"])
    return Caller(subject=f"key:{info.name}", role=Role(info.role),
                  organisation_id=info.organisation_id, via="api_key")  # fmt: skip


def revoke_api_key(driver: Driver, database: str, key_id: str) -> bool:
    records, _, _ = driver.execute_query(q.REVOKE_API_KEY, id=key_id, database_=database)
    return bool(records)
