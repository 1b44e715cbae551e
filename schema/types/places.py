"""Areas of UK geography, and land and buildings."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.models import places as m
from graph.services.explore_links import Link
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.ids import global_id
from schema.types import anchors, organisations
from schema.types.enums import AreaKind, PropertyKind
from schema.types.node import Node, many, one
from schema.types.refs import AnchorRef, OrganisationRef

__all__ = ["Area", "Property"]


@strawberry.type(description="A place: an LSOA, ward, local authority or postcode district.")
class Area(Node):
    external_id: str = strawberry.field(
        description="The ONS code (E01..., E05..., E08...) or the postcode district."
    )
    name: str
    kind: AreaKind
    parent_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: m.Area) -> Area:
        return cls(
            id=global_id(Label.AREA, model.id),
            external_id=model.id,
            name=model.name,
            kind=model.kind,
            parent_id=model.parent_id,
        )

    @strawberry.field(description="The area this one lies within.")
    async def parent(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.parent_id, Area.from_model)

    @strawberry.field(description="The areas lying directly within this one, by name.")
    async def children(self, info: GraphInfo) -> list[Area]:
        loaders = info.context.loaders
        ids = await loaders.linked[Link.AREA_CHILDREN].load(self.external_id)
        return await many(loaders.area, ids, Area.from_model)


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
    def from_model(cls, model: m.Property) -> Property:
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
            AnchorRef | OrganisationRef,
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
            return await one(loaders.anchor, ref.id, anchors.AnchorInstitution.from_model)
        return await one(
            loaders.organisation, ref.id, organisations.CommunityOrganisation.from_model
        )

    @strawberry.field
    async def area(self, info: GraphInfo) -> Area | None:
        return await one(info.context.loaders.area, self.area_id, Area.from_model)
