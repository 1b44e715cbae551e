"""The funnel through the schema with its pipeline patched (graph.services.funnel_rows):
a place leader still sees small cells hidden and counts rounded, exactly as in a funnel
computed afresh."""

from __future__ import annotations

import asyncio
from typing import Any

from neo4j import Driver

from graph.access import Caller, Role
from graph.models.people import ReadinessStage
from graph.services.funnel_rows import FollowedFunnels
from graph.services.hub_actions import move_person_stage
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings
from schema import GraphContext, build_schema

LEADER = Caller("leader", Role.PLACE_LEADER)
ADMIN = Caller("funnel-patched-test", Role.ADMIN)
FUNNEL = """query ($anchor: ID!) { funnel(anchorId: $anchor, groupBy: OCCUPATION) {
  countsRounded stages { stage reached movedOn conversion medianDaysToNext }
  groups { key stages { stage reached movedOn medianDaysToNext } } } }"""
ANCHOR = {"anchor": "AnchorInstitution:anchor-trust"}
ENGAGED = """
MATCH (p:Person {stage: 'engaged'})
WHERE p.trained_as = 'http://data.assetbridge.invalid/occupation/nurse'
  AND p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
RETURN p.id AS id ORDER BY id LIMIT 1
"""


def _funnel(
    driver: Driver,
    settings: Neo4jSettings,
    kept: KeptAnswers | None = None,
    funnels: FollowedFunnels | None = None,
) -> Any:
    context = GraphContext(driver, settings, caller=LEADER, kept_answers=kept, funnels=funnels)
    result = asyncio.run(build_schema().execute(FUNNEL, ANCHOR, context_value=context))
    assert not result.errors, result.errors
    return result.data


def test_a_place_leader_sees_the_patched_funnel_suppressed_as_a_fresh_one(
    demo_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    kept = KeptAnswers(demo_place, db)
    funnels = FollowedFunnels(demo_place, db)
    _funnel(demo_place, neo4j_settings, kept, funnels)
    person = demo_place.execute_query(ENGAGED, database_=db).records[0]["id"]
    move_person_stage(demo_place, db, ADMIN, person, ReadinessStage.LANGUAGE_TRAINING)

    patched = _funnel(demo_place, neo4j_settings, kept, funnels)
    assert (funnels.wholes, funnels.patches) == (1, 1)
    assert patched == _funnel(demo_place, neo4j_settings)
    # The reference place is small: a place leader sees hidden cells and rounded counts.
    shown = patched["funnel"]
    assert shown["countsRounded"] is True
    cells = [stage["reached"] for group in shown["groups"] for stage in group["stages"]]
    assert None in cells
    assert all(cell is None or cell % 5 == 0 for cell in cells), cells
