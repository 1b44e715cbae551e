"""Every consenting person's matching facts as columns, to rank a whole place for a
vacancy in milliseconds.

Ranking a staff-nurse vacancy in a 100,000-person place means scoring some 40,000
people; read from Neo4j per request that takes a second, however it is grouped.
Held here as arrays (one row a person, people in id order), a vacancy's factors
are a handful of vectorised operations. Each factor's value is computed with the
same floating-point operations, in the same order, as ``graph.algorithms.matching``
computes it for one person, so the values are identical; the weighted sum is
first taken unrounded to shortlist, then the shortlist is scored exactly as
``score`` does, so the ranking is the one the facts give.

The index knows nothing of freshness: ``graph.services.candidate_index`` decides
when one may answer.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.algorithms.matching import (
    PARTIAL_SKILL_CREDIT,
    RECOGNITION_VALUE,
    STAGE_VALUE,
    MatchWeights,
    english_band,
    factor_weights,
    needed_band,
    needs_recognition,
    rounded_total,
)
from graph.models.matching import VacancyRequirements

__all__ = ["CandidateIndex", "IndexedPerson", "build_candidate_index", "indexed_people"]

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]
Rows = npt.NDArray[np.int32]

# The unrounded sum differs from the rounded score by at most 7 * 5e-7 (each
# contribution rounded to 6 places) + 5e-5 (the total to 4): anyone whose unrounded
# sum is further than this below the cut cannot reach it.
_ROUNDING_SLACK = 2e-4
_RIGHT_TO_WORK_VALUE = {True: 1.0, None: 0.5, False: 0.0}


@dataclass(frozen=True)
class IndexedPerson:
    """One consenting person's facts, as ``CANDIDATE_INDEX_PEOPLE`` reads them."""

    id: str
    stage: str | None
    right_to_work: bool | None
    ielts_overall: float | None
    languages: list[str]
    trained_as: str | None
    held: list[str]
    recognitions: list[tuple[str, str | None]]
    homes: list[str]
    places: list[str]


@dataclass(frozen=True)
class _Factors:
    values: list[Floats]  # in factor order, one value per person
    local: Flags
    candidate: Flags


