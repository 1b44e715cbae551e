"""The readiness pipeline of an anchor: who reached which stage, and how fast they moved on."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.models.people import ReadinessStage

__all__ = ["Funnel", "FunnelGroup", "FunnelGroupBy", "FunnelPerson", "StageFigures"]


class FunnelGroupBy(StrEnum):
    OCCUPATION = "occupation"
    # The ward a person lives in (or their home area when it lies in no ward): wards
    # keep cells large enough to show where LSOAs would hide nearly every count.
    AREA = "area"


class FunnelPerson(BaseModel):
    """What the funnel needs of one person in an anchor's pipeline: no personal data."""

    stage: ReadinessStage | None = None
    history: list[tuple[ReadinessStage, date]] = Field(default_factory=list)


class StageFigures(BaseModel):
    """One stage of the funnel.

    ``reached``: people who first reached the stage in the period (any time when there
    is no period); ``moved_on``: those of them who later reached a further stage (by the
    end of the period); ``median_days``: the median of the days from reaching this stage
    to reaching the next one, over the ``timed`` people for whom both days are known.
    """

    stage: ReadinessStage
    reached: int
    moved_on: int
    timed: int
    median_days: float | None

    @property
    def conversion(self) -> float | None:
        return self.moved_on / self.reached if self.reached else None


class FunnelGroup(BaseModel):
    key: str | None = Field(description="Occupation or area id; None: not recorded")
    name: str | None
    stages: list[StageFigures]


class Funnel(BaseModel):
    anchor_id: str
    start: date | None
    end: date | None
    group_by: FunnelGroupBy | None
    stages: list[StageFigures]
    groups: list[FunnelGroup]
