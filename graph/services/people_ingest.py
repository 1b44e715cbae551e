"""Writing survey batches of people: consent turned into history, stage history kept,
personal values sealed with each person's key, all in one transaction with its audit.

A load cannot reverse a withdrawal: the check refuses a row that would (naming
``consent_withdrawn_at``), and a withdrawn person's personal values are never written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.crypto import KeyStore, open_key_store
from graph.crypto.records import row_digest, seal_record
from graph.cypher import consent as cq
from graph.cypher import ingest_links as lk
from graph.cypher import ingest_nodes as n
from graph.models.people import PersonProfile
from graph.models.provenance import Provenance
from graph.services.audit import audit_batch
from graph.services.consent import (
    GRANTED,
    SCOPES_CHANGED,
    WITHDRAWN,
    ConsentEvent,
    apply_consent_state,
    create_consent_events,
)
from graph.services.ingest import Problem, merge_place, people_problems
from graph.services.reads import read_rows
from graph.vocabulary import Label

__all__ = ["aware", "check_people", "write_people"]

_CONSENT_FIELDS = ("consent_scopes", "consent_given_at", "consent_withdrawn_at")


def aware(value: datetime | None) -> datetime | None:
    """Survey times without a zone are UTC, so they order against times that have one."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def check_people(driver: Driver, database: str, profiles: Sequence[PersonProfile]) -> list[Problem]:
    """References the graph lacks, and rows that would reverse a withdrawal."""
    problems = people_problems(driver, database, profiles)
    ids = sorted({p.person.id for p in profiles})
    rows = read_rows(driver, database, cq.CONSENT_WITHDRAWN_AT, ids=ids) if ids else []
    withdrawn = {r["id"]: aware(r["withdrawn_at"]) for r in rows}
    now = datetime.now(UTC)
    for index, profile in enumerate(profiles):
        person = profile.person
        given, gone = aware(person.consent_given_at), aware(person.consent_withdrawn_at)
        # A future time would outrank every event recorded until then, an erasure included.
        for field, moment in (("consent_given_at", given), ("consent_withdrawn_at", gone)):
            if moment is not None and moment > now:
                problems.append(Problem(index, field, "is in the future"))
        if given is not None and gone is not None and gone < given:
            problems.append(Problem(index, "consent_withdrawn_at", "is before consent_given_at"))
        before = withdrawn.get(person.id)
        if before is None:
            continue
        if gone is None or (given is not None and given > before):
            problems.append(
                Problem(
                    index,
                    "consent_withdrawn_at",
                    f"the person withdrew consent on {before.date().isoformat()}; a load "
                    "cannot restore it (record new consent with recordConsent or "
                    "`assetbridge people consent`)",
                )
            )
    return problems


def _history(row: dict[str, Any]) -> list[tuple[str, date]]:
    dates = [date.fromisoformat(day) for day in row["stage_dates"]]
    return list(zip(row["stage_names"], dates, strict=False))


def _at(event: dict[str, Any]) -> datetime | None:
    """An event's time from CONSENT_HISTORIES' epoch seconds and nanoseconds."""
    if event["seconds"] is None:
        return None
    return datetime.fromtimestamp(event["seconds"], UTC) + timedelta(
        microseconds=event["nanosecond"] // 1000
    )


def _merged_stage(profile: PersonProfile, row: dict[str, Any] | None) -> dict[str, Any]:
    """Stage history as the union of the graph's and the file's, in date order; the
    graph's stage is kept when it has a change the file does not know of yet."""
    person = profile.person
    from_file = [(stage.value, when) for stage, when in person.stage_history]
    held = _history(row) if row else []
    merged = sorted(dict.fromkeys(held + from_file), key=lambda pair: pair[1])
    stage = person.stage.value
    last_in_file = max((when for _, when in from_file), default=None)
    if row and row["stage"] and held and (last_in_file is None or held[-1][1] > last_in_file):
        stage = row["stage"]
    return {
        "stage": stage,
        "stage_names": [name for name, _ in merged],
        "stage_dates": [when for _, when in merged],
    }


def _consent_events(profile: PersonProfile, row: dict[str, Any] | None,
                    loaded_at: datetime) -> list[ConsentEvent]:  # fmt: skip
    person = profile.person
    held = row["events"] if row else []
    given, gone = aware(person.consent_given_at), aware(person.consent_withdrawn_at)
    scopes = tuple(sorted(set(person.consent_scopes)))
    known = {(e["kind"], _at(e)) for e in held}
    events: list[ConsentEvent] = []
    if given is not None and (GRANTED, given) not in known:
        events.append(ConsentEvent(person.id, GRANTED, given, scopes))
    elif given is not None and gone is None and held:
        # The same grant with other scopes: a change of scope, effective from this load.
        latest = held[-1]
        if latest["kind"] in (GRANTED, SCOPES_CHANGED) and tuple(latest["scopes"]) != scopes:
            events.append(ConsentEvent(person.id, SCOPES_CHANGED, loaded_at, scopes))
    if gone is not None and (WITHDRAWN, gone) not in known:
        events.append(ConsentEvent(person.id, WITHDRAWN, gone))
    return events


