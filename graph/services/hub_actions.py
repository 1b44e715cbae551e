"""Writes an employment hub makes daily, each one transaction with its checks and audit.

The caller's right to a write (whose organisation, whose anchor, whose consent) is
checked inside the very transaction that writes and audits it, on nodes it has
locked first, so nothing can change between the check and the write.

Who may write what:

- a referral: from the caller's own organisation; or, by an employment hub's
  caseworker, to that hub or its anchor (the hub recording a referral it
  received); or by a loader or an administrator. A referral is dated today or
  earlier, never in the future (as are a stage move and a vacancy's closing);
- a referral tie's trust (``strength``): only a loader or an administrator. It
  steers the strongest-trust routes for the whole place, so a caseworker's
  referral counts one more and moves the last-referral date, and nothing else;
- a vacancy: opened or closed by its anchor's own employment hub, a loader or an
  administrator; a vacancy never changes anchor, and opening one again keeps
  every field the caller did not give;
- a stage move: a person who consented to share with the caller's organisation
  (any consenting person, for an administrator).

Every node a write names is read within the caller's places: one only in a place they
may not see is answered exactly as an id that exists nowhere, and nothing is written.
The one answer that cannot be an unknown id's is opening a vacancy under an id another
place's vacancy holds (an unknown id would be created): it is refused as an id taken,
which says no more than that the id, chosen by the caller, is in use. A new vacancy
joins its anchor's places that the caller may see (docs/places.md, "The hub's writes").
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from neo4j import Driver, ManagedTransaction
from pydantic import BaseModel, ValidationError

from graph.access import Caller, Role, share_scope
from graph.cypher import explore_nodes
from graph.cypher import hub_actions as q
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.models.anchors import Vacancy
from graph.models.edges import EDGE_ENDPOINTS
from graph.models.journal import REFERRAL_TALLY, Changes
from graph.models.paths import NodeKey
from graph.models.people import ReadinessStage
from graph.models.provenance import Provenance
from graph.services.audit import audit_in_transaction
from graph.services.idempotency import request_key, run_once
from graph.services.ingest import Problem, existing_ids, merge_nodes, node_problems
from graph.services.reads import plain
from graph.vocabulary import Label, RelType

# What opening a vacancy writes besides the vacancy: the links of LINK_VACANCIES.
VACANCY_LINKS = (RelType.POSTS, RelType.REQUIRES, RelType.FOR_OCCUPATION)

__all__ = [
    "ReferralRecord",
    "close_vacancy",
    "move_person_stage",
    "open_vacancy",
    "record_referral",
]

HUB_SOURCE = "assetbridge-hub"
HUB_VERSION = "1"

# Roles trusted to write about any organisation or vacancy (loaders import the
# same facts from files).
_TRUSTED = (Role.ADMIN, Role.LOADER)

# The placed nodes a vacancy names, by its field, in the order node_problems reports
# fields: one the caller may not see is reported as node_problems reports an unknown one.
_VACANCY_PLACED_REFERENCES = (("anchor_id", Label.ANCHOR_INSTITUTION), ("area_id", Label.AREA))
_VACANCY_FIELD_ORDER = ("anchor_id", "occupation_id", "essential_skill_ids",
                        "optional_skill_ids", "area_id")  # fmt: skip


class ReferralRecord(BaseModel):
    source: NodeKey
    target: NodeKey
    count: int
    since: date | None
    strength: float | None


def record_referral(
    driver: Driver,
    database: str,
    caller: Caller,
    source: NodeKey,
    target: NodeKey,
    *,
    on: date | None = None,
    strength: float | None = None,
    idempotency_key: str | None = None,
) -> ReferralRecord:
    """Count one more referral from an organisation (or hub) to another, or to an anchor.

    ``on`` (today when left out) may not be in the future. ``strength`` sets the
    tie's trust and is refused unless the caller is a loader or an administrator.
    With ``idempotency_key``, a repeat of the same request returns the first
    answer and counts nothing.
    """
    if (RelType.REFERS_TO, source.label, target.label) not in EDGE_ENDPOINTS:
        raise InvalidInputError(f"a {source.label} cannot refer to a {target.label}")
    if strength is not None and not 0 <= strength <= 1:
        raise InvalidInputError(f"strength: {strength} is not between 0 and 1")
    if strength is not None and caller.role not in _TRUSTED:
        raise ForbiddenError(
            "strength: a referral tie's trust is set only by a loader or an administrator; "
            "leave strength out to count the referral"
        )
    on = _not_future(on, "a referral is recorded once made")
    request = {"from": source.as_tuple(), "to": target.as_tuple(), "on": on, "strength": strength}
    key = request_key(caller, idempotency_key, request)

    def once(tx: ManagedTransaction) -> dict[str, Any]:
        _check_referral_right(tx, caller, source, target)
        row = tx.run(
            q.RECORD_REFERRAL,
            from_id=source.id, from_label=source.label.value,
            to_id=target.id, to_label=target.label.value,
            on=on, strength=strength, places=caller.places_param,
        ).single()  # fmt: skip
        if row is None:
            raise NotFoundError(
                f"no {source.label} {source.id!r} or no {target.label} {target.id!r}"
            )
        ends = [f"{source.label}:{source.id}", f"{target.label}:{target.id}"]
        # The event's ids are a set; the detail keeps who referred to whom.
        detail = f"from={ends[0]} to={ends[1]} count={row['count']}"
        if strength is not None:
            detail += f" strength={strength}"
        tie_moved = row["created"] or (
            strength is not None and list(row["strengths_before"]) != [strength]
        )
        audit_in_transaction(
            tx, caller, "record_referral", ends, detail=detail,
            changes=Changes.of({RelType.REFERS_TO if tie_moved else REFERRAL_TALLY}, ends),
        )  # fmt: skip
        since = row["since"]
        return {
            "count": int(row["count"]),
            "since": since.iso_format() if since is not None else None,
            "strength": row["strength"],
        }

    with driver.session(database=database) as session:
        result = session.execute_write(run_once, key, "record_referral", once)
    return ReferralRecord(source=source, target=target, **result)


def move_person_stage(
    driver: Driver,
    database: str,
    caller: Caller,
    person_id: str,
    stage: ReadinessStage,
    on: date | None = None,
    *,
    idempotency_key: str | None = None,
) -> str:
    """Move a consenting person to a readiness stage, appending to their history.

    A caseworker moves only people who consented to share with their organisation;
    anyone else looks not found, exactly as an unknown id does.
    """
    if caller.role is not Role.ADMIN and not caller.reads_personal:
        raise ForbiddenError("moving a person's stage is for caseworkers and administrators")
    scope = None if caller.role is Role.ADMIN else share_scope(caller.organisation_id or "")
    on = _not_future(on, "a stage is recorded once reached")
    key = request_key(caller, idempotency_key, {"person": person_id, "stage": stage, "on": on})

    def once(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(
            q.LOCK_PERSON_FOR_STAGE, person_id=person_id, places=caller.places_param
        ).single()
        if (
            row is None
            or not row["consented"]
            or (scope is not None and scope not in row["scopes"])
        ):
            raise NotFoundError(f"personId: no person with id {person_id!r}")
        last_on = row["last_on"]
        if last_on is not None and on < last_on.to_native():
            raise InvalidInputError(f"on: {on} is before the last stage change ({last_on})")
        tx.run(q.MOVE_PERSON_STAGE, person_id=person_id, stage=stage.value, on=on).consume()
        audit_in_transaction(
            tx, caller, "move_person_stage", [f"Person:{person_id}"], detail=f"stage={stage.value}",
            changes=Changes.of({"StageChange"}, [f"Person:{person_id}"]),
        )  # fmt: skip
        return {"id": person_id}

    with driver.session(database=database) as session:
        session.execute_write(run_once, key, "move_person_stage", once)
    return person_id


def open_vacancy(
    driver: Driver,
    database: str,
    caller: Caller,
    vacancy: Vacancy,
    *,
    given: Collection[str] | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Create a vacancy, or update one and reopen it; every id it names must exist.

    ``given`` names the fields the caller set (all, when ``None``): an existing
    vacancy keeps its value of every other field. Its anchor never changes.
    """
    problems = _vacancy_problems(driver, database, caller, vacancy)
    if problems:
        raise InvalidInputError("; ".join(f"input.{p.field}: {p.reason}" for p in problems))
    fields = set(Vacancy.model_fields) if given is None else set(given)
    request = {**vacancy.model_dump(mode="json"), "given": sorted(fields)}
    key = request_key(caller, idempotency_key, request)
    places = caller.places_param

    def once(tx: ManagedTransaction) -> dict[str, Any]:
        lock = tx.run(q.LOCK_VACANCY, vacancy_id=vacancy.id, places=places).single(strict=True)
        if lock["existed"] and not lock["in_scope"]:
            raise InvalidInputError(
                f"input.id: vacancy id {vacancy.id!r} is taken; give the vacancy another id"
            )
        anchor = lock["anchor_id"] or vacancy.anchor_id
        if anchor != vacancy.anchor_id:
            raise ForbiddenError(
                f"input.anchor: vacancy {vacancy.id!r} is posted by another anchor, "
                "and a vacancy never changes anchor"
            )
        _check_vacancy_right(tx, caller, anchor)
        opened = _merged(tx, vacancy, fields) if lock["existed"] else vacancy
        # An existing vacancy keeps its places; a new one takes its anchor's the caller
        # may see (the caller's places and the anchor's, both).
        joins = list(lock["places"]) if lock["existed"] else _anchor_places(tx, anchor, places)
        provenance = Provenance(source=HUB_SOURCE, loader_version=HUB_VERSION, loaded_by=caller,
                                **({"place_id": joins[0]} if joins else {}))  # fmt: skip
        merge_nodes(tx, [opened.model_copy(update={"status": "open"})], provenance)
        if not lock["existed"] and len(joins) > 1:
            tx.run(q.SET_VACANCY_PLACES, vacancy_id=vacancy.id, place_ids=joins).consume()
        tx.run(q.RELEASE_VACANCY, vacancy_id=vacancy.id).consume()
        audit_in_transaction(
            tx, caller, "open_vacancy", [f"Vacancy:{vacancy.id}"], detail=f"anchor={anchor}",
            changes=Changes.of(VACANCY_LINKS, [f"Vacancy:{vacancy.id}"]),
        )  # fmt: skip
        return {"id": vacancy.id}

    with driver.session(database=database) as session:
        session.execute_write(run_once, key, "open_vacancy", once)
    return vacancy.id


