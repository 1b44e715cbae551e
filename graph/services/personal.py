"""Personal details, behind the one guard every path to them goes through.

The rule is applied in the query itself (not after it), so a caller without the
right never has the values in memory, and every read is audited: the read and its
audit record are one write transaction, so no value is returned unaudited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.access import Caller, Role, share_scope
from graph.crypto import KeyStore, open_key_store
from graph.crypto.records import open_record
from graph.cypher import personal as q
from graph.errors import ForbiddenError
from graph.models.access import PersonalDetails
from graph.models.journal import NOTHING
from graph.services.audit import audit_in_transaction
from graph.services.reads import INTERACTIVE_RETRY_S, plain

__all__ = ["personal_details"]


def personal_details(
    driver: Driver,
    database: str,
    caller: Caller,
    person_ids: Sequence[str],
    *,
    keys: KeyStore | None = None,
) -> dict[str, PersonalDetails]:
    """Details of those people the caller may see: everyone who consented, for an
    administrator; those who consented to share with the caller's organisation, for a
    caseworker. Any other role is refused outright."""
    if not caller.reads_personal:
        raise ForbiddenError("personal details are not available to this role")
    everyone = caller.role is Role.ADMIN
    scope = share_scope(caller.organisation_id) if caller.organisation_id else ""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        result = tx.run(
            q.PERSONAL_RECORDS, ids=sorted(set(person_ids)), everyone=everyone, scope=scope
        )
        # Plain values: a date of birth comes back from the driver as its own Date type.
        rows = [plain(record.data()) for record in result]
        if rows:
            audit_in_transaction(
                tx,
                caller,
                "read_personal",
                [r["record"]["person_id"] for r in rows],
                changes=NOTHING,
            )
        return rows

    with driver.session(
        database=database, max_transaction_retry_time=INTERACTIVE_RETRY_S
    ) as session:
        rows = session.execute_write(work)
    # Values are stored sealed with each person's key (graph.crypto); one whose key is
    # gone (an erased person) or that is not sealed is never shown.
    ids = [r["record"]["person_id"] for r in rows]
    person_keys = (keys or open_key_store()).keys_for(ids) if ids else {}
    return {
        ident: PersonalDetails.model_validate(
            {"person_id": ident, **open_record(person_keys.get(ident), ident, r["record"])}
        )
        for ident, r in zip(ids, rows, strict=True)
    }