def _digest(profile: PersonProfile, key: bytes | None) -> str:
    """What the file says of the person (facts, stage and consent as given, personal
    values, skills, supporting organisations): an unchanged row re-loaded gives the same
    digest, so it is not counted as activity (retention, graph/services/erasure.py).
    Personal values are in it only under the person's key; without one they are never
    written either (a withdrawn person)."""
    row = profile.model_dump(mode="json", exclude={"personal"} if key is None else set())
    row["skill_ids"] = sorted(set(profile.skill_ids))
    row["organisation_ids"] = sorted(set(profile.organisation_ids))
    return row_digest(key, row)


def _states(tx: ManagedTransaction, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """What the batch may change of each person, comparable before and after."""
    # Lists in any order, of values that may be null: compared by their text, sorted.
    return {
        r["id"]: (
            r["person"],
            *(
                sorted(map(repr, r[name] or []))
                for name in ("areas", "skills", "organisations", "records")
            ),
            r["events"],
        )
        for r in tx.run(n.PEOPLE_STATES, ids=ids)
    }


def write_people(
    driver: Driver,
    database: str,
    profiles: Sequence[PersonProfile],
    provenance: Provenance,
    *,
    keys: KeyStore | None = None,
) -> None:
    """MERGE one batch of checked survey profiles with their consent events, personal
    records (sealed), area, skills and support, and the batch's audit record."""
    if not profiles:
        return
    ids = sorted({p.person.id for p in profiles})
    # Keys are made before the transaction (it may be retried, and must do no other
    # I/O); a withdrawn person's values are never sealed, so they get none.
    keep = [p for p in profiles if p.personal and p.person.consent_withdrawn_at is None]
    store = (keys or open_key_store()) if keep else keys
    person_keys = store.ensure_keys(p.person.id for p in keep) if store else {}
    records = [
        {"props": seal_record(person_keys[p.person.id], p.person.id, p.personal.node_properties())}
        for p in keep
        if p.personal
    ]
    digests = {p.person.id: _digest(p, person_keys.get(p.person.id)) for p in profiles}
    links = [
        {"id": p.person.id, "area_id": p.person.home_area_id,
         "skill_ids": p.skill_ids, "organisation_ids": p.organisation_ids}
        for p in profiles
    ]  # fmt: skip
    params = provenance.as_params()

    def work(tx: ManagedTransaction) -> set[str]:
        before = _states(tx, ids)
        held = {r["id"]: r.data() for r in tx.run(cq.CONSENT_HISTORIES, ids=ids)}
        people, events = [], []
        for p in profiles:
            props = {
                k: v for k, v in p.person.node_properties().items() if k not in _CONSENT_FIELDS
            }
            props.update(_merged_stage(p, held.get(p.person.id)))
            people.append({"props": props, "digest": digests[p.person.id]})
            events.extend(_consent_events(p, held.get(p.person.id), provenance.loaded_at))
        made = merge_place(tx, provenance)
        tx.run(n.MERGE_PEOPLE, {"rows": people, **params}).consume()
        create_consent_events(tx, events, recorded_by=provenance.loaded_by.subject,
                              source=f"file:{provenance.source}")  # fmt: skip
        withdrawn = apply_consent_state(tx, ids)
        tx.run(cq.DELETE_PERSONAL_RECORDS_OF_WITHDRAWN, ids=sorted(withdrawn)).consume()
        tx.run(n.MERGE_PERSONAL_RECORDS, {"rows": records, **params}).consume()
        tx.run(lk.LINK_PERSON_HOME_AREAS, {"rows": links, **params}).consume()
        tx.run(lk.LINK_PERSON_SKILLS, {"rows": links, **params}).consume()
        tx.run(lk.LINK_PERSON_ORGANISATIONS, {"rows": links, **params}).consume()
        after = _states(tx, ids)
        # Derived state rereads whom the journal names: only those the batch changed,
        # so a nightly sync of unchanged rows costs readers nothing.
        changed = [*made, *(f"Person:{i}" for i in ids if after[i] != before[i])]
        audit_batch(tx, provenance, Label.PERSON, [f"Person:{i}" for i in ids], len(profiles),
                    changed=changed)  # fmt: skip
        return withdrawn

    with driver.session(database=database) as session:
        withdrawn = session.execute_write(work)
    if withdrawn:
        (store or open_key_store()).destroy(withdrawn)
