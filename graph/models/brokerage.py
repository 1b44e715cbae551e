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
    anchor_name: str
    max_hops: int
    hops_after: int = Field(description="Hops from the source to the anchor with the new tie")

    def reason(self, shown: int | None) -> str:
        """Why the tie is suggested, telling ``reconnects`` as the reader may see it:
        ``shown`` is that count after small-cell suppression (None: hidden), so the
        sentence never holds more than the count beside it."""
        served = "a few people" if shown is None else f"{shown} {_people(shown)}"
        return (
            f"{self.source.name or self.source.id} serves {served} with no referral route to "
            f"{self.anchor_name} within {self.max_hops} hops; a referral tie to "
            f"{self.target.name or self.target.id} puts it {self.hops_after} "
            f"hop{'s' if self.hops_after != 1 else ''} from {self.anchor_name}"
        )


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


def _people(count: int) -> str:
    return "person" if count == 1 else "people"
