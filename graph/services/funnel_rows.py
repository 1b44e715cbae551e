"""An anchor's funnel kept person by person, and patched as the journal says.

Counting an anchor's pipeline reads most of the place (about 1.5 s at 100,000
people), and nearly every write of a working day concerns a few people by id: a stage
move, consent given or withdrawn, a loader batch of people, an application or a
placement. A :class:`FollowedFunnels` keeps, for the newest ``size`` (anchor, grouping)
pairs asked, each person's row of the pipeline (their group, stage, stage names and
days; no personal data) with the journal position the rows reflect. When asked again
it catches up from that position in one read: if every change since concerns only
people by id, it rereads those people's rows (one indexed read) and works the figures
out again from the kept rows; anything else the funnel reads (vacancies, areas, the
taxonomy, a ``whole`` change, a catch-up that cannot account for every commit) reads
the pipeline whole. Either way the answer is the one a fresh computation gives.

The rows do not depend on the period asked, so every period of one pair shares them.
Memory: a person's row is their id, an interned path and an array of days, about 250
bytes; at 100,000 people in an anchor's pipeline a pair holds about 25 MB.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

from neo4j import Driver

from graph.algorithms.funnel import EPOCH, StagePath
from graph.cypher import place_view as q
from graph.errors import NotFoundError
from graph.models.funnel import Funnel, FunnelGroupBy
from graph.services.history import as_of_day
from graph.services.journal import (
    CatchUp,
    JournalPosition,
    catch_up,
    journal_position,
    reached,
)
from graph.services.kept_answers import KNOWN_KINDS, READS, Question
from graph.services.place_view import (
    GroupPath,
    as_it_stood,
    check_period,
    funnel_of_paths,
)
from graph.services.reads import read_values
from graph.vocabulary import Label, RelType

__all__ = ["FUNNELS_KEPT", "PERSON_SIDE", "FollowedFunnels", "people_changed"]

# (anchor, grouping) pairs kept per process: an anchor's page asks one or two.
FUNNELS_KEPT = 4

# Kinds whose writes change nothing the funnel reads but the rows of the people they
# name: the person's own facts and stage, their consent, and the ties that start at
# them (an application or a placement adds a person to a pipeline without changing
# the vacancy). Vacancies, occupations, areas and the taxonomy change other people's
# rows or the pipeline itself.
PERSON_SIDE: frozenset[str] = frozenset(
    {
        Label.PERSON, Label.PERSONAL_RECORD, "StageChange", "ConsentEvent",
        RelType.APPLIED_TO, RelType.PLACED_IN, RelType.LIVES_IN, RelType.HAS_SKILL,
        RelType.HOLDS, RelType.KNOWS, RelType.MENTORED_BY, RelType.SUPPORTED_BY,
    }
)  # fmt: skip
# An edge batch journals the labels of the ends of its links (graph.services.ingest
# write_edges) but writes no node: its relationship types say what it changed.
EDGES = "edges"
_LABELS: frozenset[str] = frozenset(Label)
_PERSON = f"{Label.PERSON}:"
# Distinct pairs compute side by side; one pair's catch-up waits for the last.
_STRIPES = 8

# A path: group id, group name, current stage, the stage names of a history and the
# places of its people.
PathKey = tuple[str | None, str | None, str | None, tuple[str, ...], tuple[str, ...]]
Key = tuple[str, FunnelGroupBy | None]


@dataclass
class _Rows:
    """One pair's pipeline in every place: each person's path and days, and the
    anchor's places, as of ``position``."""

    position: JournalPosition
    anchor_places: tuple[str, ...]
    people: dict[str, tuple[PathKey, array[int]]]
    paths: dict[PathKey, PathKey]

    def put(self, key: PathKey, person_id: str, days: Iterable[int]) -> None:
        # One tuple a path, shared by its people.
        path = self.paths.setdefault(key, key)
        self.people[person_id] = (path, array("q", days))

    def grouped(self, places: Sequence[str] | None) -> list[GroupPath] | None:
        """The paths of the people in ``places`` (None: every place), or None when the
        anchor lies outside them."""
        if not _in_places(self.anchor_places, places):
            return None
        days: dict[PathKey, list[array[int]]] = defaultdict(list)
        for path, person_days in self.people.values():
            days[path].append(person_days)
        # The rows are shared by every caller: each is given only its places' people,
        # as the query reading with $places would give them.
        return [
            GroupPath(group_id, group_name, StagePath(stage, names, found))
            for (group_id, group_name, stage, names, person_places), found in days.items()
            if _in_places(person_places, places)
        ]


