"""The three questions the service exists to answer: referral paths, matching
candidates (and opportunities for a person), and brokerage gaps."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

import strawberry

from graph.access import Caller
from graph.algorithms.matching import MatchWeights
from graph.algorithms.referral_paths import PathMode as GraphPathMode
from graph.models import brokerage as b
from graph.models import matching as m
from graph.models import paths as p
from graph.services import brokerage, matching, paths
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.days import AsOf, asked_day
from schema.disclosure import count_for, counts_for
from schema.ids import global_id
from schema.kept import Question, kept
from schema.resolving import RunsAlgorithm, call_graph, node_key, places_of
from schema.types.enums import ReadinessStage

__all__ = ["Hops", "PathNode", "PathStep", "QuestionsQuery"]

PathMode = strawberry.enum(
    GraphPathMode,
    description="How to rank paths: fewest hops first, or the strongest chain of trust first.",
)


@lru_cache(maxsize=1)
def match_weights() -> MatchWeights:
    return MatchWeights()


# -- paths ---------------------------------------------------------------------


@strawberry.type(description="A node on a path; people are never named.")
class PathNode:
    id: strawberry.ID
    kind: str
    name: str | None

    @classmethod
    def from_model(cls, model: p.PathNode) -> PathNode:
        return cls(id=global_id(model.label, model.id), kind=model.label.value, name=model.name)


@strawberry.type(description="One hop of a path: the relationship and its trust.")
class PathStep:
    type: str
    strength: float


@strawberry.type(description="A referral path, its hops in order, and what it costs in trust.")
class ReferralPath:
    nodes: list[PathNode]
    relationships: list[PathStep]
    hops: int
    cost: float = strawberry.field(description="Sum of -ln(trust) over the hops; 0 is full trust.")
    explanation: str

    @classmethod
    def from_model(cls, model: p.ReferralPath) -> ReferralPath:
        return cls(
            nodes=[PathNode.from_model(n) for n in model.nodes],
            relationships=[PathStep(type=s.type, strength=s.strength) for s in model.relationships],
            hops=model.hops,
            cost=model.cost,
            explanation=model.explanation,
        )


# -- matching --------------------------------------------------------------------


@strawberry.type(description="One factor of a score: contribution = weight x value.")
class Factor:
    name: str
    weight: float
    value: float
    contribution: float
    detail: str


@strawberry.type(description="An organisation that offers the step closing a gap.")
class GapProvider:
    organisation: strawberry.ID
    name: str | None
    service: str | None
    supports_person: bool


@strawberry.type(description="A step still open between a person and a vacancy.")
class Gap:
    kind: str
    description: str
    closed_by: list[str]
    providers: list[GapProvider]


@strawberry.type(description="A person and a vacancy, scored factor by factor.")
class Match:
    person: strawberry.ID
    vacancy: strawberry.ID
    vacancy_title: str
    score: float
    factors: list[Factor]
    gaps: list[Gap]
    referral_path: ReferralPath | None = strawberry.field(
        description="The best path from the anchor's employment hub to the person."
    )

    @classmethod
    def from_model(cls, model: m.Match) -> Match:
        return cls(
            person=global_id(Label.PERSON, model.person_id),
            vacancy=global_id(Label.VACANCY, model.vacancy_id),
            vacancy_title=model.vacancy_title,
            score=model.score,
            factors=[Factor(**f.model_dump()) for f in model.factors],
            gaps=[
                Gap(
                    kind=g.kind,
                    description=g.description,
                    closed_by=g.closed_by,
                    providers=[
                        GapProvider(
                            organisation=global_id(
                                Label.COMMUNITY_ORGANISATION, pr.organisation_id
                            ),
                            name=pr.organisation_name,
                            service=pr.service,
                            supports_person=pr.supports_person,
                        )
                        for pr in g.providers
                    ],
                )
                for g in model.gaps
            ],
            referral_path=ReferralPath.from_model(model.referral_path)
            if model.referral_path
            else None,
        )


@strawberry.input(description="Narrow the candidates.")
class CandidateFilters:
    stages: list[ReadinessStage] | None = None
    right_to_work_only: bool = False
    local_only: bool = strawberry.field(
        default=False, description="Only people living in the place"
    )
    min_score: float | None = None


# -- brokerage ---------------------------------------------------------------------


@strawberry.type(description="People who could fill shortage vacancies but have no route in.")
class UnlinkedGroup:
    organisation: PathNode | None
    people: int | None = strawberry.field(description="Null for place leaders when a small cell.")
    person_ids: list[strawberry.ID] | None = strawberry.field(
        description="Pseudonymous ids; not for place leaders, who see counts only."
    )


@strawberry.type(description="An organisation whose loss would cut candidates off.")
class CriticalBroker:
    node: PathNode
    pairs_cut: int | None


@strawberry.type(description="A tie whose loss would cut candidates off.")
class CriticalTie:
    source: PathNode
    target: PathNode
    type: str
    pairs_cut: int | None


@strawberry.type(description="A new tie that would reconnect people, and why.")
class SuggestedLink:
    source: PathNode
    target: PathNode
    reconnects: int | None
    reason: str


@strawberry.type(description="Where the bridge between people and an anchor is missing.")
class BrokerageGaps:
    anchor: strawberry.ID
    max_hops: int
    candidates: int | None = strawberry.field(
        description="Counts are null for place leaders where a cell is small."
    )
    linked: int | None
    unlinked: int | None
    unlinked_supply: list[UnlinkedGroup]
    critical_brokers: list[CriticalBroker]
    critical_ties: list[CriticalTie]
    suggested_links: list[SuggestedLink]

    @classmethod
    def from_model(cls, model: b.BrokerageGaps, caller: Caller | None) -> BrokerageGaps:
        """As this caller may see it: place leaders get counts with small cells hidden."""
        node = PathNode.from_model
        split, candidates = counts_for(
            caller,
            {"linked": model.linked, "unlinked": model.candidates - model.linked},
            model.candidates,
        )

        def suggestion(link: b.SuggestedLink) -> SuggestedLink:
            # The sentence is told from the count as shown, never the raw one.
            shown = count_for(caller, link.reconnects)
            return SuggestedLink(
                source=node(link.source),
                target=node(link.target),
                reconnects=shown,
                reason=link.reason(shown),
            )

        return cls(
            anchor=global_id(Label.ANCHOR_INSTITUTION, model.anchor_id),
            max_hops=model.max_hops,
            candidates=candidates,
            linked=split["linked"],
            unlinked=split["unlinked"],
            unlinked_supply=[
                UnlinkedGroup(
                    organisation=node(g.organisation) if g.organisation else None,
                    people=count_for(caller, g.people),
                    person_ids=[global_id(Label.PERSON, i) for i in g.person_ids],
                )
                for g in model.unlinked_supply
            ],
            critical_brokers=[
                CriticalBroker(node=node(c.node), pairs_cut=count_for(caller, c.pairs_cut))
                for c in model.critical_brokers
            ],
            critical_ties=[
                CriticalTie(
                    source=node(t.source),
                    target=node(t.target),
                    type=t.type,
                    pairs_cut=count_for(caller, t.pairs_cut),
                )
                for t in model.critical_ties
            ],
            suggested_links=[suggestion(s) for s in model.suggested_links],
        )


Hops = Annotated[int, strawberry.argument(name="maxHops", description="1 to 10")]


@strawberry.type
class QuestionsQuery:
    @strawberry.field(description="The k best referral paths from a person or organisation "
                      "to an anchor, hub, vacancy or organisation.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def referral_paths(
        self,
        info: GraphInfo,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        k: int = 3,
        max_hops: Hops = 6,
        mode: GraphPathMode = GraphPathMode.FEWEST_HOPS,
        as_of: AsOf = None,
    ) -> list[ReferralPath]:
        source = node_key(from_, "from", *paths.PATH_SOURCES)
        target = node_key(to, "to", *paths.PATH_TARGETS)
        found = await call_graph(
            paths.referral_paths, info.context.driver, info.context.database, source, target,
            k=k, max_hops=max_hops, mode=mode, places=places_of(info.context.caller),
            as_of=asked_day(as_of), kept=info.context.kept_answers,
            seen=info.context.seen_transaction,
        )  # fmt: skip
        return [ReferralPath.from_model(path) for path in found]

    @strawberry.field(description="People ranked for a vacancy, with the score's factors, "
                      "the gaps still open and who closes them.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def matching_candidates(
        self,
        info: GraphInfo,
        vacancy_id: strawberry.ID,
        first: int = 20,
        filters: CandidateFilters | None = None,
    ) -> list[Match]:
        vacancy = node_key(vacancy_id, "vacancyId", Label.VACANCY)
        chosen = matching.CandidateFilter(
            stages=[s.value for s in filters.stages] if filters and filters.stages else None,
            right_to_work_only=filters.right_to_work_only if filters else False,
            local_only=filters.local_only if filters else False,
            min_score=filters.min_score if filters else None,
        ) if filters else None  # fmt: skip
        found = await call_graph(
            matching.matching_candidates, info.context.driver, info.context.database, vacancy.id,
            first=first, filters=chosen, weights=match_weights(),
            index=info.context.candidate_index, places=places_of(info.context.caller),
            kept=info.context.kept_answers, seen=info.context.seen_transaction,
        )  # fmt: skip
        return [Match.from_model(match) for match in found]

    @strawberry.field(
        description="Open vacancies ranked for a person, same breakdown.",
        extensions=[RunsAlgorithm()],
    )
    async def opportunities_for(
        self, info: GraphInfo, person_id: strawberry.ID, first: int = 20
    ) -> list[Match]:
        person = node_key(person_id, "personId", Label.PERSON)
        found = await call_graph(
            matching.opportunities_for, info.context.driver, info.context.database, person.id,
            first=first, weights=match_weights(), places=places_of(info.context.caller),
        )  # fmt: skip
        return [Match.from_model(match) for match in found]

    @strawberry.field(description="Where the bridge is missing between an anchor and the "
                      "people who could fill its shortage vacancies.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def brokerage_gaps(
        self,
        info: GraphInfo,
        anchor_id: strawberry.ID,
        occupation: strawberry.ID | None = None,
        max_hops: Hops = 6,
        as_of: AsOf = None,
    ) -> BrokerageGaps:
        anchor = node_key(anchor_id, "anchorId", Label.ANCHOR_INSTITUTION)
        day = asked_day(as_of)
        occupation_key = (
            node_key(occupation, "occupation", Label.OCCUPATION) if occupation else None
        )
        occupation_id = occupation_key.id if occupation_key else None
        context = info.context

        def compute() -> BrokerageGaps:
            found = brokerage.brokerage_gaps(
                context.driver, context.database, anchor.id, occupation_id=occupation_id,
                max_hops=max_hops, index=context.candidate_index, as_of=day,
                places=places_of(context.caller),
            )  # fmt: skip
            return BrokerageGaps.from_model(found, context.caller)

        arguments = (anchor.id, occupation_id, max_hops, day)
        return await call_graph(kept(info, Question.BROKERAGE_GAPS, arguments, compute))
