"""Anchor institutions (macro assets), their departments and hubs, and their vacancies."""

from __future__ import annotations

from datetime import date

import strawberry

from graph.models import anchors as m
from graph.services.explore_links import Link
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.ids import global_id
from schema.types import places, taxonomy
from schema.types.enums import DepartmentKind, VacancyStatus
from schema.types.node import Node, many, one
from schema.types.refs import AreaRef, OccupationRef, PropertyRef, SkillRef

__all__ = ["AnchorInstitution", "Department", "Vacancy"]


@strawberry.type(description="A large organisation rooted in the place: a hospital, a council...")
class AnchorInstitution(Node):
    external_id: str
    name: str
    sector: str
    employees: int | None
    annual_spend_gbp: float | None
    land_hectares: float | None
    significant_land: bool
    is_macro_asset: bool = strawberry.field(
        description="Employs more than 250, spends more than £1m a year, or holds significant land."
    )
    area_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: m.AnchorInstitution) -> AnchorInstitution:
        return cls(
            id=global_id(Label.ANCHOR_INSTITUTION, model.id),
            external_id=model.id,
            name=model.name,
            sector=model.sector,
            employees=model.employees,
            annual_spend_gbp=model.annual_spend_gbp,
            land_hectares=model.land_hectares,
            significant_land=model.significant_land,
            is_macro_asset=model.is_macro_asset,
            area_id=model.area_id,
        )

    @strawberry.field
    async def area(self, info: GraphInfo) -> AreaRef | None:
        return await one(info.context.loaders.area, self.area_id, places.Area.from_model)

    @strawberry.field(description="The vacancies it posts, by title.")
    async def vacancies(self, info: GraphInfo) -> list[Vacancy]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.ANCHOR_VACANCIES].load(self.external_id)
        return await many(loaders.vacancy, ids, Vacancy.from_model)

    @strawberry.field(description="Its departments and employment hubs, by name.")
    async def departments(self, info: GraphInfo) -> list[Department]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.ANCHOR_DEPARTMENTS].load(self.external_id)
        return await many(loaders.department, ids, Department.from_model)

    @strawberry.field(description="The land and buildings it owns, by name.")
    async def properties(self, info: GraphInfo) -> list[PropertyRef]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.ANCHOR_PROPERTIES].load(self.external_id)
        return await many(loaders.property, ids, places.Property.from_model)


@strawberry.type(description="A department of an anchor, or its employment hub.")
class Department(Node):
    external_id: str
    name: str
    kind: DepartmentKind
    anchor_id: strawberry.Private[str]
    area_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: m.Department) -> Department:
        return cls(
            id=global_id(Label.DEPARTMENT, model.id),
            external_id=model.id,
            name=model.name,
            kind=model.kind,
            anchor_id=model.anchor_id,
            area_id=model.area_id,
        )

    @strawberry.field(description="The anchor it is part of.")
    async def anchor(self, info: GraphInfo) -> AnchorInstitution | None:
        return await one(info.context.loaders.anchor, self.anchor_id, AnchorInstitution.from_model)

    @strawberry.field
    async def area(self, info: GraphInfo) -> AreaRef | None:
        return await one(info.context.loaders.area, self.area_id, places.Area.from_model)


@strawberry.type(description="A vacancy an anchor posts, and what it asks of a candidate.")
class Vacancy(Node):
    external_id: str
    title: str
    qualification_required: str | None
    registration_required: bool
    min_ielts: float | None
    min_cefr: str | None
    salary_band: str | None
    salary_min_gbp: float | None
    salary_max_gbp: float | None
    opens: date | None
    closes: date | None
    shortage: bool = strawberry.field(description="A shortage occupation in the workforce plan.")
    status: VacancyStatus
    anchor_id: strawberry.Private[str]
    occupation_id: strawberry.Private[str | None]
    essential_skill_ids: strawberry.Private[list[str]]
    optional_skill_ids: strawberry.Private[list[str]]
    area_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: m.Vacancy) -> Vacancy:
        return cls(
            id=global_id(Label.VACANCY, model.id),
            external_id=model.id,
            title=model.title,
            qualification_required=model.qualification_required,
            registration_required=model.registration_required,
            min_ielts=model.min_ielts,
            min_cefr=model.min_cefr,
            salary_band=model.salary_band,
            salary_min_gbp=model.salary_min_gbp,
            salary_max_gbp=model.salary_max_gbp,
            opens=model.opens,
            closes=model.closes,
            shortage=model.shortage,
            status=VacancyStatus(model.status),
            anchor_id=model.anchor_id,
            occupation_id=model.occupation_id,
            essential_skill_ids=model.essential_skill_ids,
            optional_skill_ids=model.optional_skill_ids,
            area_id=model.area_id,
        )

    @strawberry.field(description="The anchor that posts it.")
    async def anchor(self, info: GraphInfo) -> AnchorInstitution | None:
        return await one(info.context.loaders.anchor, self.anchor_id, AnchorInstitution.from_model)

    @strawberry.field
    async def occupation(self, info: GraphInfo) -> OccupationRef | None:
        return await one(
            info.context.loaders.occupation, self.occupation_id, taxonomy.Occupation.from_model
        )

    @strawberry.field
    async def essential_skills(self, info: GraphInfo) -> list[SkillRef]:
        return await many(
            info.context.loaders.skill, self.essential_skill_ids, taxonomy.Skill.from_model
        )

    @strawberry.field
    async def optional_skills(self, info: GraphInfo) -> list[SkillRef]:
        return await many(
            info.context.loaders.skill, self.optional_skill_ids, taxonomy.Skill.from_model
        )

    @strawberry.field
    async def area(self, info: GraphInfo) -> AreaRef | None:
        return await one(info.context.loaders.area, self.area_id, places.Area.from_model)
