"""Revoking bearer tokens, and asking whether one is revoked.

A token is refused when its own id (``jti``) is revoked, or when its subject's tokens
were revoked at or after the second it was issued. Each revocation commits together
with its audit record.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import READ_ACCESS, Driver, ManagedTransaction

from graph.access import Caller
from graph.cypher import revocations as q
from graph.models.journal import CREDENTIALS
from graph.services.audit import audit_in_transaction
from graph.services.journal import transaction_id

__all__ = ["TokenCheck", "check_token", "revoke_subject", "revoke_token", "token_revoked"]


def revoke_token(driver: Driver, database: str, caller: Caller, jti: str) -> None:
    """Revoke one token by its id; revoking it again changes nothing but the audit log."""

    def work(tx: ManagedTransaction) -> None:
        tx.run(q.REVOKE_TOKEN, jti=jti).consume()
        audit_in_transaction(tx, caller, "revoke_token", [jti], changes=CREDENTIALS)

    with driver.session(database=database) as session:
        session.execute_write(work)


def revoke_subject(driver: Driver, database: str, caller: Caller, subject: str) -> int:
    """Revoke every token of ``subject`` issued up to now; return that moment (epoch seconds).

    Tokens issued later, in a later second, are accepted again.
    """

    def work(tx: ManagedTransaction) -> int:
        record = tx.run(q.REVOKE_SUBJECT, subject=subject).single(strict=True)
        audit_in_transaction(tx, caller, "revoke_subject", [subject], changes=CREDENTIALS)
        return int(record["revoked_before"])

    with driver.session(database=database) as session:
        return session.execute_write(work)


@dataclass(frozen=True)
class TokenCheck:
    """Whether a token is revoked, and the last transaction the database had committed
    when that was read (``None``: the bookmark gave none; ``graph.services.journal``)."""

    revoked: bool
    transaction: int | None


def check_token(
    driver: Driver, database: str, jti: str, subject: str, issued_at: int
) -> TokenCheck:
    """Whether the token ``jti`` of ``subject``, issued at ``issued_at``, is revoked.

    The read's bookmark comes with it: every request makes this read before any
    question, so a question whose derived state has reached that very commit knows,
    with no read of its own, that nothing it must reflect has landed since (read your
    writes holds for every write that returned before the request came)."""

    def work(tx: ManagedTransaction) -> bool:
        record = tx.run(q.TOKEN_REVOKED, jti=jti, subject=subject, issued_at=issued_at)
        return bool(record.single(strict=True)["revoked"])

    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        revoked = session.execute_read(work)
        return TokenCheck(revoked, transaction_id(session.last_bookmarks().raw_values))


def token_revoked(driver: Driver, database: str, jti: str, subject: str, issued_at: int) -> bool:
    """Whether the token ``jti`` of ``subject``, issued at ``issued_at``, is revoked."""
    return check_token(driver, database, jti, subject, issued_at).revoked
