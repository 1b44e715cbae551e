"""An anchor's footprint and the partnership network around it: organisations only,
so nothing here is a count of people."""

from __future__ import annotations

import strawberry

from graph.models import footprint as m
from graph.vocabulary import Label
from schema.ids import global_id
from schema.types.assets import AnchorInstitution

__all__ = ["AnchorFootprint", "PartnershipNetwork"]


@strawberry.type(description="One test of the macro-asset rule of thumb; any one is enough.")
class MacroAssetTest:
    name: str
    threshold: str
    value: float | None
    met: bool


@strawberry.type(description="Land or a building the anchor owns.")
class LandHolding:
    id: strawberry.ID
    name: str
    kind: str
    size_sqm: float | None
    available_for_community: bool


@strawberry.type(description="By the end of a year: organisations worked with, and new ones.")
class OrganisationsInYear:
    year: int
    organisations: int
    added: int


@strawberry.type(description="What an anchor brings to its place through jobs, spend and land, "
                 "and the community organisations it works with.")  # fmt: skip
class AnchorFootprint:
    anchor: AnchorInstitution
    employees: int | None
    annual_spend_gbp: float | None
    land_hectares: float | None
    land_holdings: list[LandHolding]
    is_macro_asset: bool
    macro_asset_tests: list[MacroAssetTest]
    community_organisations: int = strawberry.field(
        description="Organisations with a referral or partnership tie to it or its departments."
    )
    organisations_by_year: list[OrganisationsInYear] = strawberry.field(
        description="How that grew, by the year each organisation's first tie began."
    )
    undated_organisations: int = strawberry.field(
        description="Organisations whose ties carry no start date (counted now, not by year)."
    )

    @classmethod
    def from_model(cls, model: m.Footprint) -> AnchorFootprint:
        anchor = model.anchor
        return cls(
            anchor=AnchorInstitution.from_model(anchor),
            employees=anchor.employees,
            annual_spend_gbp=anchor.annual_spend_gbp,
            land_hectares=anchor.land_hectares,
            land_holdings=[
                LandHolding(
                    id=global_id(Label.PROPERTY, h.id),
                    name=h.name,
                    kind=h.kind,
                    size_sqm=h.size_sqm,
                    available_for_community=h.available_for_community,
                )  # fmt: skip
                for h in model.land_holdings
            ],
            is_macro_asset=anchor.is_macro_asset,
            macro_asset_tests=[MacroAssetTest(**t.model_dump()) for t in model.macro_asset_tests],
            community_organisations=model.community_organisations,
            organisations_by_year=[
                OrganisationsInYear(**y.model_dump()) for y in model.organisations_by_year
            ],
            undated_organisations=model.undated_organisations,
        )


@strawberry.type(description="An organisation, the anchor or one of its departments.")
class NetworkNode:
    id: strawberry.ID
    kind: str
    name: str | None
    role: str | None = strawberry.field(
        description="Organisation type, department kind (employment_hub...), or anchor."
    )


@strawberry.type(description="A referral, partnership or part-of tie, source to target.")
class NetworkTie:
    source: strawberry.ID
    target: strawberry.ID
    type: str
    strength: float | None
    count: int | None = strawberry.field(description="Referrals made, where logged.")
    since_year: int | None


@strawberry.type(
    description="The partnership network around an anchor: every community organisation "
    "of the place, the anchor and its departments; no people."
)
class PartnershipNetwork:
    anchor: strawberry.ID
    nodes: list[NetworkNode]
    ties: list[NetworkTie]

    @classmethod
    def from_model(cls, model: m.PartnershipNetwork) -> PartnershipNetwork:
        return cls(
            anchor=global_id(Label.ANCHOR_INSTITUTION, model.anchor_id),
            nodes=[
                NetworkNode(
                    id=global_id(n.label, n.id), kind=n.label.value, name=n.name, role=n.role
                )  # fmt: skip
                for n in model.nodes
            ],
            ties=[
                NetworkTie(
                    source=global_id(t.source.label, t.source.id),
                    target=global_id(t.target.label, t.target.id),
                    type=t.type,
                    strength=t.strength,
                    count=t.count,
                    since_year=t.since_year,
                )  # fmt: skip
                for t in model.ties
            ],
        )
