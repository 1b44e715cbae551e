"""The derived state is frozen out of the collector's full passes after each whole read."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from neo4j import Driver

from api.long_lived import LongLivedFreezer
from graph.services.candidate_index import CandidateIndexHolder
from graph.settings import Neo4jSettings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freezes_once_per_whole_read(
    clean_db: Driver, neo4j_settings: Neo4jSettings, unfrozen: None
) -> None:
    index = CandidateIndexHolder(clean_db, neo4j_settings.database)
    freezer = LongLivedFreezer(index, None)
    freezer()
    assert (freezer.freezes, gc.get_freeze_count()) == (0, 0), "nothing read whole yet"
    assert index.refresh()
    freezer()
    assert freezer.freezes == 1
    assert gc.get_freeze_count() > 0
    held = gc.get_freeze_count()
    freezer()
    assert freezer.freezes == 1, "no whole read since: nothing to do"
    gc.unfreeze()
    assert index.refresh()
    freezer()
    assert freezer.freezes == 2
    assert gc.get_freeze_count() >= held // 2


def test_frees_garbage_before_freezing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, unfrozen: None
) -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    gc.disable()
    try:
        Cycle()  # garbage only a collection can free
        index = CandidateIndexHolder(clean_db, neo4j_settings.database)
        assert index.refresh()
        LongLivedFreezer(index, None)()
        gc.unfreeze()
        assert not any(isinstance(o, Cycle) for o in gc.get_objects()), "it was frozen, not freed"
    finally:
        gc.enable()
