"""Areas (UK geography) and properties (land and buildings)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from graph.models.base import NodeModel

__all__ = ["Area", "AreaKind", "Property", "PropertyKind"]


class AreaKind(StrEnum):
    LSOA = "lsoa"
    WARD = "ward"
    LOCAL_AUTHORITY = "local_authority"
    POSTCODE_DISTRICT = "postcode_district"


class Area(NodeModel):
    """``id`` is the ONS code (E01..., E05..., E08...) or the postcode district."""

    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"parent_id"})

    name: str = Field(min_length=1, max_length=200)
    kind: AreaKind
    parent_id: str | None = Field(None, description="The area this one lies WITHIN")


class PropertyKind(StrEnum):
    LAND = "land"
    BUILDING = "building"


class Property(NodeModel):
    LINK_FIELDS: ClassVar[frozenset[str]] = frozenset({"owner_id", "area_id"})

    name: str = Field(min_length=1, max_length=300)
    kind: PropertyKind
    owner_id: str | None = Field(None, description="Anchor or organisation that OWNS it")
    use: str | None = Field(None, max_length=300)
    size_sqm: float | None = Field(None, ge=0)
    available_for_community: bool = False
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    area_id: str | None = None
