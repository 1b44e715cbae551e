"""Erasure and retention: a person's personal values removed from the graph and made
unreadable everywhere else by destroying their key.

What remains of an erased person is their pseudonymous node (its random id, stage
history, area, skills) and its ties, so counts and the network's shape stay true;
their consent stands as erased, so they are never shown individually again, and a
load cannot bring their values back without a new grant of consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from neo4j import Driver, ManagedTransaction

from graph.access import Caller
from graph.crypto import KeyStore, open_key_store
from graph.cypher import people_rights as q
from graph.models.journal import Changes
from graph.services.audit import audit_in_transaction
from graph.services.consent import (
    ERASED,
    ConsentEvent,
    apply_consent_state,
    create_consent_events,
    person_for_caller,
)
from graph.services.reads import read_rows

__all__ = ["Erasure", "InactivePerson", "erase_person", "inactive_people", "purge_inactive"]


@dataclass(frozen=True)
class Erasure:
    person_id: str
    key_destroyed: bool
    files_removed: tuple[Path, ...]


@dataclass(frozen=True)
class InactivePerson:
    person_id: str
    last_active: datetime | None


def erase_person(
    driver: Driver,
    database: str,
    caller: Caller,
    person_id: str,
    *,
    source: str,
    keys: KeyStore | None = None,
) -> Erasure:
    """Erase one person's personal data: the record and the erasure event commit with
    their audit record; then the key is destroyed and the files the product wrote with
    their values (access exports) are deleted. Safe to run again."""
    store = keys or open_key_store()

    def work(tx: ManagedTransaction) -> None:
        person_for_caller(tx, caller, person_id)
        create_consent_events(tx, [ConsentEvent(person_id, ERASED, datetime.now(UTC))],
                              recorded_by=caller.subject, source=source)  # fmt: skip
        apply_consent_state(tx, [person_id])
        tx.run(q.ERASE_PERSONAL_RECORD, person_id=person_id).consume()
        audit_in_transaction(tx, caller, "erase_person", [f"Person:{person_id}"],
                             detail=f"source={source}",
                             changes=Changes.of({"PersonalRecord", "ConsentEvent"},
                                                [f"Person:{person_id}"]))  # fmt: skip

    with driver.session(database=database) as session:
        session.execute_write(work)
    destroyed = store.destroy([person_id]) > 0
    removed = []
    for path in store.files_for(person_id):
        if path.exists():
            path.unlink()
            removed.append(path)
    store.forget_files(person_id)
    return Erasure(person_id, destroyed, tuple(removed))


def inactive_people(driver: Driver, database: str, months: int) -> list[InactivePerson]:
    """People holding a personal record with no activity for ``months`` months: no
    stage change, consent event or load touching them since (a month is 30 days)."""
    cutoff = datetime.now(UTC) - timedelta(days=30 * months)
    rows = read_rows(driver, database, q.INACTIVE_PEOPLE, cutoff=cutoff)
    return [InactivePerson(r["id"], r["last_active"]) for r in rows]


def purge_inactive(
    driver: Driver, database: str, caller: Caller, months: int, *, keys: KeyStore | None = None
) -> list[Erasure]:
    """Erase every person :func:`inactive_people` names, one by one, as erasure does."""
    store = keys or open_key_store()
    return [
        erase_person(
            driver, database, caller, person.person_id, source=f"retention:{months}m", keys=store
        )  # fmt: skip
        for person in inactive_people(driver, database, months)
    ]