class FollowedFunnels:
    """Funnels of the newest ``size`` (anchor, grouping) pairs over one database,
    patched person by person while the journal names who changed."""

    def __init__(self, driver: Driver, database: str, *, size: int = FUNNELS_KEPT) -> None:
        if size < 1:
            raise ValueError("size: keep at least one pipeline")
        self._driver = driver
        self._database = database
        self._size = size
        self._rows: OrderedDict[Key, _Rows] = OrderedDict()
        self._lock = threading.Lock()
        self._stripes = [threading.Lock() for _ in range(_STRIPES)]
        self.patches = 0
        self.wholes = 0

    @property
    def position(self) -> JournalPosition | None:
        """The oldest journal position of the kept pipelines (None: none kept); each is
        brought up to the newest commit when its funnel is next asked."""
        with self._lock:
            positions = [rows.position for rows in self._rows.values()]
        return min(positions, key=lambda position: position.seq, default=None)

    def funnel(
        self,
        anchor_id: str,
        *,
        start: date | None = None,
        end: date | None = None,
        group_by: FunnelGroupBy | None = None,
        as_of: date | None = None,
        places: Sequence[str] | None = None,
        seen: int | None = None,
    ) -> Funnel:
        """``graph.services.place_view.funnel``, from the kept rows brought up to the
        newest commit (or to ``seen``, a commit read after the question was asked:
        ``KeptAnswers.follow``)."""
        check_period(start, end)
        day = as_of_day(as_of)
        key = (anchor_id, group_by)
        with self._stripes[hash(key) % _STRIPES]:
            rows = self._followed(key, seen)
        paths = rows.grouped(places)
        if paths is None:
            raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")
        return funnel_of_paths(
            anchor_id, as_it_stood(paths, day), start=start, end=end, group_by=group_by
        )

    def _followed(self, key: Key, seen: int | None) -> _Rows:
        with self._lock:
            rows = self._rows.get(key)
        if rows is None:
            rows = self._whole(key)
        elif not reached(rows.position, seen):
            update = catch_up(self._driver, self._database, rows.position)
            ids = people_changed(update)
            if ids is None:
                rows = self._whole(key)
            else:
                if ids:
                    self._patch(key, rows, ids)
                rows.position = update.position
        with self._lock:
            self._rows[key] = rows
            self._rows.move_to_end(key)
            while len(self._rows) > self._size:
                self._rows.popitem(last=False)
        return rows

    def _whole(self, key: Key) -> _Rows:
        # The position is taken first: the rows read after it are at least as new, and
        # a change landing between the two is applied again at the next catch-up.
        position = journal_position(self._driver, self._database)
        anchor_id, _ = key
        anchor = read_values(self._driver, self._database, q.ANCHOR_PLACES,
                             anchor_id=anchor_id, places=None)  # fmt: skip
        if not anchor:
            raise NotFoundError(f"anchorId: no anchor institution with id {anchor_id!r}")
        rows = _Rows(position, tuple(anchor[0][0]), {}, {})
        found = self._read(q.FUNNEL_STAGE_PATHS, key, with_ids=True)
        for group_id, group_name, stage, names, places, days, ids in found:
            path = (group_id, group_name, stage, tuple(names), tuple(places))
            for person_id, person_days in zip(ids, days, strict=True):
                rows.put(path, person_id, person_days)
        with self._lock:
            self.wholes += 1
        return rows

    def _patch(self, key: Key, rows: _Rows, ids: set[str]) -> None:
        found = self._read(q.FUNNEL_PEOPLE_ROWS, key, ids=sorted(ids))
        for person_id in ids:
            # Out of the pipeline unless read again: moved away, or no longer there.
            rows.people.pop(person_id, None)
        for person_id, group_id, group_name, stage, names, places, days in found:
            rows.put((group_id, group_name, stage, tuple(names), tuple(places)), person_id, days)
        with self._lock:
            self.patches += 1

    def _read(self, query: LiteralString, key: Key, **params: Any) -> list[tuple[Any, ...]]:
        anchor_id, group_by = key
        # Every place: the rows are shared, and each caller is given its places' part.
        return read_values(self._driver, self._database, query, anchor_id=anchor_id,
                           epoch=EPOCH, group_by=group_by.value if group_by else None,
                           places=None, **params)  # fmt: skip


def _in_places(place_ids: Sequence[str], places: Sequence[str] | None) -> bool:
    # graph.cypher.scope.in_places, for rows read with every place.
    return places is None or any(place in places for place in place_ids)


def people_changed(update: CatchUp) -> set[str] | None:
    """The ids of the people whose rows the changes of ``update`` may have moved, or
    ``None`` when they moved more than people's rows (or the catch-up cannot tell)."""
    if not update.complete:
        return None
    ids: set[str] = set()
    for change in update.changes:
        kinds = change.kinds - _LABELS if EDGES in change.kinds else change.kinds
        if kinds - KNOWN_KINDS:
            return None
        read = kinds & READS[Question.FUNNEL]
        if not read:
            continue
        people = {key[len(_PERSON) :] for key in change.ids if key.startswith(_PERSON)}
        if read - PERSON_SIDE or not people:
            return None
        ids |= people
    return ids
