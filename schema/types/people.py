"""People (micro assets), as the explore layer may show them.

Deliberately absent: name, contact details, date of birth, nationality,
immigration status and address (they live on PersonalRecord nodes, which this
layer never reads), and consent details. People who have not consented, or
have withdrawn, are never returned by the node reads behind these types.
"""

from __future__ import annotations

from datetime import date

import strawberry

from graph.models import access
from graph.models import people as m
from graph.services.explore_links import Link
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.ids import global_id
from schema.types.assets import CommunityOrganisation
from schema.types.enums import ReadinessStage
from schema.types.node import Node, many, one
from schema.types.places import Area
from schema.types.taxonomy import Occupation, Skill

__all__ = ["IeltsScores", "LanguageLevel", "Person", "StageChange", "Support"]


@strawberry.type(description="A move to a readiness stage.")
class StageChange:
    stage: ReadinessStage
    reached_on: date


@strawberry.type(description="A language and its CEFR level.")
class LanguageLevel:
    language: str = strawberry.field(description="ISO 639 code, e.g. en, ar, uk.")
    cefr: str


@strawberry.type(description="IELTS bands, 0 to 9 in halves.")
class IeltsScores:
    overall: float | None
    listening: float | None
    reading: float | None
    writing: float | None
    speaking: float | None
    taken_on: date | None

    @classmethod
    def from_model(cls, model: m.Person) -> IeltsScores | None:
        scores = cls(
            overall=model.ielts_overall,
            listening=model.ielts_listening,
            reading=model.ielts_reading,
            writing=model.ielts_writing,
            speaking=model.ielts_speaking,
            taken_on=model.ielts_date,
        )
        # Someone never tested has no scores, rather than a set of nulls.
        return scores if any(value is not None for value in vars(scores).values()) else None


@strawberry.type(description="An organisation a person trusts for support.")
class Support:
    organisation: CommunityOrganisation
    strength: float | None = strawberry.field(description="Trust, 0 (none) to 1 (full).")
    since: date | None


@strawberry.type(
    description="Personal details: only for a caseworker of an organisation the person "
    "consented to share with, or an administrator. Every read is audited."
)
class PersonalDetails:
    name: str | None
    email: str | None
    phone: str | None
    date_of_birth: date | None
    nationality: str | None
    immigration_status: str | None
    address: str | None
    postcode: str | None

    @classmethod
    def from_model(cls, model: access.PersonalDetails) -> PersonalDetails:
        return cls(**model.model_dump(exclude={"person_id"}))


@strawberry.type(description="A resident, by pseudonymous id: skills and pathway, never identity.")
class Person(Node):
    external_id: str = strawberry.field(description="The pseudonymous id of the skills survey.")
    stage: ReadinessStage
    stage_history: list[StageChange]
    languages: list[LanguageLevel]
    ielts: IeltsScores | None = strawberry.field(description="Null when never tested.")
    right_to_work: bool | None
    trained_as_id: strawberry.Private[str | None]
    home_area_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: m.Person) -> Person:
        return cls(
            id=global_id(Label.PERSON, model.id),
            external_id=model.id,
            stage=model.stage,
            stage_history=[
                StageChange(stage=stage, reached_on=when) for stage, when in model.stage_history
            ],
            languages=[LanguageLevel(language=x.language, cefr=x.cefr) for x in model.languages],
            ielts=IeltsScores.from_model(model),
            right_to_work=model.right_to_work,
            trained_as_id=model.trained_as,
            home_area_id=model.home_area_id,
        )

    @strawberry.field(
        description="Their personal details, where the caller may see them (else null)."
    )
    async def personal(self, info: GraphInfo) -> PersonalDetails | None:
        found = await info.context.loaders.personal.load(self.external_id)
        return PersonalDetails.from_model(found) if found else None

    @strawberry.field(description="The profession they trained for, often abroad.")
    async def trained_as(self, info: GraphInfo) -> Occupation | None:
        return await one(info.context.loaders.occupation, self.trained_as_id, Occupation.from_model)

    @strawberry.field
    async def home_area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.home_area_id, Area.from_model)

    @strawberry.field
    async def skills(self, info: GraphInfo) -> list[Skill]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.PERSON_SKILLS].load(self.external_id)
        return await many(loaders.skill, ids, Skill.from_model)

    @strawberry.field(description="Organisations that support them, most trusted first.")
    async def supported_by(self, info: GraphInfo) -> list[Support]:
        loaders = info.context.loaders
        found = await loaders.supporters.load(self.external_id)
        orgs = await loaders.organisation.load_many([x.organisation_id for x in found])
        return [
            Support(
                organisation=CommunityOrganisation.from_model(org),
                strength=support.strength,
                since=support.since,
            )
            for support, org in zip(found, orgs, strict=True)
            if org is not None
        ]
