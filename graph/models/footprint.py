"""An anchor's footprint in its place, and the partnership network around it.

Both are about organisations, never about people, so no count here is a small
cell to suppress.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.models.anchors import AnchorInstitution
from graph.models.paths import PathNode

__all__ = [
    "Footprint",
    "LandHolding",
    "MacroAssetTest",
    "NetworkNode",
    "NetworkTie",
    "OrganisationsInYear",
    "PartnershipNetwork",
]


class MacroAssetTest(BaseModel):
    """One test of the practitioners' rule of thumb (any one met makes a macro asset)."""

    name: str
    threshold: str
    value: float | None
    met: bool


class LandHolding(BaseModel):
    id: str
    name: str
    kind: str
    size_sqm: float | None
    available_for_community: bool


class OrganisationsInYear(BaseModel):
    """By the end of ``year``: how many organisations it worked with, and how many began."""

    year: int
    organisations: int
    added: int


class Footprint(BaseModel):
    anchor: AnchorInstitution
    macro_asset_tests: list[MacroAssetTest]
    land_holdings: list[LandHolding]
    community_organisations: int = Field(description="Organisations tied to it or its departments")
    organisations_by_year: list[OrganisationsInYear]
    undated_organisations: int = Field(description="Tied to it only by ties with no start date")


class NetworkNode(PathNode):
    role: str | None = Field(None, description="Organisation type, department kind, or anchor")


class NetworkTie(BaseModel):
    source: NetworkNode
    target: NetworkNode
    type: str
    strength: float | None
    count: int | None
    since_year: int | None


class PartnershipNetwork(BaseModel):
    """Every community organisation of the place, the anchor and its departments, and
    the referral, partnership and part-of ties among them."""

    anchor_id: str
    nodes: list[NetworkNode]
    ties: list[NetworkTie]
