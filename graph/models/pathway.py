"""A person's (or an organisation's) whole route to a vacancy, as the graph returns it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from graph.models.funnel import StageFigures
from graph.models.paths import PathNode, PathStep

__all__ = ["Pathway", "PathwayNeed", "PathwayRoute", "PathwayStep", "StepRole"]


class StepRole(StrEnum):
    START = "start"
    WORD_OF_MOUTH = "word_of_mouth"
    INTRODUCES = "introduces"
    CLOSES_GAP = "closes_gap"
    EMPLOYER = "employer"
    VACANCY = "vacancy"


class PathwayNeed(BaseModel):
    """One step the pathway needs, in order: the gaps it closes and who can close them."""

    kind: str
    gaps: list[str] = Field(description="The gaps' descriptions")
    services: list[str] = Field(description="Service types that close it on a route")
    provider_ids: list[str] = Field(description="Organisations offering one of them")
    time: StageFigures | None = Field(
        None, description="The anchor's funnel figures for the stage this step is worked in"
    )


class PathwayStep(BaseModel):
    node: PathNode
    role: StepRole
    why: str
    arrived_by: PathStep | None = Field(None, description="The tie from the step before")
    closes: list[str] = Field(default_factory=list, description="Kinds of the needs closed here")
    services: list[str] = Field(
        default_factory=list, description="The provider's services that close them"
    )


class PathwayRoute(BaseModel):
    rank: int
    steps: list[PathwayStep]
    hops: int
    cost: float = Field(description="Sum of -ln(trust) over the hops; 0 is full trust")
    explanation: str


class Pathway(BaseModel):
    vacancy_id: str
    vacancy_title: str
    start: PathNode
    needs: list[PathwayNeed]
    unmet: list[PathwayNeed] = Field(
        description="Needs no organisation of the place offers a service for: the routes "
        "leave them out"
    )
    routes: list[PathwayRoute]
