"""Network centrality and Gould-Fernandez brokerage for place leaders, computed on
the referral network as it stands (see docs/analytics.md)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

import strawberry

from graph.analytics import ranking
from graph.analytics.centrality import Measure
from graph.analytics.projection import DEFAULT_LABELS, Projection
from graph.models import analytics as a
from graph.vocabulary import Label
from schema.context import GraphInfo
from schema.days import AsOf, asked_day
from schema.ids import global_id
from schema.kept import Question, kept
from schema.resolving import RunsAlgorithm, call_graph, places_of

__all__ = ["AnalyticsQuery", "CentralityMeasure", "NodeLabel"]

# Above this many nodes, betweenness on request is estimated from 256 seeded
# sources rather than computed from every node.
LIVE_EXACT_LIMIT = 5000

CentralityMeasure = strawberry.enum(
    Measure,
    name="CentralityMeasure",
    description=(
        "DEGREE, BETWEENNESS, CLOSENESS, EIGENVECTOR, PAGERANK; CONSTRAINT (Burt's: lowest "
        "first, the least constrained broker leads); EFFECTIVE_SIZE (Burt's); ARTICULATION "
        "(how many others a node's loss would cut off)."
    ),
)


@strawberry.enum(description="The kinds of node a network ranking can include.")
class NodeLabel(StrEnum):
    PERSON = Label.PERSON.value
    COMMUNITY_ORGANISATION = Label.COMMUNITY_ORGANISATION.value
    DEPARTMENT = Label.DEPARTMENT.value
    ANCHOR_INSTITUTION = Label.ANCHOR_INSTITUTION.value
    SERVICE = Label.SERVICE.value
    VACANCY = Label.VACANCY.value
    PROPERTY = Label.PROPERTY.value
    SKILL = Label.SKILL.value
    OCCUPATION = Label.OCCUPATION.value
    QUALIFICATION = Label.QUALIFICATION.value
    AREA = Label.AREA.value


@strawberry.type(description="A node's place in a centrality ranking; people are never named.")
class CentralityScore:
    rank: int
    node: strawberry.ID = strawberry.field(
        description="People are left out for callers who see them only as counts"
    )
    kind: str
    name: str | None
    group: str = strawberry.field(description="micro_asset, intermediary, macro_asset...")
    score: float

    @classmethod
    def from_model(cls, model: a.ScoredNode, rank: int) -> CentralityScore:
        node = model.node
        return cls(rank=rank, node=global_id(node.label, node.id), kind=node.label.value,
                   name=node.name, group=model.group, score=model.score)  # fmt: skip


@strawberry.type(description="How many open two-paths a node brokers in each Gould-Fernandez "
                 "role, by the groups of the nodes either side.")  # fmt: skip
class BrokerageRoles:
    rank: int
    node: strawberry.ID = strawberry.field(
        description="People are left out for callers who see them only as counts"
    )
    kind: str
    name: str | None
    group: str
    coordinator: int = strawberry.field(description="Joins two members of its own group")
    itinerant: int = strawberry.field(description="Joins two members of another group")
    representative: int = strawberry.field(description="Carries its group's contact outwards")
    gatekeeper: int = strawberry.field(description="Lets an outsider's contact into its group")
    liaison: int = strawberry.field(description="Joins two groups, neither its own")
    total: int

    @classmethod
    def from_model(cls, model: a.RoleCounts, rank: int) -> BrokerageRoles:
        node = model.node
        return cls(
            rank=rank, node=global_id(node.label, node.id), kind=node.label.value,
            name=node.name, group=model.group, coordinator=model.coordinator,
            itinerant=model.itinerant, representative=model.representative,
            gatekeeper=model.gatekeeper, liaison=model.liaison, total=model.total,
        )  # fmt: skip


def _sees_individuals(info: GraphInfo) -> bool:
    caller = info.context.caller
    return caller is not None and caller.sees_individuals


def _ranked(info: GraphInfo, first: int) -> int | None:
    """How many to rank: all when people will be left out (so ``first`` counts the rest)."""
    return first if _sees_individuals(info) else None


Ranked = TypeVar("Ranked", a.ScoredNode, a.RoleCounts)


def _shown(entries: list[Ranked], info: GraphInfo, first: int) -> list[tuple[int, Ranked]]:
    """The entries the caller sees, ranked anew. Place leaders see people only as counts: a
    row per person, even without its id, would count them one by one (and show a
    withdrawal the moment it happens), so people are left out and the rest re-ranked."""
    if not _sees_individuals(info):
        entries = [entry for entry in entries if entry.node.label is not Label.PERSON][:first]
    return list(enumerate(entries, start=1))


GroupBy = Annotated[
    str, strawberry.argument(description="Node attribute that names the groups: group or label")
]


def _projection(info: GraphInfo, day: date, labels: tuple[Label, ...]) -> Projection:
    """The caller's network of ``day``: only nodes of the places they may see."""
    places = places_of(info.context.caller)
    return Projection(labels=labels, as_of=day, places=None if places is None else tuple(places))


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="Nodes of the referral network ranked by a centrality measure, "
                      "most central first (undirected; ties weighted by trust).",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def centrality(
        self,
        info: GraphInfo,
        measure: Measure,
        labels: list[NodeLabel] | None = None,
        first: int = 20,
        as_of: AsOf = None,
    ) -> list[CentralityScore]:
        chosen = tuple(Label(label.value) for label in labels) if labels else DEFAULT_LABELS
        day = asked_day(as_of)

        def compute() -> list[CentralityScore]:
            found = ranking.centrality_ranking(
                info.context.driver, info.context.database, measure,
                _projection(info, day, chosen), first=_ranked(info, first),
                sample_above=LIVE_EXACT_LIMIT,
            )  # fmt: skip
            shown = _shown(found.ranked, info, first)
            return [CentralityScore.from_model(entry, rank) for rank, entry in shown]

        arguments = (measure, chosen, first, day)
        return await call_graph(kept(info, Question.CENTRALITY, arguments, compute))

    @strawberry.field(description="Who brokers between whom in the directed referral network: "
                      "Gould-Fernandez role counts, most brokerage first.",
                      extensions=[RunsAlgorithm()])  # fmt: skip
    async def brokerage_roles(
        self, info: GraphInfo, group_by: GroupBy = "group", first: int = 20, as_of: AsOf = None
    ) -> list[BrokerageRoles]:
        day = asked_day(as_of)

        def compute() -> list[BrokerageRoles]:
            found = ranking.brokerage_ranking(
                info.context.driver, info.context.database,
                _projection(info, day, DEFAULT_LABELS), group_by=group_by,
                first=_ranked(info, first),
            )  # fmt: skip
            shown = _shown(found.ranked, info, first)
            return [BrokerageRoles.from_model(entry, rank) for rank, entry in shown]

        arguments = (group_by, first, day)
        return await call_graph(kept(info, Question.BROKERAGE_ROLES, arguments, compute))
