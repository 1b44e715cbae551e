"""Areas of UK geography."""

from __future__ import annotations

import strawberry

from graph.models import places as m
from graph.services.explore_links import Link
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.ids import global_id
from schema.types.enums import AreaKind
from schema.types.node import Node, many, one

__all__ = ["Area"]


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
