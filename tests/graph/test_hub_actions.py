"""The hub's writes: each checked, written and audited in one transaction, by
the caller's right to it (findings 4, 5 and the referral half of 11; F7 of issue 13:
a referral's trust, dates and audited direction)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.models.anchors import Vacancy
from graph.models.paths import NodeKey
from graph.models.people import ReadinessStage
from graph.services.hub_actions import (
    close_vacancy,
    move_person_stage,
    open_vacancy,
    record_referral,
)
from graph.settings import Neo4jSettings
from graph.vocabulary import Label

PLACE = """
CREATE (:CommunityOrganisation {id: 'welcome', name: 'Refugee Welcome'})
CREATE (:CommunityOrganisation {id: 'mosque', name: 'Mosque'})
CREATE (trust:AnchorInstitution {id: 'trust', name: 'Trust'})
CREATE (council:AnchorInstitution {id: 'council', name: 'Council'})
CREATE (:Department {id: 'hub', name: 'Learning Works', kind: 'employment_hub'})-[:PART_OF]->(trust)
CREATE (:Department {id: 'council-hub', name: 'Council Jobs', kind: 'employment_hub'})
       -[:PART_OF]->(council)
CREATE (:Department {id: 'wards', name: 'Wards', kind: 'clinical'})-[:PART_OF]->(trust)
CREATE (:Skill {id: 'care', preferred_label: 'care'})
CREATE (:Person {id: 'p1', consent_given_at: datetime('2024-01-01T00:00:00'), stage: 'engaged',
                 consent_scopes: ['share:welcome'],
                 stage_names: ['engaged'], stage_dates: [date('2024-01-10')]})