def close_vacancy(
    driver: Driver,
    database: str,
    caller: Caller,
    vacancy_id: str,
    *,
    filled: bool = False,
    on: date | None = None,
    idempotency_key: str | None = None,
) -> str:
    """Close a vacancy, as filled or not (by its anchor's hub, a loader or an administrator)."""
    on = _not_future(on, "a vacancy is closed once it has closed")
    status = "filled" if filled else "closed"
    key = request_key(caller, idempotency_key, {"id": vacancy_id, "status": status, "on": on})

    def once(tx: ManagedTransaction) -> dict[str, Any]:
        # A vacancy the lock had to create does not exist: raising rolls it back.
        lock = tx.run(q.LOCK_VACANCY, vacancy_id=vacancy_id, places=caller.places_param).single(
            strict=True
        )
        if not lock["existed"] or not lock["in_scope"]:
            raise NotFoundError(f"id: no vacancy with id {vacancy_id!r}")
        _check_vacancy_right(tx, caller, lock["anchor_id"])
        tx.run(q.CLOSE_VACANCY, vacancy_id=vacancy_id, status=status, on=on).consume()
        audit_in_transaction(
            tx, caller, "close_vacancy", [f"Vacancy:{vacancy_id}"], detail=f"filled={filled}",
            changes=Changes.of((), [f"Vacancy:{vacancy_id}"]),
        )  # fmt: skip
        return {"id": vacancy_id}

    with driver.session(database=database) as session:
        session.execute_write(run_once, key, "close_vacancy", once)
    return vacancy_id


