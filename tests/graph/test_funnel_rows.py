"""The funnel kept person by person (graph.services.funnel_rows): after each write that
concerns people by id it is patched, after anything else read whole, and either way it
equals the funnel computed afresh from the graph."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.models.anchors import Vacancy
from graph.models.funnel import FunnelGroupBy
from graph.models.people import ReadinessStage
from graph.services.consent import withdraw_consent
from graph.services.funnel_rows import FollowedFunnels
from graph.services.hub_actions import move_person_stage, open_vacancy
from graph.services.place_view import funnel
from graph.settings import Neo4jSettings
from loaders.registry import load

ADMIN = Caller("funnel-rows-test", Role.ADMIN)
TRUST = "anchor-trust"
SOURCE = "funnel-rows-test"
PERIODS = [(None, None), (date(2024, 1, 1), None), (date(2023, 6, 1), date(2024, 12, 31))]

# Consenting people of the trust's pipeline (trained in an occupation it posts), not
# yet at the last stage, and people of no tie to it.
PIPELINE = """
MATCH (:AnchorInstitution {id: $anchor})-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WITH collect(DISTINCT o.id) AS occupations
MATCH (p:Person)
WHERE p.trained_as IN occupations AND p.consent_given_at IS NOT NULL
  AND p.consent_withdrawn_at IS NULL AND p.stage IN ['engaged', 'language_training']
  AND NOT EXISTS { (p)-[:PLACED_IN]->() }
RETURN p.id AS id ORDER BY id
"""
OUTSIDE = """
MATCH (:AnchorInstitution {id: $anchor})-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WITH collect(DISTINCT o.id) AS occupations
MATCH (p:Person)
WHERE NOT coalesce(p.trained_as, '') IN occupations AND p.stage IS NOT NULL
  AND NOT EXISTS { (p)-[:PLACED_IN|APPLIED_TO]->() }
RETURN p.id AS id ORDER BY id
"""
POSTS = (
    "MATCH (:AnchorInstitution {id: $anchor})-[:POSTS]->(v:Vacancy) RETURN v.id AS id ORDER BY id"
)
# An occupation the trust posts nothing for, that people of the place trained in.
NEW_OCCUPATION = """
MATCH (:AnchorInstitution {id: $anchor})-[:POSTS]->(:Vacancy)-[:FOR_OCCUPATION]->(o:Occupation)
WITH collect(DISTINCT o.id) AS posted
MATCH (p:Person)
WHERE p.trained_as IS NOT NULL AND NOT p.trained_as IN posted
RETURN p.trained_as AS id, count(*) AS people ORDER BY people DESC, id LIMIT 1
"""


def _ids(driver: Driver, query: str, **params: str) -> list[str]:
    return [str(r["id"]) for r in driver.execute_query(query, params).records]


class _Place:
    """The reference place, the trust's funnels kept, and the fresh ones to compare."""

    def __init__(self, driver: Driver, database: str, folder: Path) -> None:
        self.driver, self.db, self.folder = driver, database, folder
        self.funnels = FollowedFunnels(driver, database)
        self.serial = 0

    def same_as_fresh(self, group_by: FunnelGroupBy | None) -> None:
        for start, end in PERIODS:
            kept = self.funnels.funnel(TRUST, start=start, end=end, group_by=group_by)
            fresh = funnel(self.driver, self.db, TRUST, start=start, end=end, group_by=group_by)
            assert kept == fresh, (group_by, start, end)

    def load(self, kind: str, rows: list[dict[str, str]]) -> None:
        self.serial += 1
        path = self.folder / f"{self.serial:02d}-{kind}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        report = load(kind, path, driver=self.driver, database=self.db, source=SOURCE)
        assert report.rows_rejected == 0, report


