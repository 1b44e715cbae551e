"""The pathway question: one ranked set of whole routes to a vacancy, from a person (for
caseworkers and administrators) or from an organisation (for place leaders too)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.access import Caller
from graph.algorithms.referral_paths import PathMode
from graph.models import pathway as m
from graph.services import pathway as service
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.days import AsOf, asked_day
from schema.errors import BadUserInput
from schema.ids import global_id
from schema.questions import Hops, PathNode, PathStep
from schema.resolving import RunsAlgorithm, call_graph, node_key
from schema.types.enums import ReadinessStage
from schema.types.funnel import shown_stage

__all__ = ["PathwayQuery"]

StepRole = strawberry.enum(
    m.StepRole,
    description="Why a node stands on a route: START; WORD_OF_MOUTH (someone the person "
    "knows); INTRODUCES (refers or takes them on); CLOSES_GAP (provides a step the pathway "
    "needs); EMPLOYER (the anchor posting the vacancy); VACANCY.",
)


@strawberry.type(description="How long people of the anchor's pipeline took over a stage.")
class StageTime:
    stage: ReadinessStage
    median_days: float | None = strawberry.field(
        description="Median days from reaching the stage to reaching a further one; null "
        "where none is known, and for place leaders where the funnel hides it."
    )


@strawberry.type(description="A step the pathway needs, in the order it needs them.")
class PathwayNeed:
    kind: str = strawberry.field(
        description="right_to_work, language, qualification or skill (the missing skills "
        "are one step)."
    )
    gaps: list[str] = strawberry.field(description="What is missing, gap by gap.")
    services: list[str] = strawberry.field(description="Service types that close it.")
    providers: list[strawberry.ID] = strawberry.field(
        description="Organisations of the place offering one of those services."
    )
    time: StageTime | None = strawberry.field(
        description="The stage this step is worked through, and how long it took people; "
        "null for a step that is no stage of its own (right to work). The graph records "
        "no prices."
    )

    @classmethod
    def from_model(cls, model: m.PathwayNeed, caller: Caller | None) -> PathwayNeed:
        time = None
        if model.time is not None:
            shown = shown_stage(caller, model.time)
            time = StageTime(stage=shown.stage, median_days=shown.median_days_to_next)
        return cls(
            kind=model.kind,
            gaps=model.gaps,
            services=model.services,
            providers=[global_id(Label.COMMUNITY_ORGANISATION, i) for i in model.provider_ids],
            time=time,
        )


@strawberry.type(description="One node of a route: who, why it is there, and what it closes.")
class PathwayStep:
    node: PathNode
    role: StepRole  # type: ignore[valid-type]
    why: str
    arrived_by: PathStep | None = strawberry.field(
        description="The tie from the step before (null at the start); type BACK_TO where "
        "the person goes back, after a step, to whoever sent them there (at that tie's trust)."
    )
    closes: list[str] = strawberry.field(description="Kinds of the needs closed here.")
    services: list[str] = strawberry.field(description="This provider's services that do.")

    @classmethod
    def from_model(cls, model: m.PathwayStep) -> PathwayStep:
        arrived = model.arrived_by
        return cls(
            node=PathNode.from_model(model.node),
            role=model.role,
            why=model.why,
            arrived_by=PathStep(type=arrived.type, strength=arrived.strength) if arrived else None,
            closes=model.closes,
            services=model.services,
        )


@strawberry.type(description="One whole route, its steps in order.")
class PathwayRoute:
    rank: int
    steps: list[PathwayStep]
    hops: int
    cost: float = strawberry.field(description="Sum of -ln(trust) over the hops; 0 is full trust.")
    explanation: str


@strawberry.type(description="Whole routes to a vacancy, best first, and the steps they close.")
class Pathway:
    vacancy: strawberry.ID
    vacancy_title: str
    start: PathNode
    ranked_by: PathMode = strawberry.field(
        description="FEWEST_HOPS: hops, then trust cost; STRONGEST_TRUST: trust cost, then "
        "hops. Ties: the earlier a step closes, then node ids."
    )
    needs: list[PathwayNeed] = strawberry.field(
        description="The steps the pathway needs, in order; each route passes a provider of "
        "every one of them that has a provider in the place."
    )
    unmet: list[PathwayNeed] = strawberry.field(
        description="Needs no organisation of the place offers a service for: the routes "
        "cannot close them."
    )
    routes: list[PathwayRoute]

    @classmethod
    def from_model(cls, model: m.Pathway, mode: PathMode, caller: Caller | None) -> Pathway:
        return cls(
            vacancy=global_id(Label.VACANCY, model.vacancy_id),
            vacancy_title=model.vacancy_title,
            start=PathNode.from_model(model.start),
            ranked_by=mode,
            needs=[PathwayNeed.from_model(n, caller) for n in model.needs],
            unmet=[PathwayNeed.from_model(n, caller) for n in model.unmet],
            routes=[
                PathwayRoute(
                    rank=r.rank,
                    steps=[PathwayStep.from_model(s) for s in r.steps],
                    hops=r.hops,
                    cost=r.cost,
                    explanation=r.explanation,
                )
                for r in model.routes
            ],
        )


@strawberry.type
class PathwayQuery:
    @strawberry.field(description="A person's whole route to a vacancy: who introduces them "
                      "to whom, with the providers that close their gaps placed on the way, "
                      "in the order the pathway needs them; alternatives ranked. Give "
                      "personId (caseworkers: their organisation's people; administrators) "
                      "or organisationId (the route for a newcomer from there). asOf reads the "
                      "ties and the funnel's times as they stood that day; the person's "
                      "facts and the providers are today's.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def pathway(
        self,
        info: GraphInfo,
        vacancy_id: strawberry.ID,
        person_id: strawberry.ID | None = None,
        organisation_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="CommunityOrganisation or Department"),
        ] = None,
        k: int = 3,
        max_hops: Hops = 10,
        mode: PathMode = PathMode.FEWEST_HOPS,
        as_of: AsOf = None,
    ) -> Pathway:
        if (person_id is None) == (organisation_id is None):
            raise BadUserInput("personId, organisationId: give exactly one of them")
        if person_id is not None:
            start = node_key(person_id, "personId", Label.PERSON)
        else:
            assert organisation_id is not None
            start = node_key(organisation_id, "organisationId", *service.PATHWAY_STARTS)
        vacancy = node_key(vacancy_id, "vacancyId", Label.VACANCY)
        context = info.context
        caller = context.caller
        assert caller is not None  # the access policy admits no one unsigned
        found = await call_graph(
            service.pathway, context.driver, context.database, caller, start, vacancy.id,
            k=k, max_hops=max_hops, mode=mode, as_of=asked_day(as_of),
        )  # fmt: skip
        return Pathway.from_model(found, mode, caller)