def _hub_anchors(tx: ManagedTransaction, caller: Caller) -> set[str]:
    """The anchors whose employment hub is the caller's organisation (none, mostly)."""
    if caller.organisation_id is None:
        return set()
    rows = tx.run(q.HUB_OF, organisation_id=caller.organisation_id, places=caller.places_param)
    return {row["anchor_id"] for row in rows if row["anchor_id"] is not None}


def _check_vacancy_right(tx: ManagedTransaction, caller: Caller, anchor_id: str | None) -> None:
    if caller.role in _TRUSTED:
        return
    if caller.role is Role.CASEWORKER and anchor_id in _hub_anchors(tx, caller):
        return
    raise ForbiddenError("vacancies are opened and closed only by their anchor's own hub")


def _check_referral_right(
    tx: ManagedTransaction, caller: Caller, source: NodeKey, target: NodeKey
) -> None:
    if caller.role in _TRUSTED:
        return
    own = caller.organisation_id
    if caller.role is Role.CASEWORKER and own is not None:
        if source.id == own:
            return
        hub_anchors = _hub_anchors(tx, caller)
        received = (target.label is Label.DEPARTMENT and target.id == own) or (
            target.label is Label.ANCHOR_INSTITUTION and target.id in hub_anchors
        )
        if hub_anchors and received:
            return
    raise ForbiddenError("from: referrals are recorded only from your own organisation")


