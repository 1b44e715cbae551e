"""Community organisations (micro assets), their services, and the referrals and
partnerships between them and the anchors."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

import strawberry

from graph.models import organisations as m
from graph.services import explore_links as links
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.disclosure import count_for
from schema.ids import global_id
from schema.loaders import Loaders
from schema.types import anchors, places
from schema.types.enums import OrganisationType, ServiceType
from schema.types.node import Node, many, one
from schema.types.refs import AnchorRef, AreaRef, DepartmentRef, PropertyRef

__all__ = ["CommunityOrganisation", "Service", "Tie"]


@strawberry.type(description="A referral or partnership, and what the source says of it.")
class Tie:
    party: Annotated[
        CommunityOrganisation | DepartmentRef | AnchorRef,
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

    @classmethod
    def from_model(cls, model: m.CommunityOrganisation) -> CommunityOrganisation:
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
        )

    @strawberry.field
    async def area(self, info: GraphInfo) -> AreaRef | None:
        return await one(info.context.loaders.area, self.area_id, places.Area.from_model)

    @strawberry.field(description="The services it offers, by name.")
    async def services(self, info: GraphInfo) -> list[Service]:
        loaders = info.context.loaders
        ids = await loaders.linked[links.Link.ORGANISATION_SERVICES].load(self.external_id)
        return await many(loaders.service, ids, Service.from_model)

    @strawberry.field(description="Where it refers people on to, most referrals first.")
    async def refers_to(self, info: GraphInfo) -> list[Tie]:
        loaders = info.context.loaders
        return await _ties(loaders, await loaders.referrals.load(self.external_id))

    @strawberry.field(description="Its partners, however the partnership was recorded.")
    async def partners(self, info: GraphInfo) -> list[Tie]:
        loaders = info.context.loaders
        return await _ties(loaders, await loaders.partners.load(self.external_id))

    @strawberry.field(
        description="How many people it supports. People are not listed here; counts name "
        "nobody. Place leaders see null where the count is below the disclosure threshold."
    )
    async def people_count(self, info: GraphInfo) -> int | None:
        count = await info.context.loaders.people_counts.load(self.external_id)
        return count_for(info.context.caller, count)

    @strawberry.field(description="The land and buildings it owns, by name.")
    async def properties(self, info: GraphInfo) -> list[PropertyRef]:
        loaders = info.context.loaders
        ids = await loaders.linked[links.Link.ORGANISATION_PROPERTIES].load(self.external_id)
        return await many(loaders.property, ids, places.Property.from_model)


@strawberry.type(description="A service a community organisation offers.")
class Service(Node):
    external_id: str
    name: str
    service_type: ServiceType
    description: str | None
    organisation_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, model: m.Service) -> Service:
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
    loaders: Loaders, ref: links.NodeRef
) -> CommunityOrganisation | anchors.Department | anchors.AnchorInstitution | None:
    if ref.label is Label.COMMUNITY_ORGANISATION:
        return await one(loaders.organisation, ref.id, CommunityOrganisation.from_model)
    if ref.label is Label.DEPARTMENT:
        return await one(loaders.department, ref.id, anchors.Department.from_model)
    return await one(loaders.anchor, ref.id, anchors.AnchorInstitution.from_model)


async def _ties(loaders: Loaders, found: list[links.Tie]) -> list[Tie]:
    # Gathered, so the targets of every tie on the page share one read per label.
    parties = await asyncio.gather(*(_party(loaders, tie.target) for tie in found))
    return [
        Tie(party=party, strength=tie.strength, count=tie.count, since=tie.since)
        for tie, party in zip(found, parties, strict=True)
        if party is not None
    ]
