"""Skills, occupations and qualifications, shaped after ESCO."""

from __future__ import annotations

import strawberry

from graph.models import taxonomy as m
from graph.services.explore_links import Link
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.ids import global_id
from schema.types.enums import RecognitionStatus, SkillType
from schema.types.node import Node, many, one

__all__ = ["Occupation", "Qualification", "RequiredSkill", "Skill"]


@strawberry.type(description="A skill, competence or area of knowledge (ESCO or our own).")
class Skill(Node):
    external_id: str = strawberry.field(description="The ESCO URI, or our own id.")
    uri: str | None
    preferred_label: str
    alt_labels: list[str]
    skill_type: SkillType
    reuse_level: str | None
    description: str | None
    invented: bool = strawberry.field(description="True where the id is ours, not ESCO's.")

    @classmethod
    def from_model(cls, model: m.Skill) -> Skill:
        return cls(
            id=global_id(Label.SKILL, model.id),
            external_id=model.id,
            uri=model.uri,
            preferred_label=model.preferred_label,
            alt_labels=model.alt_labels,
            skill_type=model.skill_type,
            reuse_level=model.reuse_level,
            description=model.description,
            invented=model.invented,
        )

    @strawberry.field(description="The more general skills this one belongs to.")
    async def broader(self, info: GraphInfo) -> list[Skill]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.SKILL_BROADER].load(self.external_id)
        return await many(loaders.skill, ids, Skill.from_model)

    @strawberry.field(description="The more specific skills that belong to this one.")
    async def narrower(self, info: GraphInfo) -> list[Skill]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.SKILL_NARROWER].load(self.external_id)
        return await many(loaders.skill, ids, Skill.from_model)


@strawberry.type(description="A skill an occupation requires.")
class RequiredSkill:
    skill: Skill
    essential: bool


@strawberry.type(description="An occupation, and who regulates it where anyone does.")
class Occupation(Node):
    external_id: str
    uri: str | None
    preferred_label: str
    alt_labels: list[str]
    isco_group: str | None
    code: str | None
    regulated: bool
    regulator: str | None
    description: str | None
    invented: bool

    @classmethod
    def from_model(cls, model: m.Occupation) -> Occupation:
        return cls(
            id=global_id(Label.OCCUPATION, model.id),
            external_id=model.id,
            uri=model.uri,
            preferred_label=model.preferred_label,
            alt_labels=model.alt_labels,
            isco_group=model.isco_group,
            code=model.code,
            regulated=model.regulated,
            regulator=model.regulator,
            description=model.description,
            invented=model.invented,
        )

    @strawberry.field(description="The skills it requires, essential ones first.")
    async def skills(self, info: GraphInfo) -> list[RequiredSkill]:
        loaders = info.context.loaders
        links = await loaders.occupation_skills.load(self.external_id)
        skills = await loaders.skill.load_many([link.skill_id for link in links])
        return [
            RequiredSkill(skill=Skill.from_model(skill), essential=link.essential)
            for link, skill in zip(links, skills, strict=True)
            if skill is not None
        ]

    @strawberry.field(description="Qualifications that qualify a person for it.")
    async def qualifications(self, info: GraphInfo) -> list[Qualification]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.OCCUPATION_QUALIFICATIONS].load(self.external_id)
        return await many(loaders.qualification, ids, Qualification.from_model)


@strawberry.type(description="A qualification, often gained abroad, and its recognition here.")
class Qualification(Node):
    external_id: str
    title: str
    awarding_country: str | None
    level: str | None
    recognition: RecognitionStatus | None
    occupation_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: m.Qualification) -> Qualification:
        return cls(
            id=global_id(Label.QUALIFICATION, model.id),
            external_id=model.id,
            title=model.title,
            awarding_country=model.awarding_country,
            level=model.level,
            recognition=model.recognition,
            occupation_id=model.occupation_id,
        )

    @strawberry.field(description="The occupation it qualifies for.")
    async def occupation(self, info: GraphInfo) -> Occupation | None:
        return await one(info.context.loaders.occupation, self.occupation_id, Occupation.from_model)
