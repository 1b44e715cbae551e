"""The place's institutions and the land and buildings between them: anchor institutions
(macro assets) with their departments and vacancies, community organisations (micro assets)
with their services and ties, and the property either may own.

One module because these types refer to one another in a ring (an anchor owns property,
property has an owner, an organisation's ties reach anchors and their departments): split
across modules, each module would have to import the others.
"""

from __future__ import annotations

import asyncio
from datetime import date
from functools import partial
from typing import Annotated

import strawberry

from graph.models import anchors as am
from graph.models import organisations as om
from graph.models import places as pm
from graph.services.explore_links import Link, NodeRef
from graph.services.explore_links import Tie as LinkTie
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.disclosure import count_for
from schema.ids import global_id
from schema.loaders import Loaders
from schema.types.enums import (
    DepartmentKind,
    OrganisationType,
    PropertyKind,
    ServiceType,
    VacancyStatus,
)
from schema.types.node import Node, many, one
from schema.types.places import Area
from schema.types.taxonomy import Occupation, Skill

__all__ = [
    "AnchorInstitution",
    "CommunityOrganisation",
    "Department",
    "Property",
    "Service",
    "Tie",
    "Vacancy",
]


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
    def from_model(cls, model: am.AnchorInstitution) -> AnchorInstitution:
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
    async def area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.area_id, Area.from_model)

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
    async def properties(self, info: GraphInfo) -> list[Property]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.ANCHOR_PROPERTIES].load(self.external_id)
        return await many(loaders.property, ids, Property.from_model)


@strawberry.type(description="A department of an anchor, or its employment hub.")
class Department(Node):
    external_id: str
    name: str
    kind: DepartmentKind
    anchor_id: strawberry.Private[str]
    area_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: am.Department) -> Department:
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
    async def area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.area_id, Area.from_model)


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
    def from_model(cls, model: am.Vacancy) -> Vacancy:
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
    async def occupation(self, info: GraphInfo) -> Occupation | None:
        return await one(info.context.loaders.occupation, self.occupation_id, Occupation.from_model)

    @strawberry.field
    async def essential_skills(self, info: GraphInfo) -> list[Skill]:
        return await many(info.context.loaders.skill, self.essential_skill_ids, Skill.from_model)

    @strawberry.field
    async def optional_skills(self, info: GraphInfo) -> list[Skill]:
        return await many(info.context.loaders.skill, self.optional_skill_ids, Skill.from_model)

    @strawberry.field
    async def area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.area_id, Area.from_model)


@strawberry.type(description="Land or a building, linking its owner to the groups that use it.")
class Property(Node):
    external_id: str
    name: str
    kind: PropertyKind
    use: str | None
    size_sqm: float | None
    available_for_community: bool
    latitude: float | None
    longitude: float | None
    area_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: pm.Property) -> Property:
        return cls(
            id=global_id(Label.PROPERTY, model.id),
            external_id=model.id,
            name=model.name,
            kind=model.kind,
            use=model.use,
            size_sqm=model.size_sqm,
            available_for_community=model.available_for_community,
            latitude=model.latitude,
            longitude=model.longitude,
            area_id=model.area_id,
        )

    @strawberry.field(description="The anchor institution or community organisation that owns it.")
    async def owner(
        self, info: GraphInfo
    ) -> (
        Annotated[
            AnchorInstitution | CommunityOrganisation,
            strawberry.union(
                "PropertyOwner", description="An anchor institution or a community organisation."
            ),
        ]
        | None
    ):
        loaders = info.context.loaders
        ref = await loaders.property_owners.load(self.external_id)
        if ref is None:
            return None
        if ref.label is Label.ANCHOR_INSTITUTION:
            return await one(loaders.anchor, ref.id, AnchorInstitution.from_model)
        return await one(loaders.organisation, ref.id, CommunityOrganisation.from_model)

    @strawberry.field
    async def area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.area_id, Area.from_model)


@strawberry.type(description="A referral or partnership, and what the source says of it.")
class Tie:
    party: Annotated[
        CommunityOrganisation | Department | AnchorInstitution,
        strawberry.union(
            "Party", description="An organisation, anchor or anchor department at one end of a tie."
        ),
    ]
    strength: float | None = strawberry.field(description="Trust, 0 (none) to 1 (full).")
    count: int | None = strawberry.field(description="How many referrals, where logged.")
    since: date | None


