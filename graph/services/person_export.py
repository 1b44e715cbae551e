"""The access export: everything held about one person, as JSON-ready data.

Facts on their node, their ties, stage and consent history, their personal values
opened with their key, and the audit events naming them. The read and its own audit
record are one transaction, so no export leaves unaudited.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.access import Caller
from graph.crypto import KeyStore, open_key_store
from graph.crypto.records import open_record
from graph.cypher import people_rights as q
from graph.models.journal import NOTHING
from graph.services.audit import audit_in_transaction
from graph.services.consent import person_for_caller
from graph.services.reads import plain

__all__ = ["export_json", "export_person"]

# Kept out of "facts": they appear in their own sections.
_SECTIONED = {"stage_names", "stage_dates", "consent_scopes", "consent_given_at",
              "consent_withdrawn_at"}  # fmt: skip


def _rows(tx: ManagedTransaction, query: Any, **params: Any) -> list[dict[str, Any]]:
    return [plain(record.data()) for record in tx.run(query, params)]


def export_person(
    driver: Driver, database: str, caller: Caller, person_id: str, *, keys: KeyStore | None = None
) -> dict[str, Any]:
    """Everything held about the person, for an administrator (anyone: that is how a
    subject access request is answered) or a caseworker of an organisation that
    supports them and with which they currently share; anyone else's id answers as an
    unknown one. Ties to people who do not consent are counted, never named."""

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        state = person_for_caller(tx, caller, person_id, shared=True)
        facts = _rows(tx, q.PERSON_FACTS, person_id=person_id)[0]["facts"]
        record = _rows(tx, q.PERSON_PERSONAL_RECORD, person_id=person_id)
        audit = _rows(tx, q.AUDIT_EVENTS_ABOUT, target=f"Person:{person_id}", person_id=person_id)
        export = {
            "person_id": person_id,
            "facts": {k: v for k, v in sorted(facts.items()) if k not in _SECTIONED},
            "stage_history": [
                {"stage": stage, "on": on}
                for stage, on in zip(
                    facts.get("stage_names") or [], facts.get("stage_dates") or [], strict=False
                )
            ],  # fmt: skip
            "consent": {
                "current": state.current,
                "given_at": state.given_at,
                "withdrawn_at": state.withdrawn_at,
                "scopes": list(state.scopes),
                "history": [
                    r["event"] for r in _rows(tx, q.PERSON_CONSENT_HISTORY, person_id=person_id)
                ],  # fmt: skip
            },
            "ties": _rows(tx, q.PERSON_TIES, person_id=person_id, places=caller.places_param),
            "ties_to_people_without_consent": _rows(
                tx, q.PERSON_TIES_WITHHELD, person_id=person_id, places=caller.places_param
            ),
            "personal_record": record[0]["record"] if record else None,
            "audit_events": [r["event"] for r in audit],
        }
        audit_in_transaction(tx, caller, "export_person", [f"Person:{person_id}"], changes=NOTHING)
        return export

    with driver.session(database=database) as session:
        export = session.execute_write(work)
    if export["personal_record"] is not None:
        key = (keys or open_key_store()).keys_for([person_id]).get(person_id)
        export["personal_record"] = open_record(key, person_id, export["personal_record"])
    return export


def export_json(export: dict[str, Any], indent: int | None = None) -> str:
    """The export as JSON text, dates and times in ISO 8601."""
    return json.dumps(export, indent=indent, default=_iso, ensure_ascii=False)


def _iso(value: object) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"cannot export {type(value).__name__}")
