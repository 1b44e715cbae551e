"""``placeComparison``: the caller's places side by side (issue 15, comparison), each
figure as the caller may see it: small cells hidden and counts rounded for place
leaders, and every figure worked out from the counts shown (docs/places.md)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.access import Caller
from graph.algorithms.impact import estimate_impact
from graph.models.impact import ImpactAssumptions
from graph.services import place_comparison as service
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.days import AsOf, asked_day
from schema.disclosure import count_for, split_for
from schema.ids import global_id
from schema.resolving import RunsAlgorithm, call_graph, places_of
from schema.types.funnel import Funnel
from schema.types.impact import disclosed_facts

__all__ = ["PlaceComparisonQuery", "PlaceFigures"]


@strawberry.type(description="One place's figures beside the others'. Its hub is its "
                 "employment hub; the funnel, impact and candidates are those of the anchor "
                 "the hub is part of, counted in this place alone. Counts are null for "
                 "place leaders where a cell is small, and rounded.")  # fmt: skip
class PlaceFigures:
    place: strawberry.ID = strawberry.field(description="The place's id, as tokens name it.")
    name: str
    residents: int | None = strawberry.field(description="The place's people on record.")
    hub: strawberry.ID | None = strawberry.field(description="Null: the place has no hub.")
    anchor: strawberry.ID | None
    hub_partners: int | None = strawberry.field(
        description="Community organisations of the place the hub referred to, was "
        "referred by or partnered, by ties held on the day asked."
    )
    funnel: Funnel | None = strawberry.field(
        description="The anchor's pipeline in this place: conversions and median days."
    )
    impact_per_thousand_residents_gbp: float | None = strawberry.field(
        description="impact's total (default assumptions, people in paid work today) per "
        "1,000 residents, from the counts shown."
    )
    candidates: int | None = strawberry.field(
        description="brokerageGaps' candidates of the anchor in this place."
    )
    without_route: int | None = strawberry.field(
        description="Of those, people with no referral route to the anchor."
    )
    share_without_route: float | None = strawberry.field(
        description="withoutRoute / candidates, from the counts shown."
    )
    counts_rounded: bool

    @classmethod
    def from_model(cls, model: service.PlaceFigures, caller: Caller | None) -> PlaceFigures:
        residents = count_for(caller, model.residents)
        impact = None
        if model.placements is not None and residents:
            facts = disclosed_facts(model.placements.facts, caller)
            total = estimate_impact(
                facts, ImpactAssumptions(), model.placements.posted_salaries
            ).total_gbp
            impact = None if total is None else round(total / residents * 1000, 2)
        without, candidates = (
            split_for(caller, model.unlinked, model.candidates)
            if model.candidates is not None and model.unlinked is not None
            else (None, None)
        )
        share = None if not candidates or without is None else round(without / candidates, 4)
        return cls(
            place=strawberry.ID(model.place_id),
            name=model.name,
            residents=residents,
            hub=_id(Label.DEPARTMENT, model.hub_id),
            anchor=_id(Label.ANCHOR_INSTITUTION, model.anchor_id),
            hub_partners=None if model.partners is None else count_for(caller, model.partners),
            funnel=None if model.funnel is None else Funnel.from_model(model.funnel, caller),
            impact_per_thousand_residents_gbp=impact,
            candidates=candidates,
            without_route=without,
            share_without_route=share,
            counts_rounded=not (caller is not None and caller.sees_small_counts),
        )


@strawberry.type
class PlaceComparisonQuery:
    @strawberry.field(description="The caller's places side by side (or those named): the "
                      "hub's funnel, impact per 1,000 residents, the share of candidates "
                      "with no route in, the hub's community partners.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def place_comparison(
        self,
        info: GraphInfo,
        places: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Place ids (default: every place you may see)"),
        ] = None,
        as_of: AsOf = None,
    ) -> list[PlaceFigures]:
        day = asked_day(as_of)
        context = info.context
        caller = context.caller

        def compute() -> list[PlaceFigures]:
            chosen = service.compared_places(
                context.driver, context.database, places_of(caller),
                None if places is None else [str(place) for place in places],
            )  # fmt: skip
            found = service.place_comparison(
                context.driver, context.database, chosen, as_of=day, funnels=context.funnels
            )
            return [PlaceFigures.from_model(figures, caller) for figures in found]

        return await call_graph(compute)


def _id(label: Label, external: str | None) -> strawberry.ID | None:
    return None if external is None else global_id(label, external)
