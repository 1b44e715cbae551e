"""Over HTTP: /readyz shows the journal position each derived structure has reached, and
a place leader's repeated question is given the kept answer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.main import create_app
from api.settings import ApiSettings
from graph.access import Role
from graph.services.journal import catch_up, journal_position
from graph.settings import Neo4jSettings
from tests.conftest import bearer
from tests.schema.place import load_place

NETWORK = '{ partnershipNetwork(anchorId: "AnchorInstitution:anchor-lth") { ties { type } } }'
REFERRAL = """mutation { recordReferral(from: "CommunityOrganisation:org-church",
  to: "Department:dept-hub", on: "2025-02-01") { count } }"""
FUNNEL = '{ funnel(anchorId: "AnchorInstitution:anchor-lth") { stages { stage reached } } }'
MOVE = 'mutation { movePersonStage(personId: "Person:p-1", stage: PLACEMENT) { id } }'


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    load_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def _post(client: TestClient, query: str, role: Role) -> Any:
    response = client.post("/graphql", json={"query": query}, headers=bearer(role))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def _ready(client: TestClient) -> dict[str, Any]:
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_readyz_shows_where_each_derived_structure_has_followed_the_journal(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    # Following only when asked, so what readyz says is what the questions did.
    settings = ApiSettings(candidate_index=True, kept_answers=True, follow_interval_s=0)
    with TestClient(create_app(settings, neo4j_settings)) as client:
        deadline = time.monotonic() + 60
        while _ready(client)["candidateIndex"] != "ready" and time.monotonic() < deadline:
            time.sleep(0.2)
        ready = _ready(client)
        head = journal_position(place, db).seq
        assert ready["candidateIndex"] == "ready"
        # Nothing asked yet: the kept answers have not followed the journal at all.
        assert ready["journalPositions"] == {
            "candidateIndex": head, "keptAnswers": None, "funnels": None,
        }  # fmt: skip

        first = _post(client, NETWORK, Role.PLACE_LEADER)
        assert _post(client, NETWORK, Role.PLACE_LEADER) == first
        ready = _ready(client)
        assert ready["keptAnswers"] == {"kept": 1, "hits": 1, "misses": 1, "shared": 0, "drops": 0}
        assert ready["journalPositions"]["keptAnswers"] == head

        _post(client, REFERRAL, Role.ADMIN)
        after = _post(client, NETWORK, Role.PLACE_LEADER)
        assert (
            len(after["partnershipNetwork"]["ties"]) == len(first["partnershipNetwork"]["ties"]) + 1
        )
        # Matching follows the journal when it is next asked; kept answers when they are.
        assert client.app.state.assetbridge.candidate_index.current() is not None  # type: ignore[attr-defined]
        ready = _ready(client)
        assert ready["keptAnswers"]["misses"] == 2
        assert ready["journalPositions"] == {
            "candidateIndex": head + 1, "keptAnswers": head + 1, "funnels": None,
        }  # fmt: skip
        # The funnel's pipeline is read when first asked, and follows when asked again.
        _post(client, FUNNEL, Role.PLACE_LEADER)
        assert _ready(client)["journalPositions"]["funnels"] == head + 1
        # A referral moves none of the funnel's facts: its kept answer is given again,
        # and the pipeline is not asked.
        _post(client, REFERRAL, Role.ADMIN)
        _post(client, FUNNEL, Role.PLACE_LEADER)
        assert _ready(client)["journalPositions"]["funnels"] == head + 1
        # A stage move does: the pipeline follows the journal to it.
        _post(client, MOVE, Role.ADMIN)
        _post(client, FUNNEL, Role.PLACE_LEADER)
        assert _ready(client)["journalPositions"]["funnels"] == head + 3


def test_between_questions_the_follower_brings_both_up_to_a_write(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    settings = ApiSettings(candidate_index=True, kept_answers=True, follow_interval_s=0.05)
    with TestClient(create_app(settings, neo4j_settings)) as client:
        _post(client, REFERRAL, Role.ADMIN)
        head = journal_position(place, db).seq
        # No question is asked: only the follower can bring them to the referral.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            positions = _ready(client)["journalPositions"]
            if positions == {"candidateIndex": head, "keptAnswers": head, "funnels": None}:
                break
            time.sleep(0.1)
        assert positions == {"candidateIndex": head, "keptAnswers": head, "funnels": None}
        assert _ready(client)["keptAnswers"]["misses"] == 0


def test_readyz_says_off_for_what_is_switched_off(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    settings = ApiSettings(candidate_index=False, kept_answers=False)
    with TestClient(create_app(settings, neo4j_settings)) as client:
        first = _post(client, NETWORK, Role.PLACE_LEADER)
        assert _post(client, NETWORK, Role.PLACE_LEADER) == first
        ready = _ready(client)
    assert (ready["candidateIndex"], ready["keptAnswers"]) == ("off", "off")
    assert ready["journalPositions"] == {
        "candidateIndex": None, "keptAnswers": None, "funnels": None,
    }  # fmt: skip


def test_a_question_after_a_token_check_that_saw_no_new_commit_reads_no_journal(
    place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token check's read names the last commit; kept answers at that commit give
    the answer without a catch-up of their own. A write made round the product (plain
    Cypher) is a new commit that check sees, so the next question still catches up,
    finds a commit the journal does not account for, and recomputes."""
    catch_ups: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        catch_ups.append(1)
        return catch_up(*args, **kwargs)

    # Where kept answers look it up: the real read still runs, only counted.
    monkeypatch.setattr("graph.services.kept_answers.catch_up", counted)
    settings = ApiSettings(candidate_index=False, kept_answers=True, follow_interval_s=0)
    with TestClient(create_app(settings, neo4j_settings)) as client:
        first = _post(client, NETWORK, Role.PLACE_LEADER)
        asked = len(catch_ups)
        for _ in range(3):
            assert _post(client, NETWORK, Role.PLACE_LEADER) == first
        assert len(catch_ups) == asked
        assert _ready(client)["keptAnswers"]["hits"] == 3

        place.execute_query(
            "MATCH (o:CommunityOrganisation {id: 'org-church'}), "
            "(a:AnchorInstitution {id: 'anchor-lth'}) CREATE (o)-[:PARTNERS_WITH]->(a)",
            database_=neo4j_settings.database,
        )
        after = _post(client, NETWORK, Role.PLACE_LEADER)
        assert len(catch_ups) == asked + 1
        assert (
            len(after["partnershipNetwork"]["ties"]) == len(first["partnershipNetwork"]["ties"]) + 1
        )
        assert _ready(client)["keptAnswers"]["drops"] == 1
