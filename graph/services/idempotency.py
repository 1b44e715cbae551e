"""Run a write at most once per request, however often it is retried.

A mutation given a client-chosen key claims it first, inside its own
transaction. A key seen before returns the result stored with it and writes
nothing, so a client's retry after a lost response counts once.

Without a key, the driver's own retries are still safe: a transaction it retries
was rolled back, leaving nothing of the attempt, and a commit whose answer was
lost is not retried by the driver (it raises ``IncompleteCommit``, which the
caller hears as unavailable; retrying then is what the key is for).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from graph.access import Caller
from graph.cypher import idempotency as q
from graph.errors import InvalidInputError

__all__ = ["RequestKey", "request_key", "run_once"]

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class RequestKey:
    """Where a request's first result is kept, and a hash of what it asked."""

    id: str
    request_hash: str


def request_key(
    caller: Caller, client_key: str | None, request: dict[str, Any]
) -> RequestKey | None:
    """The key of one call, kept apart per subject so one caller's keys never
    answer another's; ``None`` when the client chose none."""
    if client_key is None:
        return None
    if not 1 <= len(client_key) <= MAX_KEY_LENGTH:
        raise InvalidInputError(f"idempotencyKey: between 1 and {MAX_KEY_LENGTH} characters")
    ident = f"{caller.subject}:{client_key}"
    text = json.dumps(request, sort_keys=True, default=str, separators=(",", ":"))
    return RequestKey(ident, hashlib.sha256(text.encode("utf-8")).hexdigest())


def run_once(
    tx: ManagedTransaction,
    key: RequestKey | None,
    operation: str,
    work: Callable[[ManagedTransaction], dict[str, Any]],
) -> dict[str, Any]:
    """``work(tx)`` the first time ``key`` is seen (always, without a key); the
    stored result every time after. The result must be JSON-serialisable."""
    if key is None:
        return work(tx)
    claim = tx.run(
        q.CLAIM_IDEMPOTENCY_KEY, id=key.id, operation=operation, request_hash=key.request_hash
    ).single(strict=True)
    if not claim["fresh"]:
        if claim["operation"] != operation or claim["request_hash"] != key.request_hash:
            raise InvalidInputError(
                "idempotencyKey: already used for a different request; choose a new key"
            )
        stored: dict[str, Any] = json.loads(claim["result"])
        return stored
    result = work(tx)
    tx.run(q.STORE_IDEMPOTENT_RESULT, id=key.id, result=json.dumps(result, default=str)).consume()
    return result
