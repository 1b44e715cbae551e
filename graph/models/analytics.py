"""Rankings from the network analytics, as the CLI and GraphQL show them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from graph.models.paths import PathNode

__all__ = [
    "BrokerageRanking",
    "CentralityRanking",
    "Community",
    "CommunityReport",
    "RoleCounts",
    "ScoredNode",
]


class ScoredNode(BaseModel):
    rank: int
    node: PathNode
    group: str
    score: float


class CentralityRanking(BaseModel):
    measure: str
    nodes: int
    relationships: int
    sampled_sources: int | None = Field(
        None, description="Betweenness estimated from this many seeded sources; None if exact"
    )
    computed_on: date
    written: int | None = Field(None, description="Nodes the scores were written back to")
    ranked: list[ScoredNode]


class RoleCounts(BaseModel):
    """How many open two-paths a node brokers in each Gould-Fernandez role."""

    rank: int
    node: PathNode
    group: str
    coordinator: int
    itinerant: int
    representative: int
    gatekeeper: int
    liaison: int
    total: int


class BrokerageRanking(BaseModel):
    group_by: str
    nodes: int
    relationships: int
    ranked: list[RoleCounts]


class Community(BaseModel):
    index: int
    size: int
    groups: dict[str, int] = Field(description="Members by group (micro asset, intermediary...)")
    leading: list[PathNode] = Field(description="The best-connected members, most ties first")
    members: list[PathNode] | None = Field(
        default=None, description="Every member, in id order, when asked for"
    )


class CommunityReport(BaseModel):
    nodes: int
    relationships: int
    modularity: float
    communities: list[Community]
