"""Stage counts, conversion and time between stages for a readiness pipeline.

A person *reaches* a stage on the first day their history records it; a person
whose current stage is missing from their history reached it on an unknown day.
A person *moves on* from a stage when they later reach any further stage of the
pathway (care work skips accreditation, so "further" rather than "the next").
The time to the next stage runs from reaching a stage to the first later day on
which they reached a further one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from statistics import median

from graph.models.funnel import FunnelPerson, StageFigures
from graph.models.people import STAGE_ORDER, ReadinessStage

__all__ = ["first_reached", "stage_figures"]


def first_reached(person: FunnelPerson) -> dict[ReadinessStage, date | None]:
    """The first day each stage was reached (None: reached on a day not recorded).

    >>> from datetime import date
    >>> p = FunnelPerson(stage="placement", history=[("engaged", date(2024, 1, 1)),
    ...                  ("language_training", date(2024, 3, 1))])
    >>> {s.value: d for s, d in first_reached(p).items()}  # doctest: +NORMALIZE_WHITESPACE
    {'engaged': datetime.date(2024, 1, 1), 'language_training': datetime.date(2024, 3, 1),
     'placement': None}
    """
    reached: dict[ReadinessStage, date | None] = {}
    for stage, when in person.history:
        reached.setdefault(stage, when)
    if person.stage is not None:
        reached.setdefault(person.stage, None)
    return reached


def stage_figures(
    people: Iterable[FunnelPerson], start: date | None = None, end: date | None = None
) -> list[StageFigures]:
    """Figures for every stage, in pathway order, over ``people`` for the period
    ``start`` to ``end`` (both inclusive; either may be open).

    With a period, only dated steps count: a stage reached on an unknown day cannot
    be placed in it.

    >>> from datetime import date
    >>> a = FunnelPerson(history=[("engaged", date(2024, 1, 1)),
    ...                           ("language_training", date(2024, 1, 11))])
    >>> b = FunnelPerson(history=[("engaged", date(2024, 2, 1))])
    >>> engaged = stage_figures([a, b])[0]
    >>> engaged.reached, engaged.moved_on, engaged.median_days
    (2, 1, 10.0)
    """
    reached = dict.fromkeys(STAGE_ORDER, 0)
    moved_on = dict.fromkeys(STAGE_ORDER, 0)
    days: dict[ReadinessStage, list[int]] = {stage: [] for stage in STAGE_ORDER}
    dated_only = start is not None or end is not None
    for person in people:
        steps = first_reached(person)
        for stage, when in steps.items():
            if not _in_period(when, start, end, dated_only):
                continue
            reached[stage] += 1
            later = _later_steps(steps, stage)
            if _moved_on(when, later, end):
                moved_on[stage] += 1
            gap = _days_to_next(when, later, end)
            if gap is not None:
                days[stage].append(gap)
    return [
        StageFigures(
            stage=stage,
            reached=reached[stage],
            moved_on=moved_on[stage],
            timed=len(days[stage]),
            median_days=float(median(days[stage])) if days[stage] else None,
        )
        for stage in STAGE_ORDER
    ]


def _in_period(when: date | None, start: date | None, end: date | None, dated_only: bool) -> bool:
    if when is None:
        return not dated_only
    return (start is None or when >= start) and (end is None or when <= end)


def _later_steps(
    steps: dict[ReadinessStage, date | None], stage: ReadinessStage
) -> Sequence[date | None]:
    position = STAGE_ORDER.index(stage)
    return [when for other, when in steps.items() if STAGE_ORDER.index(other) > position]


def _moved_on(when: date | None, later: Sequence[date | None], end: date | None) -> bool:
    for then in later:
        if then is None:
            # An undated further stage still shows they moved on, unless the period
            # ends somewhere we cannot place it.
            if end is None:
                return True
        elif (when is None or then >= when) and (end is None or then <= end):
            return True
    return False


def _days_to_next(when: date | None, later: Sequence[date | None], end: date | None) -> int | None:
    if when is None:
        return None
    dated = [
        then for then in later if then is not None and then >= when and (end is None or then <= end)
    ]
    return (min(dated) - when).days if dated else None