CREATE (:Person {id: 'private', stage: 'engaged'})
"""

ADMIN = Caller("admin", Role.ADMIN)
WELCOME = Caller("cw-welcome", Role.CASEWORKER, "welcome")
TRUST_HUB = Caller("cw-trust-hub", Role.CASEWORKER, "hub")
COUNCIL_HUB = Caller("cw-council-hub", Role.CASEWORKER, "council-hub")

WELCOME_ORG = NodeKey(label=Label.COMMUNITY_ORGANISATION, id="welcome")
MOSQUE_ORG = NodeKey(label=Label.COMMUNITY_ORGANISATION, id="mosque")
HUB = NodeKey(label=Label.DEPARTMENT, id="hub")
TRUST = NodeKey(label=Label.ANCHOR_INSTITUTION, id="trust")

AUDIT = "MATCH (e:AuditEvent) RETURN e.operation AS op, e.subject AS who ORDER BY e.seq"
REFERRALS = "MATCH ()-[r:REFERS_TO]->() RETURN count(r) AS n, sum(r.count) AS total"
VACANCY = """
MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {id: $id})
RETURN a.id AS anchor, v {.*} AS v
"""


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    return clean_db


def _rows(driver: Driver, db: str, query: str, **params: object) -> list[dict[str, object]]:
    return [r.data() for r in driver.execute_query(query, params, database_=db).records]


def test_referrals_count_up(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    first = record_referral(place, db, ADMIN, WELCOME_ORG, HUB, on=date(2025, 3, 1), strength=0.7)
    second = record_referral(place, db, ADMIN, WELCOME_ORG, HUB, on=date(2025, 4, 1))
    assert (first.count, second.count) == (1, 2)
    assert second.since == date(2025, 3, 1)
    assert second.strength == 0.7
    with pytest.raises(InvalidInputError, match="cannot refer"):
        record_referral(place, db, ADMIN, HUB, TRUST)
    with pytest.raises(NotFoundError):
        record_referral(place, db, ADMIN, WELCOME_ORG, NodeKey(label=Label.DEPARTMENT, id="nope"))
    assert _rows(place, db, AUDIT) == [{"op": "record_referral", "who": "admin"}] * 2


TIE = """
MATCH (:CommunityOrganisation {id: 'welcome'})-[r:REFERS_TO]->(:Department {id: 'hub'})
RETURN r.count AS count, r.strength AS strength, r.since AS since, r.last_referral_on AS last
"""
REFERRAL_EVENTS = """
MATCH (e:AuditEvent {operation: 'record_referral'})
RETURN e.target_ids AS ids, e.detail AS detail ORDER BY e.seq
"""


def test_a_caseworker_counts_a_referral_but_cannot_set_the_ties_trust(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """F7 (issue 13): a caseworker's strength overwrote the tie's trust, which steers
    the strongest-trust routes for the whole place."""
    db = neo4j_settings.database
    record_referral(place, db, ADMIN, WELCOME_ORG, HUB, on=date(2025, 3, 1), strength=0.4)
    for strength in (1.0, 0.4, 0.0):
        with pytest.raises(ForbiddenError, match="^strength: .*only by a loader or an admin"):
            record_referral(place, db, WELCOME, WELCOME_ORG, HUB, strength=strength)
    with pytest.raises(ForbiddenError, match="^strength: "):
        record_referral(place, db, TRUST_HUB, WELCOME_ORG, HUB, strength=1.0)
    assert _rows(place, db, TIE)[0]["strength"] == 0.4
    assert len(_rows(place, db, REFERRAL_EVENTS)) == 1
    counted = record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=date(2025, 4, 1))
    assert (counted.count, counted.strength) == (2, 0.4)
    # A loader imports the same ties from files, so it may change the trust.
    loader = Caller("loader", Role.LOADER)
    assert record_referral(place, db, loader, WELCOME_ORG, HUB, strength=0.9).strength == 0.9


def test_a_referral_dated_in_the_future_is_refused(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    for caller in (WELCOME, ADMIN):
        with pytest.raises(InvalidInputError, match="^on: 2099-01-01 is in the future"):
            record_referral(place, db, caller, WELCOME_ORG, HUB, on=date(2099, 1, 1))
    with pytest.raises(InvalidInputError, match="^on: "):
        record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=date.today() + timedelta(days=2))
    assert _rows(place, db, TIE) == []
    assert _rows(place, db, REFERRAL_EVENTS) == []
    assert record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=date.today()).count == 1


def test_a_stage_move_or_a_closing_dated_in_the_future_is_refused(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    later = date.today() + timedelta(days=1)
    with pytest.raises(InvalidInputError, match=f"^on: {later} is in the future"):
        move_person_stage(place, db, WELCOME, "p1", ReadinessStage.PLACEMENT, later)
    vacancy = Vacancy(id="v1", title="Staff Nurse", anchor_id="trust", essential_skill_ids=["care"])
    open_vacancy(place, db, TRUST_HUB, vacancy)
    with pytest.raises(InvalidInputError, match=f"^on: {later} is in the future"):
        close_vacancy(place, db, TRUST_HUB, "v1", on=later)
    assert _rows(place, db, "MATCH (v:Vacancy {id: 'v1'}) RETURN v.status AS s") == [{"s": "open"}]
    assert _rows(place, db, AUDIT) == [{"op": "open_vacancy", "who": "cw-trust-hub"}]
    move_person_stage(place, db, WELCOME, "p1", ReadinessStage.PLACEMENT, date.today())
    close_vacancy(place, db, TRUST_HUB, "v1", on=date.today())


def test_a_referral_recorded_late_keeps_the_latest_day_as_the_last(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    for day in (date(2025, 3, 1), date(2025, 5, 1), date(2025, 4, 1)):
        record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=day)
    [tie] = place.execute_query(TIE, database_=db).records
    assert tie["count"] == 3
    assert (tie["since"].to_native(), tie["last"].to_native()) == (
        date(2025, 3, 1),
        date(2025, 5, 1),
    )
    assert tie["strength"] is None


def test_a_referrals_audit_event_says_who_referred_to_whom(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """F7 (issue 13): the event's ids are sorted, so welcome->mosque and
    mosque->welcome were recorded alike, as ``count=1``."""
    db = neo4j_settings.database
    record_referral(place, db, WELCOME, WELCOME_ORG, MOSQUE_ORG)
    record_referral(place, db, ADMIN, MOSQUE_ORG, WELCOME_ORG, strength=0.3)
    ends = ["CommunityOrganisation:mosque", "CommunityOrganisation:welcome"]
    assert _rows(place, db, REFERRAL_EVENTS) == [
        {"ids": ends, "detail": "from=CommunityOrganisation:welcome "
                                "to=CommunityOrganisation:mosque count=1"},
        {"ids": ends, "detail": "from=CommunityOrganisation:mosque "
                                "to=CommunityOrganisation:welcome count=1 strength=0.3"},
    ]  # fmt: skip


JOURNALLED = """
MATCH (e:AuditEvent {operation: 'record_referral'}), (c:Change {seq: e.seq})
RETURN c.kinds AS kinds ORDER BY e.seq
"""


def test_a_referral_journals_a_new_tie_apart_from_a_count_on_one_already_there(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """A new tie, or a trust moved, journals REFERS_TO (brokerage gaps read them); one
    more referral on a tie already there, its trust given again or left out, only its
    tally, so kept brokerage gaps survive it (issue 14)."""
    db = neo4j_settings.database
    record_referral(place, db, ADMIN, WELCOME_ORG, HUB, on=date(2025, 3, 1))
    record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=date(2025, 4, 1))
    record_referral(place, db, ADMIN, WELCOME_ORG, HUB, strength=0.6)
    record_referral(place, db, ADMIN, WELCOME_ORG, HUB, strength=0.6)
    record_referral(place, db, ADMIN, WELCOME_ORG, HUB, strength=0.2)
    ends = ["CommunityOrganisation", "Department"]
    journalled = place.execute_query(JOURNALLED, database_=db).records
    assert [sorted(r["kinds"]) for r in journalled] == [
        sorted([*ends, "REFERS_TO"]),
        sorted([*ends, "ReferralTally"]),
        sorted([*ends, "REFERS_TO"]),
        sorted([*ends, "ReferralTally"]),
        sorted([*ends, "REFERS_TO"]),
    ]


def test_a_caseworker_records_referrals_only_from_their_own_organisation(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    assert record_referral(place, db, WELCOME, WELCOME_ORG, HUB).count == 1
    with pytest.raises(ForbiddenError, match="only from your own organisation"):
        record_referral(place, db, WELCOME, MOSQUE_ORG, HUB)
    with pytest.raises(ForbiddenError, match="only from your own organisation"):
        record_referral(place, db, Caller("cw-none", Role.CASEWORKER), MOSQUE_ORG, HUB)
    # The hub records the referrals it (or its anchor) received, from anyone...
    assert record_referral(place, db, TRUST_HUB, MOSQUE_ORG, HUB).count == 1
    assert record_referral(place, db, TRUST_HUB, MOSQUE_ORG, TRUST).count == 1
    # ...but not those between others, nor those another hub received.
    with pytest.raises(ForbiddenError):
        record_referral(place, db, TRUST_HUB, MOSQUE_ORG, WELCOME_ORG)
    with pytest.raises(ForbiddenError):
        record_referral(place, db, COUNCIL_HUB, MOSQUE_ORG, HUB)
    assert _rows(place, db, REFERRALS) == [{"n": 3, "total": 3}]
    assert len(_rows(place, db, AUDIT)) == 3


def test_a_repeated_idempotency_key_counts_once(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    first = record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=date(2025, 3, 1),
                            idempotency_key="k-1")  # fmt: skip
    again = record_referral(place, db, WELCOME, WELCOME_ORG, HUB, on=date(2025, 3, 1),
                            idempotency_key="k-1")  # fmt: skip
    assert first == again
    assert first.count == 1
    assert _rows(place, db, REFERRALS) == [{"n": 1, "total": 1}]
    assert len(_rows(place, db, AUDIT)) == 1
    # The same key for another request is refused, not silently answered.
    with pytest.raises(InvalidInputError, match="idempotencyKey: already used"):
        record_referral(place, db, WELCOME, WELCOME_ORG, TRUST, idempotency_key="k-1")
    # Keys are each caller's own: another subject's "k-1" is a new request.
    other = Caller("cw-welcome-2", Role.CASEWORKER, "welcome")
    assert record_referral(place, db, other, WELCOME_ORG, HUB, on=date(2025, 3, 1),
                           idempotency_key="k-1").count == 2  # fmt: skip


def test_stage_moves_append_history_in_order(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    move_person_stage(place, db, WELCOME, "p1", ReadinessStage.LANGUAGE_TRAINING, date(2024, 5, 1))
    records, _, _ = place.execute_query(
        "MATCH (p:Person {id: 'p1'}) RETURN p.stage AS s, p.stage_names AS n, p.stage_dates AS d,"
        " p.locked AS locked",
        database_=db,
    )
    row = records[0]
    assert row["s"] == "language_training"
    assert row["n"] == ["engaged", "language_training"]
    assert [d.to_native() for d in row["d"]] == [date(2024, 1, 10), date(2024, 5, 1)]
    assert row["locked"] is None
    with pytest.raises(InvalidInputError, match="before the last stage change"):
        move_person_stage(place, db, ADMIN, "p1", ReadinessStage.PLACEMENT, date(2024, 4, 1))
    with pytest.raises(NotFoundError):
        move_person_stage(place, db, ADMIN, "private", ReadinessStage.PLACEMENT)
    # Consent to share with another organisation only: as if the person did not exist.
    with pytest.raises(NotFoundError):
        move_person_stage(place, db, TRUST_HUB, "p1", ReadinessStage.PLACEMENT)
    assert _rows(place, db, AUDIT) == [{"op": "move_person_stage", "who": "cw-welcome"}]


def test_open_and_close_a_vacancy(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    vacancy = Vacancy(id="v1", title="Staff Nurse", anchor_id="trust", essential_skill_ids=["care"],
                      min_ielts=7.0, shortage=True)  # fmt: skip
    open_vacancy(place, db, TRUST_HUB, vacancy)
    close_vacancy(place, db, TRUST_HUB, "v1", filled=True, on=date(2025, 1, 31))
    records, _, _ = place.execute_query(
        "MATCH (:AnchorInstitution {id: 'trust'})-[:POSTS]->(v:Vacancy {id: 'v1'})-[:REQUIRES]->(s) "
        "RETURN v.status AS status, v.closes AS closes, s.id AS skill, v.locked AS locked",
        database_=db,
    )
    assert [(r["status"], r["closes"].to_native(), r["skill"], r["locked"]) for r in records] == [
        ("filled", date(2025, 1, 31), "care", None)
    ]
    with pytest.raises(InvalidInputError, match="anchor_id: unknown AnchorInstitution id 'nope'"):
        open_vacancy(place, db, ADMIN, vacancy.model_copy(update={"id": "v2", "anchor_id": "nope"}))
    with pytest.raises(NotFoundError):
        close_vacancy(place, db, ADMIN, "nope")
    assert _rows(place, db, "MATCH (v:Vacancy {id: 'nope'}) RETURN v.id AS id") == []
    assert _rows(place, db, AUDIT) == [
        {"op": "open_vacancy", "who": "cw-trust-hub"},
        {"op": "close_vacancy", "who": "cw-trust-hub"},
    ]


def test_another_anchors_vacancy_cannot_be_taken_over(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Finding 4: a council caseworker's openVacancy with the trust's vacancy id
    moved the filled vacancy to the council, reopened it and wiped its salary."""
    db = neo4j_settings.database
    nurse = Vacancy(id="v1", title="Staff Nurse", anchor_id="trust", salary_band="Band 5",
                    salary_min_gbp=29_970, status="filled")  # fmt: skip
    open_vacancy(place, db, ADMIN, nurse)
    close_vacancy(place, db, ADMIN, "v1", filled=True)
    before = _rows(place, db, VACANCY, id="v1")
    audited = len(_rows(place, db, AUDIT))

    takeover = Vacancy(id="v1", title="Staff Nurse", anchor_id="council")
    for caller in (COUNCIL_HUB, ADMIN, WELCOME):
        with pytest.raises(ForbiddenError):
            open_vacancy(place, db, caller, takeover, given={"id", "title", "anchor_id"})
    with pytest.raises(ForbiddenError, match="only by their anchor's own hub"):
        open_vacancy(place, db, COUNCIL_HUB, nurse, given={"id", "title", "anchor_id"})
    for caller in (COUNCIL_HUB, WELCOME, Caller("cw-wards", Role.CASEWORKER, "wards")):
        with pytest.raises(ForbiddenError):
            close_vacancy(place, db, caller, "v1")
    assert _rows(place, db, VACANCY, id="v1") == before
    assert len(_rows(place, db, AUDIT)) == audited


def test_reopening_keeps_every_field_not_given(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    nurse = Vacancy(id="v1", title="Staff Nurse", anchor_id="trust", salary_band="Band 5",
                    salary_min_gbp=29_970, essential_skill_ids=["care"], shortage=True,
                    opens=date(2025, 1, 1))  # fmt: skip
    open_vacancy(place, db, TRUST_HUB, nurse)
    close_vacancy(place, db, TRUST_HUB, "v1", filled=True)
    retitled = Vacancy(id="v1", title="Senior Staff Nurse", anchor_id="trust")
    open_vacancy(place, db, TRUST_HUB, retitled, given={"id", "title", "anchor_id"})
    [row] = _rows(place, db, VACANCY, id="v1")
    stored = row["v"]
    assert isinstance(stored, dict)
    assert row["anchor"] == "trust"
    assert (stored["title"], stored["status"], stored["salary_band"], stored["salary_min_gbp"],
            stored["shortage"]) == ("Senior Staff Nurse", "open", "Band 5", 29_970, True)  # fmt: skip
    skills = _rows(place, db, "MATCH (:Vacancy {id: 'v1'})-[r:REQUIRES]->(s) RETURN s.id AS s")
    assert skills == [{"s": "care"}]
