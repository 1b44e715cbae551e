"""Pruning expired revocations and old idempotency keys, with its audit record."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver, ManagedTransaction

from graph.access import Caller
from graph.cypher import housekeeping as q
from graph.models.journal import CREDENTIALS
from graph.services.audit import audit_in_transaction

__all__ = ["IDEMPOTENCY_KEEP_DAYS", "Pruned", "prune_expired"]

# A client retries a lost answer within minutes; a week leaves room for a batch job that
# replays yesterday's requests.
IDEMPOTENCY_KEEP_DAYS = 7


@dataclass(frozen=True)
class Pruned:
    revoked_tokens: int
    revoked_subjects: int
    idempotency_keys: int


def prune_expired(
    driver: Driver,
    database: str,
    caller: Caller,
    *,
    max_token_lifetime_s: int,
    idempotency_keep_days: int = IDEMPOTENCY_KEEP_DAYS,
) -> Pruned:
    """Delete revocations older than the longest a token lives, and idempotency keys older
    than ``idempotency_keep_days``, in one transaction with its audit record."""

    def work(tx: ManagedTransaction) -> Pruned:
        def pruned(query: str, **params: int) -> int:
            return int(tx.run(query, **params).single(strict=True)["pruned"])  # type: ignore[arg-type]

        result = Pruned(
            pruned(q.PRUNE_REVOKED_TOKENS, max_lifetime_s=max_token_lifetime_s),
            pruned(q.PRUNE_REVOKED_SUBJECTS, max_lifetime_s=max_token_lifetime_s),
            pruned(q.PRUNE_IDEMPOTENCY_KEYS, keep_days=idempotency_keep_days),
        )
        audit_in_transaction(
            tx, caller, "prune_expired", [],
            detail=(f"revoked_tokens={result.revoked_tokens} "
                    f"revoked_subjects={result.revoked_subjects} "
                    f"idempotency_keys={result.idempotency_keys}"),
            changes=CREDENTIALS,
        )  # fmt: skip
        return result

    with driver.session(database=database) as session:
        return session.execute_write(work)
