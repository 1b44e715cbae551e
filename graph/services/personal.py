"""Personal details, behind the one guard every path to them goes through.

The rule is applied in the query itself (not after it), so a caller without the
right never has the values in memory, and every read is audited.
"""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import Driver

from graph.access import Caller, Role, share_scope
from graph.cypher import personal as q
from graph.errors import ForbiddenError
from graph.models.access import PersonalDetails
from graph.services.audit import record_audit
from graph.services.reads import read_rows

__all__ = ["personal_details"]


def personal_details(
    driver: Driver, database: str, caller: Caller, person_ids: Sequence[str]
) -> dict[str, PersonalDetails]:
    """Details of those people the caller may see: everyone who consented, for an
    administrator; those who consented to share with the caller's organisation, for a
    caseworker. Any other role is refused outright."""
    if not caller.reads_personal:
        raise ForbiddenError("personal details are not available to this role")
    everyone = caller.role is Role.ADMIN
    scope = share_scope(caller.organisation_id) if caller.organisation_id else ""
    rows = read_rows(
        driver,
        database,
        q.PERSONAL_RECORDS,
        ids=sorted(set(person_ids)),
        everyone=everyone,
        scope=scope,
    )
    # Plain values: a date of birth comes back from the driver as its own Date type.
    found = {r["record"]["person_id"]: PersonalDetails.model_validate(r["record"]) for r in rows}
    if found:
        record_audit(driver, database, caller, "read_personal", found)
    return found
