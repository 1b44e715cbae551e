"""Stage counts, conversion and time between stages for a readiness pipeline.

A person *reaches* a stage on the first day their history records it; a person
whose current stage is missing from their history reached it on an unknown day.
A person *moves on* from a stage when they later reach any further stage of the
pathway (care work skips accreditation, so "further" rather than "the next").
The time to the next stage runs from reaching a stage to the first later day on
which they reached a further one.

Days are whole numbers counted from 1 January 1970 (``epoch_day``), and the
arithmetic runs over arrays with a row a stage and a column a person: an
anchor's pipeline of a hundred thousand people is counted in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain

import numpy as np
import numpy.typing as npt

from graph.models.funnel import FunnelPerson, StageFigures
from graph.models.people import STAGE_ORDER

__all__ = ["EPOCH", "Pipeline", "StagePath", "epoch_day", "pipeline_figures", "stage_figures"]

EPOCH = date(1970, 1, 1)

Days = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

# Stands in for a day that is not known: later than any real day, so it never
# wins a minimum and never falls inside a period.
_UNKNOWN_DAY = int(np.iinfo(np.int64).max)
_EARLIEST_DAY = int(np.iinfo(np.int64).min)
_POSITION = {stage.value: position for position, stage in enumerate(STAGE_ORDER)}


def epoch_day(day: date) -> int:
    """Days from 1 January 1970 to ``day``.

    >>> epoch_day(date(1970, 1, 2)), epoch_day(date(2024, 1, 2))
    (1, 19724)
    """
    return day.toordinal() - EPOCH.toordinal()


@dataclass(frozen=True)
class StagePath:
    """People who stand at the same stage now and whose histories name the same
    stages in the same order: only their days differ.

    ``days`` holds a list a person: the epoch day of each named step. Names and
    days pair up as far as both go; a name that is no readiness stage is ignored.
    """

    stage: str | None
    stage_names: Sequence[str]
    days: Sequence[Sequence[int]]


@dataclass(frozen=True)
class Pipeline:
    """The first day each person reached each stage: a row a stage in pathway
    order, a column a person.

    ``days`` holds the epoch day, or a stand-in where the day is not known;
    ``reached`` says whether the stage was reached at all, on a known day or not.

    >>> p = Pipeline.from_paths([StagePath("placement", ["engaged", "language_training",
    ...                                                  "engaged"], [[19723, 19783, 19700]])])
    >>> p.reached[:, 0].tolist(), p.dated[:, 0].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ([True, True, False, True, False, False], [True, True, False, False, False, False])
    >>> int(p.days[0, 0])
    19700
    """

    days: Days
    reached: Flags

    @classmethod
    def from_paths(cls, paths: Sequence[StagePath]) -> Pipeline:
        """Everyone on ``paths``, in order, a path's people side by side."""
        people_per_path = np.fromiter((len(path.days) for path in paths), np.int64, len(paths))
        person, stage, day = _named_steps(paths, people_per_path)
        days = np.full((len(STAGE_ORDER), int(people_per_path.sum())), _UNKNOWN_DAY, np.int64)
        np.minimum.at(days, (stage, person), day)
        reached = days != _UNKNOWN_DAY
        current = np.repeat(
            np.fromiter((_POSITION.get(path.stage or "", -1) for path in paths), np.int64),
            people_per_path,
        )
        standing = np.flatnonzero(current >= 0)
        reached[current[standing], standing] = True
        return cls(days=days, reached=reached)

    @property
    def dated(self) -> Flags:
        known: Flags = self.days != _UNKNOWN_DAY
        return known

    def people(self, start: int, stop: int) -> Pipeline:
        """The people from column ``start`` up to (not including) column ``stop``."""
        return Pipeline(days=self.days[:, start:stop], reached=self.reached[:, start:stop])


