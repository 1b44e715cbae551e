"""Writes an employment hub makes daily, each one validated, then one transaction."""

from __future__ import annotations

from datetime import date

from neo4j import Driver, ManagedTransaction
from pydantic import BaseModel

from graph.cypher import hub_actions as q
from graph.errors import InvalidInputError, NotFoundError
from graph.models.anchors import Vacancy
from graph.models.edges import EDGE_ENDPOINTS
from graph.models.paths import NodeKey
from graph.models.people import ReadinessStage
from graph.models.provenance import Provenance
from graph.services.ingest import node_problems, write_nodes
from graph.vocabulary import RelType

__all__ = [
    "ReferralRecord",
    "close_vacancy",
    "move_person_stage",
    "open_vacancy",
    "record_referral",
]

HUB_SOURCE = "assetbridge-hub"
HUB_VERSION = "1"


class ReferralRecord(BaseModel):
    source: NodeKey
    target: NodeKey
    count: int
    since: date | None
    strength: float | None


def record_referral(
    driver: Driver,
    database: str,
    source: NodeKey,
    target: NodeKey,
    *,
    on: date | None = None,
    strength: float | None = None,
) -> ReferralRecord:
    """Count one more referral from an organisation (or hub) to another, or to an anchor."""
    if (RelType.REFERS_TO, source.label, target.label) not in EDGE_ENDPOINTS:
        raise InvalidInputError(f"a {source.label} cannot refer to a {target.label}")
    if strength is not None and not 0 <= strength <= 1:
        raise InvalidInputError("strength must be between 0 and 1")

    def work(tx: ManagedTransaction) -> list[dict[str, object]]:
        result = tx.run(
            q.RECORD_REFERRAL,
            from_id=source.id, from_label=source.label.value,
            to_id=target.id, to_label=target.label.value,
            on=on or date.today(), strength=strength,
        )  # fmt: skip
        return [record.data() for record in result]

    with driver.session(database=database) as session:
        rows = session.execute_write(work)
    if not rows:
        raise NotFoundError(f"no {source.label} {source.id!r} or no {target.label} {target.id!r}")
    row = rows[0]
    since = row["since"]
    return ReferralRecord(
        source=source,
        target=target,
        count=int(row["count"]),  # type: ignore[call-overload]
        since=since.to_native() if hasattr(since, "to_native") else None,
        strength=row["strength"],
    )


def move_person_stage(
    driver: Driver,
    database: str,
    person_id: str,
    stage: ReadinessStage,
    on: date | None = None,
    *,
    required_scope: str | None = None,
) -> str:
    """Move a consenting person to a readiness stage, appending to their history.

    ``required_scope`` (a caseworker's ``share:<organisation>``) limits the move to
    people who consented to share with that organisation; others look not found.
    """
    on = on or date.today()
    records, _, _ = driver.execute_query(
        q.LAST_STAGE_DATE, person_id=person_id, database_=database, routing_="r"
    )
    if not records or (required_scope is not None and required_scope not in records[0]["scopes"]):
        raise NotFoundError(f"personId: no person with id {person_id!r}")
    last_on = records[0]["last_on"]
    if last_on is not None and on < last_on.to_native():
        raise InvalidInputError(f"on: {on} is before the last stage change ({last_on})")
    driver.execute_query(
        q.MOVE_PERSON_STAGE, person_id=person_id, stage=stage.value, on=on, database_=database
    )
    return person_id


def open_vacancy(driver: Driver, database: str, vacancy: Vacancy) -> str:
    """Create or update a vacancy as open; every id it names must exist."""
    vacancy = vacancy.model_copy(update={"status": "open"})
    problems = node_problems(driver, database, [vacancy])
    if problems:
        raise InvalidInputError("; ".join(f"{p.field}: {p.reason}" for p in problems))
    write_nodes(
        driver, database, [vacancy], Provenance(source=HUB_SOURCE, loader_version=HUB_VERSION)
    )
    return vacancy.id


def close_vacancy(
    driver: Driver, database: str, vacancy_id: str, *, filled: bool = False, on: date | None = None
) -> str:
    records, _, _ = driver.execute_query(
        q.CLOSE_VACANCY,
        vacancy_id=vacancy_id,
        status="filled" if filled else "closed",
        on=on or date.today(),
        database_=database,
    )
    if not records:
        raise NotFoundError(f"id: no vacancy with id {vacancy_id!r}")
    return vacancy_id
