"""The place leaders' view of an anchor: pipeline funnel, impact estimate, footprint,
and the partnership network the explorer page draws (docs/place-leaders.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from graph.algorithms.impact import estimate_impact
from graph.services import place_view
from graph.services.ingest import existing_ids
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.days import AsOf, asked_day
from schema.explore import OnePlace
from schema.kept import Question, kept
from schema.pagination import places_asked
from schema.resolving import RunsAlgorithm, call_graph, node_key, places_of
from schema.types.enums import FunnelGroupBy
from schema.types.footprint import AnchorFootprint, PartnershipNetwork
from schema.types.funnel import Funnel
from schema.types.impact import (
    Impact,
    ImpactAssumptionsInput,
    assumptions_from_input,
    disclosed_facts,
    salary_occupation_ids,
)

__all__ = ["PlaceViewQuery"]

AnchorId = Annotated[strawberry.ID, strawberry.argument(description="AnchorInstitution:<id>")]


def _anchor(anchor_id: str) -> str:
    return node_key(anchor_id, "anchorId", Label.ANCHOR_INSTITUTION).id


@strawberry.type
class PlaceViewQuery:
    @strawberry.field(description="How many of the anchor's pipeline reached each readiness "
                      "stage in a period, conversion onwards and median days between "
                      "stages; overall and by occupation or area.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def funnel(
        self,
        info: GraphInfo,
        anchor_id: AnchorId,
        from_: Annotated[
            date | None, strawberry.argument(name="from", description="First day, inclusive")
        ] = None,
        to: Annotated[date | None, strawberry.argument(description="Last day, inclusive")] = None,
        group_by: FunnelGroupBy | None = None,
        as_of: AsOf = None,
    ) -> Funnel:
        anchor = _anchor(anchor_id)
        day = asked_day(as_of)
        context = info.context
        places = places_of(context.caller)

        def compute() -> Funnel:
            # Disclosure is applied to the figures however they were worked out, so a
            # place leader's small cells stay hidden in a patched funnel too.
            if context.funnels is not None:
                found = context.funnels.funnel(anchor, start=from_, end=to, group_by=group_by,
                                               as_of=day, places=places,
                                               seen=context.seen_transaction)  # fmt: skip
            else:
                found = place_view.funnel(
                    context.driver, context.database, anchor, start=from_, end=to,
                    group_by=group_by, as_of=day, places=places,
                )  # fmt: skip
            return Funnel.from_model(found, context.caller)

        arguments = (anchor, from_, to, group_by, day)
        return await call_graph(kept(info, Question.FUNNEL, arguments, compute))

    @strawberry.field(description="What placing people in the anchor's posts is worth: "
                      "salaries, welfare no longer paid, language training, agency premium "
                      "avoided; every rate an assumption the caller may override. asOf "
                      "counts the people in paid work by that day as their stage history "
                      "stood; the pay is that the anchor's posts show today.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def impact(
        self,
        info: GraphInfo,
        anchor_id: AnchorId,
        assumptions: ImpactAssumptionsInput | None = None,
        as_of: AsOf = None,
    ) -> Impact:
        anchor = _anchor(anchor_id)
        day = asked_day(as_of)
        context = info.context

        def compute() -> Impact:
            # The occupations the caller names salaries for are facts too: an unknown
            # one is refused, so whether it exists is read under the same version.
            known = existing_ids(
                context.driver, context.database, Label.OCCUPATION,
                salary_occupation_ids(assumptions),
            )  # fmt: skip
            chosen = assumptions_from_input(assumptions, known)
            found = place_view.placements(
                context.driver, context.database, anchor, places_of(context.caller), day
            )
            facts = disclosed_facts(found.facts, context.caller)
            return Impact.from_model(estimate_impact(facts, chosen, found.posted_salaries))

        arguments = (anchor, assumptions, day)
        return await call_graph(kept(info, Question.IMPACT, arguments, compute))

    @strawberry.field(
        description="The anchor's jobs, spend and land against the macro-asset rule, and "
        "the community organisations it works with, year by year.",
        extensions=[RunsAlgorithm()],
    )
    async def anchor_footprint(
        self, info: GraphInfo, anchor_id: AnchorId, as_of: AsOf = None
    ) -> AnchorFootprint:
        anchor = _anchor(anchor_id)
        day = asked_day(as_of)
        context = info.context

        def compute() -> AnchorFootprint:
            found = place_view.anchor_footprint(
                context.driver, context.database, anchor, day, places_of(context.caller)
            )
            return AnchorFootprint.from_model(found)

        arguments = (anchor, day)
        return await call_graph(kept(info, Question.ANCHOR_FOOTPRINT, arguments, compute))

    @strawberry.field(
        description="Every community organisation of the place, the anchor and its "
        "departments, and the referral and partnership ties among them.",
        extensions=[RunsAlgorithm()],
    )
    async def partnership_network(
        self, info: GraphInfo, anchor_id: AnchorId, as_of: AsOf = None, place: OnePlace = None
    ) -> PartnershipNetwork:
        anchor = _anchor(anchor_id)
        day = asked_day(as_of)
        context = info.context
        # An anchor of two places, asked by a caller of both, draws one place's network
        # when the page has chosen one; a place not theirs is answered as no place.
        places = places_asked(context, place)

        def compute() -> PartnershipNetwork:
            found = place_view.partnership_network(
                context.driver, context.database, anchor, day, places
            )
            return PartnershipNetwork.from_model(found)

        arguments = (anchor, day, place)
        return await call_graph(kept(info, Question.PARTNERSHIP_NETWORK, arguments, compute))
