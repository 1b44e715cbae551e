"""``asOf`` on referralPaths, brokerageGaps, centrality and brokerageRoles (issue 15,
history): a tie ended by an edge file is gone from today's answer and there in the
answer of the day before, through GraphQL; a day after today is refused naming
``asOf``; a kept answer is the answer of the day asked.

The place is tests/graph/test_brokerage.py's; Refugee Welcome (A) stopped referring to
the hub on 1 January 2024.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings, get_place_settings
from tests.graph.test_brokerage import PLACE
from tests.graph.test_tie_history import EDGE_HEADER
from tests.loaders.helpers import load_file, write_csv
from tests.schema.place import into_default_place, run

BEFORE = "2023-12-31"
PATHS = """query ($asOf: Date) {
  referralPaths(from: "Person:p1", to: "AnchorInstitution:trust", asOf: $asOf) {
    nodes { id } } }"""
GAPS = """query ($asOf: Date) { brokerageGaps(anchorId: "AnchorInstitution:trust", asOf: $asOf) {
  linked unlinked } }"""
CENTRALITY = """query ($asOf: Date) {
  centrality(measure: DEGREE, first: 50, asOf: $asOf) { node score } }"""
ROLES = """query ($asOf: Date) { brokerageRoles(first: 50, asOf: $asOf) { node total } }"""

ANALYST = Caller(subject="t-analyst", role=Role.ANALYST)


@pytest.fixture
def ended(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    db = neo4j_settings.database
    clean_db.execute_query(PLACE, database_=db)
    into_default_place(clean_db, db)
    rows: list[list[object]] = [
        ["REFERS_TO", "A", "hub", "organisation", "department", "", "", "2024-01-01"]
    ]
    report = load_file(clean_db, db, "edges", write_csv(tmp_path / "ended.csv", EDGE_HEADER, rows))
    assert report.rows_rejected == 0
    return clean_db


def _ask(
    driver: Driver,
    settings: Neo4jSettings,
    query: str,
    as_of: str | None,
    kept: KeptAnswers | None = None,
) -> Any:
    caller = Caller(subject="t-analyst", role=Role.ANALYST,
                    places=frozenset({get_place_settings().default_place_id}))  # fmt: skip
    body = run(driver, settings, query, {"asOf": as_of}, caller=caller, kept_answers=kept)
    assert "errors" not in body, body
    return body["data"]


def test_paths_and_brokerage_gaps_of_the_day_before_hold_the_ended_tie(
    ended: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def paths(as_of: str | None) -> list[list[str]]:
        found = _ask(ended, neo4j_settings, PATHS, as_of)["referralPaths"]
        return [[node["id"] for node in path["nodes"]] for path in found]

    assert paths(None) == []
    assert paths(BEFORE) == [
        ["Person:p1", "CommunityOrganisation:A", "Department:hub", "AnchorInstitution:trust"]
    ]
    gaps = {day: _ask(ended, neo4j_settings, GAPS, day)["brokerageGaps"] for day in (None, BEFORE)}
    assert gaps == {None: {"linked": 1, "unlinked": 6}, BEFORE: {"linked": 5, "unlinked": 2}}


def test_network_rankings_of_the_day_before_hold_the_ended_tie(
    ended: Driver, neo4j_settings: Neo4jSettings
) -> None:
    def degree(as_of: str | None) -> float:
        rows = _ask(ended, neo4j_settings, CENTRALITY, as_of)["centrality"]
        return float(next(row["score"] for row in rows if row["node"] == "CommunityOrganisation:A"))

    def roles(as_of: str | None) -> dict[str, int]:
        rows = _ask(ended, neo4j_settings, ROLES, as_of)["brokerageRoles"]
        return {row["node"]: row["total"] for row in rows}

    # 14 nodes (p9 has not consented): A's ties are p1, p7, p8 and B, and the hub before.
    assert degree(None) == pytest.approx(4 / 13)
    assert degree(BEFORE) == pytest.approx(5 / 13)
    # p1, p7, p8 and B passed on to the hub through A; today A passes nothing on.
    assert "CommunityOrganisation:A" not in roles(None)
    assert roles(BEFORE)["CommunityOrganisation:A"] == 4


@pytest.mark.parametrize("query", [PATHS, GAPS, CENTRALITY, ROLES])
def test_a_day_after_today_is_refused_naming_asof(
    ended: Driver, neo4j_settings: Neo4jSettings, query: str
) -> None:
    body = run(ended, neo4j_settings, query, {"asOf": "2999-01-01"}, caller=ANALYST)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("asOf: 2999-01-01 is after today"), error
    assert body["data"] is None


@pytest.mark.parametrize("query", [GAPS, CENTRALITY, ROLES])
def test_a_kept_answer_is_the_answer_of_the_day_asked(
    ended: Driver, neo4j_settings: Neo4jSettings, query: str
) -> None:
    kept = KeptAnswers(ended, neo4j_settings.database)
    today = _ask(ended, neo4j_settings, query, None, kept)
    before = _ask(ended, neo4j_settings, query, BEFORE, kept)
    assert before != today
    assert before == _ask(ended, neo4j_settings, query, BEFORE)
    assert _ask(ended, neo4j_settings, query, BEFORE, kept) == before
    assert (kept.hits, kept.misses) == (1, 2)