def _vacancy_problems(
    driver: Driver, database: str, caller: Caller, vacancy: Vacancy
) -> list[Problem]:
    """node_problems', with the anchor or area the caller may not see among them,
    worded and ordered as those of an unknown id."""
    problems = node_problems(driver, database, [vacancy])
    places = caller.places_param
    if places is not None:
        reported = {problem.field for problem in problems}
        for field, label in _VACANCY_PLACED_REFERENCES:
            ident = getattr(vacancy, field)
            if ident is None or field in reported:
                continue
            if not existing_ids(driver, database, label, [ident], places):
                problems.append(Problem(0, field, f"unknown {label} id {ident!r}"))
    return sorted(problems, key=lambda problem: _VACANCY_FIELD_ORDER.index(problem.field))


def _anchor_places(tx: ManagedTransaction, anchor_id: str, places: list[str] | None) -> list[str]:
    """The anchor's places the caller may see, which a new vacancy of it joins."""
    row = tx.run(q.ANCHOR_PLACES, anchor_id=anchor_id, places=places).single()
    return [] if row is None else sorted(row["places"])


def _merged(tx: ManagedTransaction, vacancy: Vacancy, given: set[str]) -> Vacancy:
    """The vacancy as stored, with only the fields the caller gave replaced."""
    # The vacancy is read whole to merge the update in, whichever place it lies in.
    row = tx.run(explore_nodes.VACANCIES_BY_IDS, ids=[vacancy.id], places=None).single(strict=True)
    current = {name: value for name, value in plain(row["node"]).items() if value is not None}
    update = vacancy.model_dump(include=given)
    try:
        return Vacancy.model_validate({**current, **update})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "input"
        raise InvalidInputError(f"input.{field}: {first['msg']}") from error


def _not_future(on: date | None, why: str) -> date:
    """``on``, or today when left out; a day after today is refused: the funnel and the
    referral weights count what has happened, and a future date would count it early."""
    today = date.today()
    if on is not None and on > today:
        raise InvalidInputError(f"on: {on} is in the future; {why}")
    return on or today