class CandidateIndex:
    """Columns of facts for ``size`` people; build with ``build_candidate_index``."""

    def __init__(
        self,
        people: Sequence[IndexedPerson],
        skill_neighbours: dict[str, list[str]],
        area_within: dict[str, list[str]],
    ) -> None:
        ordered = sorted(people, key=lambda p: p.id)
        self.ids = [p.id for p in ordered]
        self.size = len(ordered)
        self._row = {p.id: row for row, p in enumerate(ordered)}
        self._people = {p.id: p for p in ordered}
        # A row whose person left (consent withdrawn, erased) stays, switched off, until
        # the index is next read whole: patches never move rows.
        self._alive = np.ones(self.size, dtype=np.bool_)
        # Stages as codes (-1: none recorded), so that a stage filter never matches
        # someone with no stage, whatever names it is given.
        self._stage_codes: dict[str, int] = {}
        for p in ordered:
            if p.stage is not None:
                self._stage_codes.setdefault(p.stage, len(self._stage_codes))
        self._stage_code = np.array(
            [-1 if p.stage is None else self._stage_codes[p.stage] for p in ordered], dtype=np.int32
        )
        self._stage = np.array([STAGE_VALUE.get(p.stage or "", 0.0) for p in ordered])
        self._right_to_work = np.array(
            [_RIGHT_TO_WORK_VALUE.get(p.right_to_work, 0.5) for p in ordered]
        )
        bands = [english_band(p.ielts_overall, p.languages) for p in ordered]
        self._band = np.array([np.nan if b is None else b for b in bands], dtype=np.float64)
        # Occupations trained for as codes (-1: none), as stages are: testing a column of
        # 100,000 strings for membership sorted them on every ranking.
        self._occupation_codes: dict[str, int] = {}
        for p in ordered:
            if p.trained_as:
                self._occupation_codes.setdefault(p.trained_as, len(self._occupation_codes))
        self._trained_code = np.array(
            [self._occupation_codes[p.trained_as] if p.trained_as else -1 for p in ordered],
            dtype=np.int32,
        )
        self._holders = _rows_by_key((row, s) for row, p in enumerate(ordered) for s in p.held)
        self._residents = _rows_by_key((row, a) for row, p in enumerate(ordered) for a in p.homes)
        self._members = _rows_by_key((row, m) for row, p in enumerate(ordered) for m in p.places)
        best: dict[str, dict[int, float]] = {}
        for row, p in enumerate(ordered):
            for occupation, value in _best_recognitions(p).items():
                best.setdefault(occupation, {})[row] = value
        self._recognition = {
            occupation: (np.fromiter(rows, np.int32), np.fromiter(rows.values(), np.float64))
            for occupation, rows in best.items()
        }
        self._neighbours = skill_neighbours
        self._within = area_within

    @property
    def people(self) -> int:
        """How many people the index ranks."""
        return int(self._alive.sum())

    # -- following changes ------------------------------------------------------------

    def patched(
        self, upserts: Sequence[IndexedPerson], removed: Iterable[str] = ()
    ) -> CandidateIndex:
        """A new index with ``upserts`` (people whose facts were read again) in place of
        their old rows or added, and ``removed`` (people no longer to be ranked: consent
        withdrawn, erased) switched off. This index is left as it was, so a question
        being answered from it meanwhile sees one consistent set of facts."""
        fresh = {p.id: p for p in upserts}
        gone = set(removed) - fresh.keys()
        patched = copy.copy(self)
        ids, row_of, people = list(self.ids), dict(self._row), dict(self._people)
        for ident in sorted(i for i in fresh if i not in row_of):
            row_of[ident] = len(ids)
            ids.append(ident)
        grow = len(ids) - self.size

        def grown(column: npt.NDArray[Any], fill: Any) -> npt.NDArray[Any]:
            extra = np.full(grow, fill, dtype=column.dtype)
            return np.concatenate([column, extra]) if grow else column.copy()

        alive, stage_code = grown(self._alive, False), grown(self._stage_code, -1)
        stage, right_to_work = grown(self._stage, 0.0), grown(self._right_to_work, 0.5)
        band, trained_code = grown(self._band, np.nan), grown(self._trained_code, -1)
        stage_codes, occupation_codes = dict(self._stage_codes), dict(self._occupation_codes)
        drops: dict[str, dict[str, list[int]]] = {"held": {}, "homes": {}, "places": {}}
        adds: dict[str, dict[str, list[int]]] = {"held": {}, "homes": {}, "places": {}}
        touched_rows: list[int] = []
        touched_occupations: set[str] = set()
        for ident in gone | fresh.keys():
            row = row_of.get(ident)
            old = people.pop(ident, None)
            if row is None:
                continue
            touched_rows.append(row)
            alive[row], stage_code[row], stage[row] = False, -1, 0.0
            right_to_work[row], band[row], trained_code[row] = 0.5, np.nan, -1
            if old is not None:
                for skill in old.held:
                    drops["held"].setdefault(skill, []).append(row)
                for area in old.homes:
                    drops["homes"].setdefault(area, []).append(row)
                for place in old.places:
                    drops["places"].setdefault(place, []).append(row)
                touched_occupations.update(o for o, _ in old.recognitions)
        for person in fresh.values():
            row = row_of[person.id]
            people[person.id] = person
            alive[row] = True
            if person.stage is not None:
                stage_codes.setdefault(person.stage, len(stage_codes))
                stage_code[row] = stage_codes[person.stage]
            stage[row] = STAGE_VALUE.get(person.stage or "", 0.0)
            right_to_work[row] = _RIGHT_TO_WORK_VALUE.get(person.right_to_work, 0.5)
            level = english_band(person.ielts_overall, person.languages)
            band[row] = np.nan if level is None else level
            if person.trained_as:
                occupation_codes.setdefault(person.trained_as, len(occupation_codes))
                trained_code[row] = occupation_codes[person.trained_as]
            for skill in person.held:
                adds["held"].setdefault(skill, []).append(row)
            for area in person.homes:
                adds["homes"].setdefault(area, []).append(row)
            for place in person.places:
                adds["places"].setdefault(place, []).append(row)
            touched_occupations.update(o for o, _ in person.recognitions)
        patched.ids, patched.size, patched._row, patched._people = ids, len(ids), row_of, people
        patched._alive, patched._stage_code, patched._stage = alive, stage_code, stage
        patched._right_to_work, patched._band = right_to_work, band
        patched._trained_code, patched._occupation_codes = trained_code, occupation_codes
        patched._stage_codes = stage_codes
        patched._holders = _moved(self._holders, drops["held"], adds["held"])
        patched._residents = _moved(self._residents, drops["homes"], adds["homes"])
        patched._members = _moved(self._members, drops["places"], adds["places"])
        patched._recognition = self._recognition_patched(
            touched_occupations, np.array(sorted(touched_rows), dtype=np.int32), fresh, row_of
        )
        return patched

    def with_taxonomy(self, skill_neighbours: dict[str, list[str]]) -> CandidateIndex:
        """This index with the skill taxonomy's BROADER neighbours read again."""
        patched = copy.copy(self)
        patched._neighbours = skill_neighbours
        return patched

    def with_areas(self, area_within: dict[str, list[str]]) -> CandidateIndex:
        """This index with the areas each area lies within read again."""
        patched = copy.copy(self)
        patched._within = area_within
        return patched

    def _recognition_patched(
        self,
        occupations: set[str],
        touched: Rows,
        fresh: dict[str, IndexedPerson],
        row_of: dict[str, int],
    ) -> dict[str, tuple[Rows, Floats]]:
        recognition = dict(self._recognition)
        for occupation in occupations:
            rows, best = recognition.get(
                occupation, (np.zeros(0, np.int32), np.zeros(0, np.float64))
            )
            keep = ~np.isin(rows, touched)
            merged = dict(zip(rows[keep].tolist(), best[keep].tolist(), strict=True))
            for person in fresh.values():
                value = _best_recognitions(person).get(occupation)
                if value is not None:
                    merged[row_of[person.id]] = value
            if merged:
                recognition[occupation] = (
                    np.fromiter(merged, np.int32),
                    np.fromiter(merged.values(), np.float64),
                )
            else:
                recognition.pop(occupation, None)
        return recognition

    # -- ranking -------------------------------------------------------------------

    def rank(
        self,
        vacancy: VacancyRequirements,
        weights: MatchWeights,
        first: int,
        *,
        stages: Sequence[str] | None = None,
        right_to_work_only: bool = False,
        local_only: bool = False,
        min_score: float | None = None,
        places: Collection[str] | None = None,
    ) -> list[tuple[float, str]]:
        """The ``first`` best (score, person id) for the vacancy among the people of
        ``places`` (None: everyone), best first, ties by id: what ranking every such
        candidate's facts with ``score`` gives."""
        factors = self._factors(vacancy)
        keep = factors.candidate & self._alive & self._in_places(places)
        if stages is not None:
            keep &= np.isin(self._stage_code, [self._stage_codes.get(s, -2) for s in stages])
        if right_to_work_only:
            keep &= self._right_to_work == 1.0
        if local_only:
            keep &= factors.local
        rows = np.flatnonzero(keep)
        if rows.size == 0:
            return []
        column_weights = factor_weights(weights)
        rough = sum(w * v[rows] for w, v in zip(column_weights, factors.values, strict=True))
        cut = -np.inf if min_score is None else min_score - _ROUNDING_SLACK
        if rows.size > first:
            cut = max(cut, float(np.partition(rough, -first)[-first]) - _ROUNDING_SLACK)
        shortlist = rows[rough >= cut]
        scored = []
        for row in shortlist.tolist():
            value = rounded_total(
                [(w, float(v[row])) for w, v in zip(column_weights, factors.values, strict=True)]
            )
            if min_score is None or value >= min_score:
                scored.append((-value, self.ids[row]))
        scored.sort()
        return [(-negative, person) for negative, person in scored[:first]]

    def gap_candidates(
        self,
        vacancies: Sequence[VacancyRequirements],
        profiles: Sequence[VacancyRequirements],
        max_open_gaps: int,
        places: Collection[str] | None = None,
    ) -> list[str]:
        """Everyone of ``places`` (None: everyone) trained for, or holding (or one
        BROADER step from) an essential skill of, one of ``vacancies``, and at most
        ``max_open_gaps`` gaps away from one of ``profiles``: ``open_gap_count`` for
        every candidate and profile."""
        essential = sorted({s.id for v in vacancies for s in v.essential})
        occupations = {v.occupation_id for v in vacancies if v.occupation_id}
        candidate = self._trained_for(occupations)
        for skill in essential:
            candidate |= self._held(skill) | self._related(skill)
        near = np.zeros(self.size, dtype=np.bool_)
        for vacancy in profiles:
            near |= self._open_gaps(vacancy) <= max_open_gaps
        chosen = candidate & near & self._alive & self._in_places(places)
        return sorted(self.ids[row] for row in np.flatnonzero(chosen))

    # -- the factors, as graph.algorithms.matching computes them ----------------------

    def _factors(self, vacancy: VacancyRequirements) -> _Factors:
        essential = [s.id for s in vacancy.essential]
        optional = [s.id for s in vacancy.optional]
        local = self._lives_in(vacancy.places)
        values = [
            self._coverage(essential),
            self._coverage(optional),
            self._qualification(vacancy),
            self._language(vacancy),
            self._right_to_work,
            self._stage,
            local.astype(np.float64),
        ]
        candidate = self._trained_for({vacancy.occupation_id} if vacancy.occupation_id else set())
        for skill in {*essential, *optional}:
            candidate |= self._held(skill) | self._related(skill)
        return _Factors(values=values, local=local, candidate=candidate)

    def _coverage(self, required: list[str]) -> Floats:
        if not required:
            return np.ones(self.size)
        direct = np.zeros(self.size, dtype=np.int64)
        partial = np.zeros(self.size, dtype=np.int64)
        for skill in required:
            held = self._held(skill)
            direct += held
            partial += ~held & self._related(skill)
        # (held + credit * related) / required: the same operations as _skill_coverage.
        return (direct + PARTIAL_SKILL_CREDIT * partial) / len(required)

    def _qualification(self, vacancy: VacancyRequirements) -> Floats:
        if not needs_recognition(vacancy):
            return np.ones(self.size)
        value = np.zeros(self.size)
        if vacancy.occupation_id in self._recognition:
            rows, best = self._recognition[vacancy.occupation_id]
            value[rows] = best
        return value

    def _language(self, vacancy: VacancyRequirements) -> Floats:
        needed = needed_band(vacancy)
        if needed is None:
            return np.ones(self.size)
        # No band recorded counts 0; else min(1, have / needed), as _language.
        return np.where(np.isnan(self._band), 0.0, np.minimum(1.0, self._band / needed))

    def _open_gaps(self, vacancy: VacancyRequirements) -> npt.NDArray[np.int64]:
        gaps = np.zeros(self.size, dtype=np.int64)
        for skill in (s.id for s in vacancy.essential):
            gaps += ~(self._held(skill) | self._related(skill))
        needed = needed_band(vacancy)
        if needed is not None:
            gaps += np.isnan(self._band) | (self._band < needed)
        gaps += self._qualification(vacancy) < 1.0
        gaps += self._right_to_work != 1.0
        return gaps

    def _held(self, skill: str) -> Flags:
        return self._flags(self._holders.get(skill))

    def _related(self, skill: str) -> Flags:
        """Holds a skill one BROADER step from ``skill``, either way."""
        flags = np.zeros(self.size, dtype=np.bool_)
        for neighbour in self._neighbours.get(skill, ()):
            rows = self._holders.get(neighbour)
            if rows is not None:
                flags[rows] = True
        return flags

    def _trained_for(self, occupations: set[str]) -> Flags:
        if not occupations:
            return np.zeros(self.size, dtype=np.bool_)
        codes = [self._occupation_codes[o] for o in occupations if o in self._occupation_codes]
        return np.isin(self._trained_code, codes)

    def _lives_in(self, places: Iterable[str]) -> Flags:
        """Lives in an area that lies within (or is) one of ``places``."""
        wanted = set(places)
        flags = np.zeros(self.size, dtype=np.bool_)
        for area, rows in self._residents.items():
            if wanted.intersection(self._within.get(area, (area,))):
                flags[rows] = True
        return flags

    def _in_places(self, places: Collection[str] | None) -> Flags:
        """In one of ``places``; None stands for every place, and then a person in no
        place counts too (``graph.cypher.scope.in_places``)."""
        if places is None:
            return np.ones(self.size, dtype=np.bool_)
        flags = np.zeros(self.size, dtype=np.bool_)
        for place in places:
            rows = self._members.get(place)
            if rows is not None:
                flags[rows] = True
        return flags

    def _flags(self, rows: Rows | None) -> Flags:
        flags = np.zeros(self.size, dtype=np.bool_)
        if rows is not None:
            flags[rows] = True
        return flags


