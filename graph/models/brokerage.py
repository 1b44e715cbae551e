"""Brokerage gaps: unlinked supply, critical brokers and ties, suggested links."""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.models.paths import PathNode

__all__ = [
    "BrokerageGaps",
    "CriticalBroker",
    "CriticalTie",
    "SuggestedLink",
    "UnlinkedGroup",
]


class UnlinkedGroup(BaseModel):
    """People who could fill the anchor's shortage vacancies but cannot reach it,
    by an organisation that serves them (``organisation`` None: served by none)."""

    organisation: PathNode | None
    people: int
    person_ids: list[str] = Field(description="Pseudonymous ids of consenting people")


class CriticalBroker(BaseModel):
    node: PathNode
    pairs_cut: int = Field(description="Candidate-anchor pairs its loss would disconnect")


class CriticalTie(BaseModel):
    source: PathNode
    target: PathNode
    type: str
    pairs_cut: int


class SuggestedLink(BaseModel):
    source: PathNode
    target: PathNode
    reconnects: int
    reason: str


class BrokerageGaps(BaseModel):
    anchor_id: str
    occupation_id: str | None
    max_hops: int
    candidates: int = Field(description="People who meet a shortage vacancy or are one step away")
    linked: int
    unlinked_supply: list[UnlinkedGroup]
    critical_brokers: list[CriticalBroker]
    critical_ties: list[CriticalTie]
    suggested_links: list[SuggestedLink]
