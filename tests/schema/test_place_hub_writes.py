"""The hub's writes over two places (issue 15, isolation; tests/schema/two_places.py): a
caller of Leeds acting on a person, vacancy, organisation or area only in Bradford gets
the answer of an id that exists nowhere, and nothing is written; a new vacancy joins its
anchor's places that the caller may see."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.errors import NotFoundError
from graph.models.people import ReadinessStage
from graph.services import hub_actions
from graph.settings import Neo4jSettings
from tests.schema.place import run
from tests.schema.two_places import (
    BRADFORD_CASEWORKER,
    LEEDS,
    LEEDS_CASEWORKER,
    load_two_places,
)

# A caseworker of the trust's Leeds hub: the trust works in both places, so without the
# scope its hub could close Bradford's vacancy.
LEEDS_HUB = Caller(subject="t-hub-leeds", role=Role.CASEWORKER, organisation_id="hub-leeds",
                   places=LEEDS)  # fmt: skip
BOTH_HUB = Caller(subject="t-hub-both", role=Role.CASEWORKER, organisation_id="hub-leeds",
                  places=frozenset({"leeds", "bradford"}))  # fmt: skip

CLOSE = 'mutation { closeVacancy(id: "Vacancy:%s") { id status } }'
OPEN = """mutation { openVacancy(input: {id: "%s", title: "Porter",
  anchor: "AnchorInstitution:anchor-both"%s}) { id title } }"""
MOVE = 'mutation { movePersonStage(personId: "Person:%s", stage: PLACEMENT) { id } }'
REFER = 'mutation { recordReferral(from: "CommunityOrganisation:org-both", to: "%s") { count } }'


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    return load_two_places(clean_db, neo4j_settings.database, tmp_path)


def _one(driver: Driver, settings: Neo4jSettings, query: str, **params: Any) -> Any:
    records = driver.execute_query(query, params, database_=settings.database).records
    return records[0].data() if records else None


def _as_nowhere(body: dict[str, Any], real: str, nowhere: str) -> dict[str, Any]:
    """The answer with the real id written as the one that exists nowhere."""
    answer: dict[str, Any] = json.loads(json.dumps(body).replace(real, nowhere))
    return answer


def _answered_as_nowhere(
    driver: Driver, settings: Neo4jSettings, query: str, real: str, nowhere: str, caller: Caller
) -> None:
    """``query`` naming ``real`` is answered as the same naming ``nowhere``, an error."""
    body = run(driver, settings, query % real, caller=caller)
    unknown = run(driver, settings, query % nowhere, caller=caller)
    assert "errors" in unknown
    assert _as_nowhere(body, real, nowhere) == unknown


def _audited(driver: Driver, settings: Neo4jSettings, operation: str) -> int:
    row = _one(driver, settings, "MATCH (e:AuditEvent {operation: $op}) RETURN count(e) AS n",
               op=operation)  # fmt: skip
    return int(row["n"])


def test_closing_another_places_vacancy_is_closing_an_unknown_one(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    _answered_as_nowhere(two_places, neo4j_settings, CLOSE, "vac-bradford", "vac-nowhere",
                         LEEDS_HUB)  # fmt: skip
    vacancy = "MATCH (v:Vacancy {id: 'vac-bradford'}) RETURN v.status AS s, v.locked AS l"
    assert _one(two_places, neo4j_settings, vacancy) == {"s": "open", "l": None}
    assert _audited(two_places, neo4j_settings, "close_vacancy") == 0
    # The control: the same hub seeing both places closes it.
    closed = run(two_places, neo4j_settings, CLOSE % "vac-bradford", caller=BOTH_HUB)
    assert closed["data"]["closeVacancy"]["status"] == "CLOSED", closed


def test_a_new_vacancy_joins_its_anchors_places_the_caller_may_see(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    places = "MATCH (v:Vacancy {id: $id}) RETURN v.place_ids AS places"
    opened = run(two_places, neo4j_settings, OPEN % ("vac-new-leeds", ""), caller=LEEDS_HUB)
    assert opened["data"]["openVacancy"]["id"] == "Vacancy:vac-new-leeds", opened
    assert _one(two_places, neo4j_settings, places, id="vac-new-leeds") == {"places": ["leeds"]}
    run(two_places, neo4j_settings, OPEN % ("vac-new-both", ""), caller=BOTH_HUB)
    assert _one(two_places, neo4j_settings, places, id="vac-new-both") == {
        "places": ["bradford", "leeds"]
    }
    # No place is made for the vacancy (the default place, as before).
    ids = _one(two_places, neo4j_settings, "MATCH (p:Place) RETURN collect(p.id) AS ids")["ids"]
    assert sorted(ids) == ["bradford", "leeds"]
    # Reopened by the Leeds hub, a vacancy of both places keeps both.
    run(two_places, neo4j_settings, OPEN % ("vac-new-both", ""), caller=LEEDS_HUB)
    assert _one(two_places, neo4j_settings, places, id="vac-new-both") == {
        "places": ["bradford", "leeds"]
    }


def test_opening_with_another_places_area_or_id_writes_nothing(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    in_area = OPEN % ("vac-x", ', area: "Area:%s"')
    _answered_as_nowhere(two_places, neo4j_settings, in_area, "area-bradford", "area-nowhere",
                         LEEDS_HUB)  # fmt: skip
    assert _one(two_places, neo4j_settings, "MATCH (v:Vacancy {id: 'vac-x'}) RETURN v") is None
    # An id Bradford's vacancy holds cannot be an unknown id's answer (that would be
    # created): it is refused as taken, and the vacancy is as it was.
    taken = run(two_places, neo4j_settings, OPEN % ("vac-bradford", ""), caller=LEEDS_HUB)
    (error,) = taken["errors"]
    assert error["message"].startswith("input.id: vacancy id 'vac-bradford' is taken"), error
    assert "Ward nurse" not in json.dumps(taken)
    title = "MATCH (v:Vacancy {id: 'vac-bradford'}) RETURN v.title AS t, v.locked AS l"
    assert _one(two_places, neo4j_settings, title) == {"t": "Ward nurse", "l": None}
    assert _audited(two_places, neo4j_settings, "open_vacancy") == 0


def test_moving_another_places_person_is_moving_an_unknown_one(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # The person shares with the organisation both caseworkers are of: only the place
    # can keep the Leeds one out.
    share = "MATCH (p:Person {id: 'p-bradford-3'}) SET p.consent_scopes = ['share:org-both']"
    two_places.execute_query(share, database_=neo4j_settings.database)
    _answered_as_nowhere(two_places, neo4j_settings, MOVE, "p-bradford-3", "p-nowhere",
                         LEEDS_CASEWORKER)  # fmt: skip
    stage = "MATCH (p:Person {id: 'p-bradford-3'}) RETURN p.stage AS s, p.locked AS l"
    assert _one(two_places, neo4j_settings, stage) == {"s": "engaged", "l": None}
    # The control: the same organisation's caseworker of Bradford moves them.
    moved = run(two_places, neo4j_settings, MOVE % "p-bradford-3", caller=BRADFORD_CASEWORKER)
    assert "errors" not in moved, moved
    assert _one(two_places, neo4j_settings, stage) == {"s": "placement", "l": None}


def test_the_stage_move_itself_reads_the_person_in_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # Over GraphQL the people guard refuses the person first; the write checks on its own.
    share = "MATCH (p:Person {id: 'p-bradford-3'}) SET p.consent_scopes = ['share:org-both']"
    two_places.execute_query(share, database_=neo4j_settings.database)
    db = neo4j_settings.database
    with pytest.raises(NotFoundError, match="personId: no person with id 'p-bradford-3'"):
        hub_actions.move_person_stage(two_places, db, LEEDS_CASEWORKER, "p-bradford-3",
                                      ReadinessStage.PLACEMENT)  # fmt: skip
    stage = "MATCH (p:Person {id: 'p-bradford-3'}) RETURN p.stage AS s"
    assert _one(two_places, neo4j_settings, stage) == {"s": "engaged"}


def test_a_referral_to_another_places_hub_is_one_to_an_unknown_hub(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    count = """MATCH (:CommunityOrganisation {id: 'org-both'})-[r:REFERS_TO]->
               (:Department {id: 'hub-bradford'}) RETURN sum(r.count) AS n"""
    before = _one(two_places, neo4j_settings, count)
    _answered_as_nowhere(two_places, neo4j_settings, REFER % "Department:%s", "hub-bradford",
                         "hub-nowhere", LEEDS_CASEWORKER)  # fmt: skip
    assert _one(two_places, neo4j_settings, count) == before
    assert _audited(two_places, neo4j_settings, "record_referral") == 0
    counted = run(two_places, neo4j_settings, REFER % "Department:hub-bradford",
                  caller=BRADFORD_CASEWORKER)  # fmt: skip
    assert "errors" not in counted, counted
    assert _one(two_places, neo4j_settings, count) == {"n": before["n"] + 1}