def indexed_people(rows: Iterable[Sequence[Any]]) -> list[IndexedPerson]:
    """People from rows of ``CANDIDATE_INDEX_PEOPLE`` (or its by-id form)."""
    return [
        IndexedPerson(
            id=str(row[0]),
            stage=row[1],
            right_to_work=row[2],
            ielts_overall=None if row[3] is None else float(row[3]),
            languages=list(row[4] or []),
            trained_as=row[5],
            held=list(row[6] or []),
            recognitions=[(str(o), s) for o, s in row[7] or []],
            homes=list(row[8] or []),
            places=list(row[9] or []),
        )  # fmt: skip
        for row in rows
    ]


def build_candidate_index(
    people: Iterable[Sequence[Any]],
    skill_neighbours: Iterable[Sequence[Any]],
    area_within: Iterable[Sequence[Any]],
) -> CandidateIndex:
    """The index from the rows of ``graph.cypher.candidate_index``'s three reads."""
    return CandidateIndex(
        indexed_people(people),
        {str(skill): [str(n) for n in near] for skill, near in skill_neighbours},
        {str(area): [str(a) for a in within] for area, within in area_within},
    )


def _best_recognitions(person: IndexedPerson) -> dict[str, float]:
    """Per occupation, the best value of the person's recognitions for it."""
    best: dict[str, float] = {}
    for occupation, status in person.recognitions:
        value = RECOGNITION_VALUE.get(status or "", 0.0)
        best[occupation] = max(value, best.get(occupation, 0.0))
    return best


def _moved(
    rows_by_key: dict[str, Rows], drops: dict[str, list[int]], adds: dict[str, list[int]]
) -> dict[str, Rows]:
    """``rows_by_key`` with each key's ``drops`` taken out and ``adds`` put in."""
    moved = dict(rows_by_key)
    for key in drops.keys() | adds.keys():
        rows = moved.get(key, np.zeros(0, np.int32))
        rows = np.setdiff1d(rows, np.array(drops.get(key, []), np.int32))
        rows = np.union1d(rows, np.array(adds.get(key, []), np.int32)).astype(np.int32)
        if rows.size:
            moved[key] = rows
        else:
            moved.pop(key, None)
    return moved


def _rows_by_key(pairs: Iterable[tuple[int, str]]) -> dict[str, Rows]:
    grouped: dict[str, list[int]] = {}
    for row, key in pairs:
        grouped.setdefault(key, []).append(row)
    return {key: np.unique(np.array(rows, dtype=np.int32)) for key, rows in grouped.items()}