@pytest.fixture
def place(demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> _Place:
    return _Place(demo_place, neo4j_settings.database, tmp_path)


@pytest.mark.parametrize("group_by", [None, FunnelGroupBy.OCCUPATION, FunnelGroupBy.AREA])
def test_a_patched_funnel_is_the_fresh_one_after_every_kind_of_write(
    place: _Place, tmp_path: Path, group_by: FunnelGroupBy | None
) -> None:
    driver, funnels = place.driver, place.funnels
    place.same_as_fresh(group_by)
    assert (funnels.wholes, funnels.patches) == (1, 0)
    pipeline = _ids(driver, PIPELINE, anchor=TRUST)
    outside = _ids(driver, OUTSIDE, anchor=TRUST)
    posts = _ids(driver, POSTS, anchor=TRUST)

    move_person_stage(driver, place.db, ADMIN, pipeline[0], ReadinessStage.ACCREDITATION)
    place.same_as_fresh(group_by)
    withdraw_consent(driver, place.db, ADMIN, pipeline[1], source=SOURCE)
    place.same_as_fresh(group_by)

    # A people loader batch: one moves on a stage, one moves home, one retrains into
    # an occupation the trust does not post (out of its pipeline), one into one it does.
    demo = tmp_path / "demo"
    rows = {row["id"]: row for row in csv.DictReader((demo / "people.csv").open(encoding="utf-8"))}
    moved, rehomed, retrained, joined = (dict(rows[p]) for p in (*pipeline[2:5], outside[0]))
    moved["stage"] = "language_training"
    moved["stage_history"] += f";language_training@{date(2025, 2, 3)}"
    rehomed["home_area_id"] = next(
        r["home_area_id"] for r in rows.values() if r["home_area_id"] != rehomed["home_area_id"]
    )
    retrained["trained_as"], joined["trained_as"] = joined["trained_as"], retrained["trained_as"]
    place.load("people", [moved, rehomed, retrained, joined])
    place.same_as_fresh(group_by)

    # An application brings someone in; placements take one elsewhere and one here.
    other_post = _ids(driver, POSTS, anchor="anchor-university")[0]
    edges = [
        ("APPLIED_TO", outside[1], posts[0]),
        ("PLACED_IN", pipeline[5], other_post),
        ("PLACED_IN", pipeline[6], posts[1]),
    ]
    place.load("edges", [
        {"kind": kind, "from_id": person, "to_id": post, "from_kind": "person",
         "to_kind": "vacancy", "since": "2025-01-02", "strength": "", "evidence": "",
         "count": "", "stage": ""}
        for kind, person, post in edges
    ])  # fmt: skip
    place.same_as_fresh(group_by)
    # Each of those writes was patched in: the first call after each caught it up.
    assert (funnels.wholes, funnels.patches) == (1, 4)

    # A new vacancy of an occupation the trust did not post: its people join the
    # pipeline, so it is read whole.
    occupation = _ids(driver, NEW_OCCUPATION, anchor=TRUST)[0]
    before = funnel(driver, place.db, TRUST, group_by=group_by)
    open_vacancy(driver, place.db, ADMIN, Vacancy(
        id="vac-funnel-rows", title="New post", anchor_id=TRUST, occupation_id=occupation,
        essential_skill_ids=[], area_id=None,
    ))  # fmt: skip
    place.same_as_fresh(group_by)
    assert funnels.funnel(TRUST, group_by=group_by) != before
    assert (funnels.wholes, funnels.patches) == (2, 4)


def test_a_stage_move_is_patched_in_not_read_whole(place: _Place) -> None:
    driver, funnels = place.driver, place.funnels
    before = funnels.funnel(TRUST)
    person = _ids(driver, PIPELINE, anchor=TRUST)[0]
    move_person_stage(driver, place.db, ADMIN, person, ReadinessStage.PLACEMENT)
    after = funnels.funnel(TRUST)
    assert after == funnel(driver, place.db, TRUST)
    # The move shows (one more reached placement), and was a patch of one person.
    placement = [s.reached for s in before.stages if s.stage is ReadinessStage.PLACEMENT]
    assert [s.reached for s in after.stages if s.stage is ReadinessStage.PLACEMENT] == [
        placement[0] + 1
    ]
    assert (funnels.wholes, funnels.patches) == (1, 1)
    # Asked again with nothing changed: neither.
    assert funnels.funnel(TRUST) == after
    assert (funnels.wholes, funnels.patches) == (1, 1)


def test_a_write_round_the_product_reads_the_pipeline_whole(place: _Place) -> None:
    driver, funnels = place.driver, place.funnels
    funnels.funnel(TRUST)
    person = _ids(driver, PIPELINE, anchor=TRUST)[0]
    driver.execute_query("MATCH (p:Person {id: $id}) SET p.stage = 'employed'", id=person)
    assert funnels.funnel(TRUST) == funnel(driver, place.db, TRUST)
    assert (funnels.wholes, funnels.patches) == (2, 0)
