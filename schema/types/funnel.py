"""The pipeline funnel as a caller may see it: place leaders get counts with small
cells hidden and the rest rounded, and figures worked out from what they see."""

from __future__ import annotations

from datetime import date

import strawberry

from graph.access import Caller
from graph.models import funnel as m
from graph.models.people import STAGE_ORDER
from graph.vocabulary import Label
from schema.disclosure import counts_for, split_for, threshold
from schema.ids import global_id
from schema.types.enums import FunnelGroupBy, ReadinessStage

__all__ = ["Funnel", "FunnelGroup", "FunnelStage", "shown_stage"]


@strawberry.type(description="One readiness stage of a funnel.")
class FunnelStage:
    stage: ReadinessStage
    reached: int | None = strawberry.field(
        description="People who first reached this stage in the period. Null for place "
        "leaders where the count is a small cell."
    )
    moved_on: int | None = strawberry.field(
        description="Of those, people who went on to a further stage by the period's end."
    )
    conversion: float | None = strawberry.field(
        description="movedOn / reached, from the counts shown (so rounded for place leaders)."
    )
    median_days_to_next: float | None = strawberry.field(
        description="Median days from reaching this stage to reaching the next; null for "
        "place leaders when fewer people than the disclosure threshold give a time."
    )


@strawberry.type(description="The funnel of one occupation or area.")
class FunnelGroup:
    key: strawberry.ID | None = strawberry.field(
        description="The occupation or area (null: not recorded)."
    )
    name: str | None
    stages: list[FunnelStage]


@strawberry.type(description="How an anchor's pipeline moved through the readiness stages.")
class Funnel:
    anchor: strawberry.ID
    from_: date | None = strawberry.field(name="from")
    to: date | None
    group_by: FunnelGroupBy | None
    stages: list[FunnelStage]
    groups: list[FunnelGroup]
    counts_rounded: bool = strawberry.field(
        description="True when small cells are hidden and counts rounded for this caller."
    )

    @classmethod
    def from_model(cls, model: m.Funnel, caller: Caller | None) -> Funnel:
        exact = caller is not None and caller.sees_small_counts
        stages = [shown_stage(caller, figures) for figures in model.stages]
        label = Label.OCCUPATION if model.group_by is m.FunnelGroupBy.OCCUPATION else Label.AREA
        return cls(
            anchor=global_id(Label.ANCHOR_INSTITUTION, model.anchor_id),
            from_=model.start,
            to=model.end,
            group_by=model.group_by,
            stages=stages,
            groups=[
                FunnelGroup(
                    key=global_id(label, group.key) if group.key else None,
                    name=group.name,
                    stages=stages_of_group,
                )
                for group, stages_of_group in zip(
                    model.groups, _grouped(caller, model), strict=True
                )
            ],
            counts_rounded=not exact,
        )


def shown_stage(caller: Caller | None, figures: m.StageFigures) -> FunnelStage:
    """One stage of the whole funnel as this caller may see it."""
    return _shown(caller, figures, True, True)


def _shown(
    caller: Caller | None, figures: m.StageFigures, reached_shown: bool, moved_shown: bool
) -> FunnelStage:
    """One stage: moved on and stayed partition those who reached it. A median is a
    figure about the people who moved on, so it goes where their count goes."""
    moved_on, reached = split_for(caller, figures.moved_on, figures.reached)
    if not reached_shown:
        reached = None
    if reached is None or not moved_shown:
        moved_on = None
    exact = caller is not None and caller.sees_small_counts
    timed_enough = exact or figures.timed >= threshold()
    last = figures.stage is STAGE_ORDER[-1]
    return FunnelStage(
        stage=figures.stage,
        reached=reached,
        moved_on=moved_on,
        conversion=(
            round(moved_on / reached, 4) if moved_on is not None and reached and not last else None
        ),
        median_days_to_next=(
            figures.median_days if timed_enough and moved_on is not None else None
        ),
    )


def _grouped(caller: Caller | None, model: m.Funnel) -> list[list[FunnelStage]]:
    """Each group's stages. Groups partition the whole at every stage, so a group's
    count is hidden with secondary suppression against the total, for those who
    reached a stage and for those who moved on from it alike."""
    shown: list[list[FunnelStage]] = [[] for _ in model.groups]
    for index, overall in enumerate(model.stages):
        cells = {str(k): g.stages[index] for k, g in enumerate(model.groups)}
        reached, _ = counts_for(caller, {k: f.reached for k, f in cells.items()}, overall.reached)
        moved, _ = counts_for(caller, {k: f.moved_on for k, f in cells.items()}, overall.moved_on)
        for key, figures in cells.items():
            stage = _shown(caller, figures, reached[key] is not None, moved[key] is not None)
            shown[int(key)].append(stage)
    return shown