@strawberry.type(description="A community organisation: a charity, faith group, job club...")
class CommunityOrganisation(Node):
    external_id: str
    name: str
    org_type: OrganisationType
    description: str | None
    founded_year: int | None
    website: str | None
    email: str | None = strawberry.field(description="The organisation's own address.")
    area_id: strawberry.Private[str | None]
    # The day its ties and people count are read as of (None: today), so a listing asked
    # about a past day answers for that day down to the organisations its ties reach.
    as_of: strawberry.Private[date | None] = None

    @classmethod
    def from_model(
        cls, model: om.CommunityOrganisation, as_of: date | None = None
    ) -> CommunityOrganisation:
        return cls(
            id=global_id(Label.COMMUNITY_ORGANISATION, model.id),
            external_id=model.id,
            name=model.name,
            org_type=model.org_type,
            description=model.description,
            founded_year=model.founded_year,
            website=model.website,
            email=model.email,
            area_id=model.area_id,
            as_of=as_of,
        )

    @strawberry.field
    async def area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.area_id, Area.from_model)

    @strawberry.field(description="The services it offers, by name.")
    async def services(self, info: GraphInfo) -> list[Service]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.ORGANISATION_SERVICES].load(self.external_id)
        return await many(loaders.service, ids, Service.from_model)

    @strawberry.field(description="Where it refers people on to, most referrals first.")
    async def refers_to(self, info: GraphInfo) -> list[Tie]:
        loaders = info.context.loaders
        found = await loaders.network(self.as_of).referrals.load(self.external_id)
        return await _ties(loaders, found, self.as_of)

    @strawberry.field(description="Its partners, however the partnership was recorded.")
    async def partners(self, info: GraphInfo) -> list[Tie]:
        loaders = info.context.loaders
        found = await loaders.network(self.as_of).partners.load(self.external_id)
        return await _ties(loaders, found, self.as_of)

    @strawberry.field(
        description="How many people it supports. People are not listed here; counts name "
        "nobody. Place leaders see null where the count is below the disclosure threshold."
    )
    async def people_count(self, info: GraphInfo) -> int | None:
        count = await info.context.loaders.network(self.as_of).people_counts.load(self.external_id)
        return count_for(info.context.caller, count)

    @strawberry.field(description="The land and buildings it owns, by name.")
    async def properties(self, info: GraphInfo) -> list[Property]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.ORGANISATION_PROPERTIES].load(self.external_id)
        return await many(loaders.property, ids, Property.from_model)


@strawberry.type(description="A service a community organisation offers.")
class Service(Node):
    external_id: str
    name: str
    service_type: ServiceType
    description: str | None
    organisation_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, model: om.Service) -> Service:
        return cls(
            id=global_id(Label.SERVICE, model.id),
            external_id=model.id,
            name=model.name,
            service_type=model.service_type,
            description=model.description,
            organisation_id=model.organisation_id,
        )

    @strawberry.field(description="The organisation that offers it.")
    async def organisation(self, info: GraphInfo) -> CommunityOrganisation | None:
        return await one(
            info.context.loaders.organisation,
            self.organisation_id,
            CommunityOrganisation.from_model,
        )


async def _party(
    loaders: Loaders, ref: NodeRef, as_of: date | None
) -> CommunityOrganisation | Department | AnchorInstitution | None:
    if ref.label is Label.COMMUNITY_ORGANISATION:
        to_organisation = partial(CommunityOrganisation.from_model, as_of=as_of)
        return await one(loaders.organisation, ref.id, to_organisation)
    if ref.label is Label.DEPARTMENT:
        return await one(loaders.department, ref.id, Department.from_model)
    return await one(loaders.anchor, ref.id, AnchorInstitution.from_model)


async def _ties(loaders: Loaders, found: list[LinkTie], as_of: date | None) -> list[Tie]:
    # Gathered, so the targets of every tie on the page share one read per label.
    parties = await asyncio.gather(*(_party(loaders, tie.target, as_of) for tie in found))
    return [
        Tie(party=party, strength=tie.strength, count=tie.count, since=tie.since)
        for tie, party in zip(found, parties, strict=True)
        if party is not None
    ]
