"""`impact(asOf:)`, `pathway(asOf:)` and `partnershipNetwork(place:)` through GraphQL, over
the two places of tests/schema/two_places.py (issue 15, history and the page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings
from tests.schema.place import run
from tests.schema.two_places import ADMIN, caller_of_leeds, load_two_places, refused

IMPACT = """query ($d: Date) { impact(anchorId: "AnchorInstitution:anchor-both", asOf: $d) {
  placed earningsGbp } }"""
PATHWAY = """query ($d: Date) { pathway(organisationId: "CommunityOrganisation:org-leeds",
  vacancyId: "Vacancy:vac-leeds", asOf: $d) { routes { steps { node { id } } } } }"""
NETWORK = """query ($p: ID) { partnershipNetwork(anchorId: "AnchorInstitution:anchor-both",
  place: $p) { nodes { id } } }"""
NETWORK_IN = """{ partnershipNetwork(anchorId: "AnchorInstitution:anchor-both",
  place: "%s") { nodes { id } } }"""
BOTH_LEADER = Caller(subject="t-leader-both", role=Role.PLACE_LEADER,
                     places=frozenset({"leeds", "bradford"}))  # fmt: skip


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    return load_two_places(clean_db, neo4j_settings.database, tmp_path)


def _placed(driver: Driver, settings: Neo4jSettings, day: str | None, **kw: Any) -> Any:
    body = run(driver, settings, IMPACT, {"d": day}, caller=ADMIN, **kw)
    assert "errors" not in body, body
    return body["data"]["impact"]["placed"]


def test_impact_as_of_a_day_counts_those_in_paid_work_by_then(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # Bradford's two were employed on 2023-06-01, Leeds's one on 2024-06-01.
    assert _placed(two_places, neo4j_settings, None) == 3
    assert _placed(two_places, neo4j_settings, "2024-06-01") == 3
    assert _placed(two_places, neo4j_settings, "2024-05-31") == 2
    assert _placed(two_places, neo4j_settings, "2023-06-01") == 2
    assert _placed(two_places, neo4j_settings, "2023-05-31") == 0
    body = run(two_places, neo4j_settings, IMPACT, {"d": "2999-01-01"}, caller=ADMIN)
    assert body["errors"][0]["message"].startswith("asOf: 2999-01-01 is after today"), body


def test_a_kept_impact_is_the_answer_of_the_day_asked(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = KeptAnswers(two_places, neo4j_settings.database)
    assert _placed(two_places, neo4j_settings, None, kept_answers=kept) == 3
    assert _placed(two_places, neo4j_settings, "2024-05-31", kept_answers=kept) == 2
    assert _placed(two_places, neo4j_settings, "2024-05-31", kept_answers=kept) == 2
    assert (kept.hits, kept.misses) == (1, 2)


def test_pathway_as_of_a_day_goes_over_the_ties_of_that_day(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # Leeds Welcome began referring to the Leeds hub on 2024-05-01.
    two_places.execute_query(
        "MATCH (:CommunityOrganisation {id: 'org-leeds'})-[r:REFERS_TO]->"
        "(:Department {id: 'hub-leeds'}) SET r.since = date('2024-05-01')",
        database_=neo4j_settings.database,
    )
    leader = caller_of_leeds(Role.PLACE_LEADER)

    def through_hub(day: str | None) -> bool:
        found = run(two_places, neo4j_settings, PATHWAY, {"d": day}, caller=leader)
        assert "errors" not in found, found
        routes = found["data"]["pathway"]["routes"]
        return any(
            [s["node"]["id"] for s in r["steps"]][:2]
            == ["CommunityOrganisation:org-leeds", "Department:hub-leeds"]
            for r in routes
        )

    assert through_hub(None)
    assert through_hub("2024-05-01")
    assert not through_hub("2024-04-30")


@pytest.mark.parametrize("with_kept", [False, True])
def test_partnership_network_of_one_of_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings, with_kept: bool
) -> None:
    kept = KeptAnswers(two_places, neo4j_settings.database) if with_kept else None

    def nodes(caller: Caller, place: str | None) -> set[str]:
        body = run(two_places, neo4j_settings, NETWORK, {"p": place}, caller=caller,
                   kept_answers=kept)  # fmt: skip
        assert "errors" not in body, body
        return {n["id"] for n in body["data"]["partnershipNetwork"]["nodes"]}

    both = nodes(BOTH_LEADER, None)
    leeds = nodes(BOTH_LEADER, "leeds")
    bradford = nodes(BOTH_LEADER, "bradford")
    assert "Department:hub-bradford" in both
    assert "Department:hub-leeds" in both
    assert "bradford" not in json.dumps(sorted(leeds))
    assert "Department:hub-leeds" in leeds
    assert "leeds" not in json.dumps(sorted(bradford))
    # One place of the caller's answers as a caller of that place alone does.
    assert leeds == nodes(caller_of_leeds(Role.PLACE_LEADER), None)
    # A place not the caller's is answered as a place that does not exist.
    other, unknown = (
        refused(two_places, neo4j_settings, NETWORK_IN % place, caller_of_leeds(Role.PLACE_LEADER))
        for place in ("bradford", "nowhere")
    )  # fmt: skip
    assert other == {**unknown, "message": unknown["message"].replace("nowhere", "bradford")}
    assert other["code"] == "NOT_FOUND"