def pipeline_figures(
    pipeline: Pipeline, start: date | None = None, end: date | None = None
) -> list[StageFigures]:
    """Figures for every stage, in pathway order, over the people of ``pipeline``
    for the period ``start`` to ``end`` (both inclusive; either may be open).

    With a period, only dated steps count: a stage reached on an unknown day cannot
    be placed in it.
    """
    first = _EARLIEST_DAY if start is None else epoch_day(start)
    last = _UNKNOWN_DAY if end is None else epoch_day(end)
    days, reached, dated = pipeline.days, pipeline.reached, pipeline.dated
    undated = reached & ~dated
    figures = []
    for position, stage in enumerate(STAGE_ORDER):
        day, on_known_day = days[position], dated[position]
        if start is None and end is None:
            counted = reached[position]
        else:
            counted = on_known_day & (day >= first) & (day <= last)
        later = days[position + 1 :]
        # Further stages reached on a known day by the end of the period and, when
        # this stage's day is known, not before it.
        onward = dated[position + 1 :] & (later <= last) & ((later >= day) | ~on_known_day)
        moved_on = onward.any(axis=0)
        if end is None:
            # An undated further stage still shows they moved on, unless the period
            # ends somewhere we cannot place it.
            moved_on |= undated[position + 1 :].any(axis=0)
        next_day = np.where(onward, later, _UNKNOWN_DAY).min(axis=0, initial=_UNKNOWN_DAY)
        timed = counted & on_known_day & (next_day != _UNKNOWN_DAY)
        gaps = np.sort(next_day[timed] - day[timed])
        figures.append(
            StageFigures(
                stage=stage,
                reached=int(counted.sum()),
                moved_on=int((counted & moved_on).sum()),
                timed=len(gaps),
                median_days=_median(gaps),
            )
        )
    return figures


def stage_figures(
    people: Iterable[FunnelPerson], start: date | None = None, end: date | None = None
) -> list[StageFigures]:
    """``pipeline_figures`` for people given one by one.

    >>> from datetime import date
    >>> a = FunnelPerson(history=[("engaged", date(2024, 1, 1)),
    ...                           ("language_training", date(2024, 1, 11))])
    >>> b = FunnelPerson(history=[("engaged", date(2024, 2, 1))])
    >>> engaged = stage_figures([a, b])[0]
    >>> engaged.reached, engaged.moved_on, engaged.median_days
    (2, 1, 10.0)
    """
    paths = [
        StagePath(
            stage=person.stage,
            stage_names=[stage.value for stage, _ in person.history],
            days=[[epoch_day(when) for _, when in person.history]],
        )
        for person in people
    ]
    return pipeline_figures(Pipeline.from_paths(paths), start, end)


def _named_steps(paths: Sequence[StagePath], people_per_path: Days) -> tuple[Days, Days, Days]:
    """The person, stage and day of every step whose name is a stage."""
    histories = [days for path in paths for days in path.days]
    steps_per_person = np.fromiter(map(len, histories), np.int64, len(histories))
    day = np.fromiter(chain.from_iterable(histories), np.int64, int(steps_per_person.sum()))
    person = np.repeat(np.arange(len(histories)), steps_per_person)
    first_step = np.cumsum(steps_per_person) - steps_per_person
    place_in_history = np.arange(day.size) - np.repeat(first_step, steps_per_person)
    # The stage each name of a path stands for (-1: none), a row a path, with a
    # spare last column of -1 for days a history holds beyond its names.
    width = max((len(path.stage_names) for path in paths), default=0)
    stage_of_name = np.full((len(paths), width + 1), -1, np.int64)
    for row, path in enumerate(paths):
        names = path.stage_names
        stage_of_name[row, : len(names)] = [_POSITION.get(name, -1) for name in names]
    path_of_person = np.repeat(np.arange(len(paths)), people_per_path)
    stage = stage_of_name[path_of_person[person], np.minimum(place_in_history, width)]
    named = stage >= 0
    return person[named], stage[named], day[named]


def _median(ordered: Days) -> float | None:
    # As statistics.median does it, on whole numbers: the middle day, or the exact
    # mean of the two middle ones.
    if not len(ordered):
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (int(ordered[middle - 1]) + int(ordered[middle])) / 2
