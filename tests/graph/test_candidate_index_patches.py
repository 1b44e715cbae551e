"""A patched candidate index ranks as one built afresh from the same facts: the
occupations people trained for, kept as codes, follow a patch (one new to the index
among them)."""

from __future__ import annotations

import dataclasses

from graph.algorithms.candidate_index import CandidateIndex, IndexedPerson
from graph.algorithms.matching import MatchWeights
from graph.models.matching import VacancyRequirements

NURSE, MIDWIFE, NEW = "occ-nurse", "occ-midwife", "occ-new-to-the-index"


def _person(ident: str, trained_as: str | None) -> IndexedPerson:
    return IndexedPerson(id=ident, stage="engaged", right_to_work=True, ielts_overall=7.0,
                         languages=[], trained_as=trained_as, held=[], recognitions=[],
                         homes=[], places=["home"])  # fmt: skip


def _rankings(index: CandidateIndex) -> dict[str, object]:
    found: dict[str, object] = {}
    for occupation in (NURSE, MIDWIFE, NEW):
        vacancy = VacancyRequirements(id=f"v-{occupation}", title="post", occupation_id=occupation)
        found[occupation] = (
            index.rank(vacancy, MatchWeights(), 10),
            index.gap_candidates([vacancy], [vacancy], 1),
        )
    return found


def test_a_patch_moves_people_between_the_occupations_they_trained_for() -> None:
    before = [_person("a", NURSE), _person("b", MIDWIFE), _person("c", None)]
    index = CandidateIndex(before, {}, {})
    upserts = [
        dataclasses.replace(before[0], trained_as=None),
        dataclasses.replace(before[2], trained_as=NEW),
        _person("d", NURSE),
    ]
    patched = index.patched(upserts, removed=["b"])
    afresh = CandidateIndex([upserts[0], upserts[1], upserts[2]], {}, {})
    assert _rankings(patched) == _rankings(afresh)
    ranked = _rankings(patched)
    assert [person for _, person in ranked[NEW][0]] == ["c"]  # type: ignore[index]
    assert [person for _, person in ranked[NURSE][0]] == ["d"]  # type: ignore[index]
    assert ranked[MIDWIFE] == ([], [])
    # The index patched from is left as it was.
    assert [person for _, person in _rankings(index)[NURSE][0]] == ["a"]  # type: ignore[index]
