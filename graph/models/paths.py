"""Referral paths as the graph returns them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.vocabulary import Label

__all__ = ["NodeKey", "PathNode", "PathStep", "ReferralPath"]


class NodeKey(BaseModel):
    """A node named by label and external id (ids are unique within a label)."""

    model_config = {"frozen": True}

    label: Label
    id: str = Field(min_length=1)

    def as_tuple(self) -> tuple[str, str]:
        return (self.label.value, self.id)


class PathNode(BaseModel):
    label: Label
    id: str
    name: str | None = Field(None, description="Never a person's name: people have none here")


class PathStep(BaseModel):
    type: str
    strength: float


class ReferralPath(BaseModel):
    nodes: list[PathNode]
    relationships: list[PathStep]
    hops: int
    cost: float = Field(description="Sum of -ln(trust) over the hops; 0 is full trust all the way")
    explanation: str
