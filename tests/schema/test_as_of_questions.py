"""Every question that reads the network, asked ``asOf`` a day, answers as the same
question asked of a graph rebuilt from only the ties alive that day (issue 15's asOf
proof, through GraphQL): random histories of every tie type the edge lists carry
(tests/graph/test_tie_history.py's, which proves it of the network reads beneath), and
random arguments and selections of everything each question returns."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.graph.test_tie_history import (
    ANCHOR_FACTS,
    START,
    TIES,
    Period,
    _held,
    _load_edges,
    _reset,
    _row,
    periods,
)
from tests.schema.documents import (
    Document,
    draw_document,
    execute_as,
    unordered,
    walk_settings,
)
from tests.schema.place import ADMIN

pytestmark = pytest.mark.walks

# Each question with the arguments that make it read the little network of
# test_tie_history (the trust, its hub, organisations A, B and C, people p1 to p3);
# every other argument is drawn.
QUESTIONS: dict[str, dict[str, Any]] = {
    "partnershipNetwork": {"anchorId": "AnchorInstitution:trust"},
    "anchorFootprint": {"anchorId": "AnchorInstitution:trust"},
    "referralPaths": {
        "from": "Person:p3",
        "to": "AnchorInstitution:trust",
        "k": 3,
        "maxHops": 6,
    },  # fmt: skip
    "brokerageGaps": {"anchorId": "AnchorInstitution:trust", "maxHops": 6},
    "centrality": {"first": 20},
    "brokerageRoles": {"first": 20},
    "organisations": {"first": 10},
}
IDS = ["AnchorInstitution:trust", "Department:hub", "Person:p1", "Person:p2", "Person:p3",
       *(f"CommunityOrganisation:{o}" for o in "ABC")]  # fmt: skip


def _on(document: Document, day: date | None) -> Document:
    """``document`` asked as of ``day`` (None: today)."""
    (variable,) = re.findall(r"asOf: \$(v\d+)", document.text)
    return Document(document.text, {**document.variables,
                                    variable: None if day is None else day.isoformat()})  # fmt: skip


@walk_settings(8)
@given(
    history=st.lists(periods(), min_size=len(TIES), max_size=len(TIES)),
    days=st.lists(st.integers(-1, 7), min_size=1, max_size=2, unique=True),
    data=st.data(),
)
def test_every_network_question_as_of_a_day_is_the_question_on_that_days_ties(
    history: list[list[Period]],
    days: list[int],
    data: st.DataObject,
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db = neo4j_settings.database
    folder: Path = tmp_path_factory.mktemp("history")
    documents = {
        name: draw_document(data.draw, "query", name, IDS, {**fixed, "asOf": None})
        for name, fixed in QUESTIONS.items()
    }
    _reset(driver, db)
    driver.execute_query(ANCHOR_FACTS, database_=db)
    for round_ in range(max(len(p) for p in history)):
        rows = [_row(tie, ps[round_], "0.5") for tie, ps in zip(TIES, history, strict=True)
                if round_ < len(ps)]  # fmt: skip
        if rows:
            _load_edges(driver, db, folder / f"round-{round_}.csv", rows)
    asked = {
        (day, name): unordered(execute_as(driver, neo4j_settings, ADMIN,
                                           _on(document, START + timedelta(days=day))))
        for day in days
        for name, document in documents.items()
    }  # fmt: skip

    for day in days:
        on = START + timedelta(days=day)
        _reset(driver, db)
        driver.execute_query(ANCHOR_FACTS, database_=db)
        alive = [_row(tie, (period[0], None), "0.5")
                 for tie, ps in zip(TIES, history, strict=True) for period in ps
                 if _held(period, on)]  # fmt: skip
        if alive:
            _load_edges(driver, db, folder / f"alive-{day}.csv", alive)
        for name, document in documents.items():
            today = unordered(execute_as(driver, neo4j_settings, ADMIN, _on(document, None)))
            assert asked[day, name] == today, (name, on, document.text, document.variables)
