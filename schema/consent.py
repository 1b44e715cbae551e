"""A person's rights through GraphQL: consent recorded and withdrawn, erasure, and the
access export. An administrator may act for anyone; a caseworker only for people an
organisation of theirs supports (the graph services check it, inside the write)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graph.access import Caller
from graph.services import consent, erasure, person_export
from graph.services.consent import ConsentState as ConsentModel
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.errors import Unauthenticated
from schema.ids import external_id, global_id
from schema.resolving import call_graph

__all__ = ["ConsentMutation", "ConsentQuery"]

SOURCE = "graphql"
_AT = "When it took effect (default now); not in the future nor before the latest event"
_SCOPES = (
    "The person's complete set of scopes: it replaces the current set whole, so a scope left "
    "out is removed. General scopes (matching, referral, share_with_hub, research) and "
    "share:<organisation id>; a caseworker may name only their own organisation's share, "
    "and must name any other organisation's share the person holds to keep it"
)
_EVIDENCE = (
    "What the consent rests on: the signed form's reference or a note of a verbal consent "
    "(at most 200 characters, one line; never personal values: it is kept after erasure)"
)


@strawberry.type(description="A person's consent as it stands after the latest event.")
class ConsentState:
    person_id: strawberry.ID
    current: bool = strawberry.field(description="Given and not withdrawn")
    given_at: datetime | None
    withdrawn_at: datetime | None
    scopes: list[str]

    @classmethod
    def from_model(cls, model: ConsentModel) -> ConsentState:
        return cls(
            person_id=strawberry.ID(global_id(Label.PERSON, model.person_id)),
            current=model.current,
            given_at=model.given_at,
            withdrawn_at=model.withdrawn_at,
            scopes=list(model.scopes),
        )


@strawberry.type(description="What an erasure did.")
class Erasure:
    person_id: strawberry.ID
    key_destroyed: bool = strawberry.field(
        description="The person's key is gone: every copy of their values is unreadable"
    )
    files_removed: int


def _caller(info: GraphInfo) -> Caller:
    caller = info.context.caller
    if caller is None:  # the access policy refuses anonymous callers before this runs
        raise Unauthenticated("sign in first")
    return caller


def _person(person_id: str) -> str:
    ident = external_id(person_id, "personId", Label.PERSON)
    assert ident is not None
    return ident


@strawberry.type
class ConsentMutation:
    @strawberry.mutation(
        description="Record a person's consent with these scopes (a grant, or a change of "
        "scope), replacing their current scopes. After a withdrawal or erasure only an "
        "administrator may record a new grant."
    )
    async def record_consent(
        self,
        info: GraphInfo,
        person_id: strawberry.ID,
        scopes: Annotated[list[str], strawberry.argument(description=_SCOPES)],
        evidence: Annotated[str, strawberry.argument(description=_EVIDENCE)],
        at: Annotated[datetime | None, strawberry.argument(description=_AT)] = None,
    ) -> ConsentState:
        state = await call_graph(consent.record_consent, info.context.driver,
                                 info.context.database, _caller(info), _person(person_id),
                                 scopes, evidence=evidence, at=at, source=SOURCE)  # fmt: skip
        return ConsentState.from_model(state)

    @strawberry.mutation(
        description="Withdraw a person's consent: their personal record is removed at once."
    )
    async def withdraw_consent(
        self,
        info: GraphInfo,
        person_id: strawberry.ID,
        at: Annotated[datetime | None, strawberry.argument(description=_AT)] = None,
    ) -> ConsentState:
        state = await call_graph(consent.withdraw_consent, info.context.driver,
                                 info.context.database, _caller(info), _person(person_id),
                                 at=at, source=SOURCE)  # fmt: skip
        return ConsentState.from_model(state)

    @strawberry.mutation(
        description="Erase a person's personal data from the graph, its files and backups."
    )
    async def erase_person(self, info: GraphInfo, person_id: strawberry.ID) -> Erasure:
        done = await call_graph(erasure.erase_person, info.context.driver,
                                info.context.database, _caller(info), _person(person_id),
                                source=SOURCE)  # fmt: skip
        return Erasure(
            person_id=strawberry.ID(global_id(Label.PERSON, done.person_id)),
            key_destroyed=done.key_destroyed,
            files_removed=len(done.files_removed),
        )


@strawberry.type
class ConsentQuery:
    @strawberry.field(
        description="Everything held about a person (facts, ties, stage and consent history, "
        "personal values, audit events), as JSON. A caseworker may export only people who "
        "consent to share with their organisation; ties to people who do not consent are "
        "counted, never named."
    )
    async def export_person(self, info: GraphInfo, person_id: strawberry.ID) -> JSON:
        found = await call_graph(person_export.export_person, info.context.driver,
                                 info.context.database, _caller(info),
                                 _person(person_id))  # fmt: skip
        # Dates and times as ISO text, as the CLI writes them.
        return JSON(json.loads(person_export.export_json(found)))
