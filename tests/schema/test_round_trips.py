"""Nested queries cost a fixed number of Cypher round trips, whatever the data size.

Round trips are counted from the real driver: every query it sends is a Bolt
RUN message, which the driver logs at DEBUG on ``neo4j.io``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.conftest import CLEAR_GRAPH
from tests.schema.place import load_tables, run


class _RunCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.runs: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The driver logs each message it sends as "[#<port>]  C: <MESSAGE> ...".
        if "  C: RUN " in record.getMessage():
            self.runs.append(record.getMessage())


@pytest.fixture
def bolt_runs() -> Iterator[_RunCounter]:
    logger = logging.getLogger("neo4j.io")
    counter = _RunCounter()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


def _anchors_with_vacancies(
    driver: Driver, database: str, folder: Path, anchors: int, vacancies: int, skills: int
) -> None:
    """``anchors`` anchors, each posting ``vacancies`` vacancies that each need
    ``skills`` essential skills of their own, each skill under a broader one."""
    folder.mkdir()
    skill_rows: list[list[object]] = []
    vacancy_rows: list[list[object]] = []
    for a in range(anchors):
        for v in range(vacancies):
            own = [f"s-{a}-{v}-{s}" for s in range(skills)]
            skill_rows += [[ident, f"skill {ident}"] for ident in own]
            skill_rows += [[f"broad-{ident}", f"broader {ident}"] for ident in own]
            vacancy_rows.append([f"v-{a}-{v}", f"vacancy {a}-{v}", f"a-{a}", ";".join(own)])
    anchor_rows: list[list[object]] = [[f"a-{a}", f"anchor {a}", "health"] for a in range(anchors)]
    load_tables(
        driver,
        database,
        folder,
        [
            ("anchors", ["id", "name", "sector"], anchor_rows),
            ("skills", ["id", "preferred_label"], skill_rows),
            ("vacancies", ["id", "title", "anchor_id", "essential_skill_ids"], vacancy_rows),
        ],
    )
    driver.execute_query(
        """
        MATCH (s:Skill)
        WHERE NOT s.id STARTS WITH 'broad-'
        MATCH (b:Skill {id: 'broad-' + s.id})
        CREATE (s)-[:BROADER]->(b)
        """,
        database_=database,
    )


NESTED = """
{
  anchors(first: 100) {
    edges {
      node {
        name
        vacancies {
          title
          essentialSkills {
            preferredLabel
            broader { preferredLabel }
          }
        }
      }
    }
  }
}
"""


def _measure(driver: Driver, settings: Neo4jSettings, counter: _RunCounter) -> tuple[int, int, int]:
    counter.runs.clear()
    body = run(driver, settings, NESTED)
    assert "errors" not in body
    edges = body["data"]["anchors"]["edges"]
    broader = [
        b
        for edge in edges
        for vacancy in edge["node"]["vacancies"]
        for skill in vacancy["essentialSkills"]
        for b in skill["broader"]
    ]
    return len(counter.runs), len(edges), len(broader)


@pytest.mark.parametrize(
    ("small", "large"),
    [((2, 1, 1), (12, 5, 3))],
)
def test_round_trips_do_not_grow_with_the_result(
    clean_db: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path: Path,
    bolt_runs: _RunCounter,
    small: tuple[int, int, int],
    large: tuple[int, int, int],
) -> None:
    database = neo4j_settings.database
    _anchors_with_vacancies(clean_db, database, tmp_path / "small", *small)
    small_runs, small_anchors, small_broader = _measure(clean_db, neo4j_settings, bolt_runs)

    with clean_db.session(database=database) as session:
        session.run(CLEAR_GRAPH).consume()
    _anchors_with_vacancies(clean_db, database, tmp_path / "large", *large)
    large_runs, large_anchors, large_broader = _measure(clean_db, neo4j_settings, bolt_runs)

    assert (small_anchors, small_broader) == (2, 2)
    assert (large_anchors, large_broader) == (12, 180)
    # page of anchor ids, anchors, their vacancy ids, vacancies, skills,
    # broader ids, broader skills: seven reads at either size.
    assert (small_runs, large_runs) == (7, 7)
