"""Mutations for what an employment hub does daily: record a referral, move a
person to a new stage, open and close a vacancy. Each is validated and returns
the changed object or a coded error. The graph service checks the caller's right,
writes and audits in one transaction; an ``idempotencyKey`` makes a retry safe."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from pydantic import ValidationError

from graph.access import Caller
from graph.models.anchors import Vacancy as VacancyModel
from graph.models.people import Person as PersonModel
from graph.services import hub_actions
from graph.services.explore_nodes import nodes_by_ids
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.errors import BadUserInput, NotFound, Unauthenticated
from schema.ids import external_id, global_id
from schema.resolving import call_graph, node_key
from schema.types.assets import Vacancy
from schema.types.enums import ReadinessStage
from schema.types.people import Person

__all__ = ["HubMutation"]

_REFERRERS = (Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT)
_REFERRED = (Label.COMMUNITY_ORGANISATION, Label.DEPARTMENT, Label.ANCHOR_INSTITUTION)


@strawberry.type(description="A referral tie after recording one more referral.")
class Referral:
    source: strawberry.ID = strawberry.field(name="from")
    target: strawberry.ID = strawberry.field(name="to")
    count: int
    since: date | None
    strength: float | None


IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Chosen by the client, unique per request: a retry with the same key "
        "returns the first answer and changes nothing"
    ),
]


@strawberry.input(
    description="A vacancy to open (or update and reopen). Updating, a field left out "
    "or null keeps its value; the anchor never changes."
)
class VacancyInput:
    id: str = strawberry.field(description="External id, e.g. the workforce plan's post number")
    title: str
    anchor: strawberry.ID
    occupation: strawberry.ID | None = None
    essential_skills: list[strawberry.ID] | None = None
    optional_skills: list[strawberry.ID] | None = None
    qualification_required: str | None = None
    registration_required: bool | None = None
    min_ielts: float | None = None
    min_cefr: str | None = None
    salary_band: str | None = None
    salary_min_gbp: float | None = None
    salary_max_gbp: float | None = None
    area: strawberry.ID | None = None
    opens: date | None = None
    closes: date | None = None
    shortage: bool | None = None


# Input fields by the vacancy model's name for them, where the two differ.
_VACANCY_FIELDS = {
    "anchor": "anchor_id",
    "occupation": "occupation_id",
    "essential_skills": "essential_skill_ids",
    "optional_skills": "optional_skill_ids",
    "area": "area_id",
}


def _required(value: str, argument: str, label: Label) -> str:
    found = external_id(value, argument, label)
    assert found is not None
    return found


def _given(data: VacancyInput) -> set[str]:
    """The model fields the caller set: only these change on an existing vacancy."""
    names = [name for name, value in vars(data).items() if value is not None]
    return {_VACANCY_FIELDS.get(name, name) for name in names}


def _vacancy_model(data: VacancyInput) -> VacancyModel:
    # Every other argument naming a node takes its global id; this one is the external
    # id a new vacancy gets. A global id given here would make a second vacancy whose id
    # starts "Vacancy:" beside the one meant, or hide that that one's id is taken.
    if data.id.strip().startswith(f"{Label.VACANCY}:"):
        raise BadUserInput(
            f"input.id: the vacancy's external id, without the {Label.VACANCY}: of its global id"
        )
    try:
        return VacancyModel(
            id=data.id,
            title=data.title,
            anchor_id=_required(data.anchor, "input.anchor", Label.ANCHOR_INSTITUTION),
            occupation_id=external_id(data.occupation, "input.occupation", Label.OCCUPATION),
            essential_skill_ids=[
                _required(s, "input.essentialSkills", Label.SKILL)
                for s in data.essential_skills or []
            ],
            optional_skill_ids=[
                _required(s, "input.optionalSkills", Label.SKILL)
                for s in data.optional_skills or []
            ],
            qualification_required=data.qualification_required,
            registration_required=bool(data.registration_required),
            min_ielts=data.min_ielts,
            min_cefr=data.min_cefr,
            salary_band=data.salary_band,
            salary_min_gbp=data.salary_min_gbp,
            salary_max_gbp=data.salary_max_gbp,
            area_id=external_id(data.area, "input.area", Label.AREA),
            opens=data.opens,
            closes=data.closes,
            shortage=bool(data.shortage),
        )
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"])
        raise BadUserInput(f"input.{field}: {first['msg']}") from error


def _signed_in(info: GraphInfo) -> Caller:
    caller = info.context.caller
    if caller is None:  # the access policy refuses anonymous callers before this runs
        raise Unauthenticated("sign in first")
    return caller


async def _read_vacancy(info: GraphInfo, ident: str) -> Vacancy:
    found = await call_graph(nodes_by_ids, info.context.driver, info.context.database,
                             VacancyModel, [ident],
                             places=_signed_in(info).places_param)  # fmt: skip
    if not found or found[0] is None:
        raise NotFound(f"no vacancy with id {ident!r}")
    return Vacancy.from_model(found[0])


@strawberry.type
class HubMutation:
    @strawberry.mutation(description="Count one more referral from an organisation or hub.")
    async def record_referral(
        self,
        info: GraphInfo,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        on: Annotated[
            date | None,
            strawberry.argument(description="The day of the referral: today or earlier"),
        ] = None,
        strength: Annotated[
            float | None,
            strawberry.argument(
                description="The tie's trust, 0 to 1, set only by a loader or an "
                "administrator: a caseworker's referral counts without changing it"
            ),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Referral:
        source = node_key(from_, "from", *_REFERRERS)
        target = node_key(to, "to", *_REFERRED)
        record = await call_graph(
            hub_actions.record_referral, info.context.driver, info.context.database,
            _signed_in(info), source, target, on=on, strength=strength,
            idempotency_key=idempotency_key,
        )  # fmt: skip
        return Referral(
            source=global_id(source.label, source.id),
            target=global_id(target.label, target.id),
            count=record.count,
            since=record.since,
            strength=record.strength,
        )

    @strawberry.mutation(description="Move a person to a readiness stage (recorded in history).")
    async def move_person_stage(
        self,
        info: GraphInfo,
        person_id: strawberry.ID,
        stage: ReadinessStage,
        on: date | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Person:
        ident = _required(person_id, "personId", Label.PERSON)
        await call_graph(hub_actions.move_person_stage, info.context.driver, info.context.database,
                         _signed_in(info), ident, stage, on,
                         idempotency_key=idempotency_key)  # fmt: skip
        found = await call_graph(nodes_by_ids, info.context.driver, info.context.database,
                                 PersonModel, [ident],
                                 places=_signed_in(info).places_param)  # fmt: skip
        if not found or found[0] is None:
            raise NotFound(f"personId: no person with id {ident!r}")
        return Person.from_model(found[0])

    @strawberry.mutation(description="Open a vacancy (or update one and reopen it).")
    async def open_vacancy(
        self, info: GraphInfo, input: VacancyInput, idempotency_key: IdempotencyKey = None
    ) -> Vacancy:
        model = _vacancy_model(input)
        await call_graph(hub_actions.open_vacancy, info.context.driver, info.context.database,
                         _signed_in(info), model, given=_given(input),
                         idempotency_key=idempotency_key)  # fmt: skip
        return await _read_vacancy(info, model.id)

    @strawberry.mutation(description="Close a vacancy, as filled or not.")
    async def close_vacancy(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        filled: bool = False,
        on: date | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Vacancy:
        ident = _required(id, "id", Label.VACANCY)
        await call_graph(hub_actions.close_vacancy, info.context.driver, info.context.database,
                         _signed_in(info), ident, filled=filled, on=on,
                         idempotency_key=idempotency_key)  # fmt: skip
        return await _read_vacancy(info, ident)
