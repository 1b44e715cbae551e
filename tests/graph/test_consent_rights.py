"""Who may record which consent (issue 13, finding F2): a caseworker records only general
scopes and their own organisation's share, never a new grant after a withdrawal or an
erasure, and always with evidence; the scopes given replace the current ones whole."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.errors import ForbiddenError, InvalidInputError, NotFoundError
from graph.services.consent import record_consent, withdraw_consent
from graph.services.erasure import erase_person
from graph.services.personal import personal_details
from graph.settings import Neo4jSettings, get_place_settings
from tests.graph.people_rights_place import add_clem, small_place

ADMIN = Caller(subject="test-admin", role=Role.ADMIN)
WELCOME = Caller(subject="cw-welcome", role=Role.CASEWORKER, organisation_id="org-welcome")
ENGLISH = Caller(subject="cw-english", role=Role.CASEWORKER, organisation_id="org-english")
FORM = "signed form CF-0042"


@pytest.fixture
def people(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    small_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def _events(driver: Driver, database: str, ident: str) -> list[tuple[str, list[str], str | None]]:
    records, _, _ = driver.execute_query(
        "MATCH (:Person {id: $id})-[:HAS_CONSENT_EVENT]->(e) "
        "RETURN e.kind AS kind, e.scopes AS scopes, e.evidence AS evidence "
        "ORDER BY e.at, e.recorded_at",
        id=ident,
        database_=database,
    )
    return [(r["kind"], r["scopes"], r["evidence"]) for r in records]


def test_a_caseworker_may_not_share_a_person_with_another_organisation(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    with pytest.raises(ForbiddenError, match=r"^scopes\[1\]: 'share:org-english' would share"):
        record_consent(people, db, WELCOME, "p-1", ["matching", "share:org-english"],
                       evidence=FORM, source="graphql")  # fmt: skip
    assert _events(people, db, "p-1") == [("granted", ["matching", "share:org-welcome"], None)]
    assert personal_details(people, db, ENGLISH, ["p-1"]) == {}
    # An administrator may: the person asked for it, and the evidence says so.
    state = record_consent(people, db, ADMIN, "p-1", ["matching", "share:org-english"],
                           evidence=FORM, source="graphql")  # fmt: skip
    assert state.scopes == ("matching", "share:org-english")
    assert personal_details(people, db, ENGLISH, ["p-1"])["p-1"].name == "Amina Zephyrine"


def test_a_caseworker_must_keep_another_organisations_share_and_the_list_replaces(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    record_consent(people, db, ADMIN, "p-1", ["matching", "share:org-welcome",
                   "share:org-english"], evidence=FORM, source="cli")  # fmt: skip
    with pytest.raises(ForbiddenError, match="another organisation \\('share:org-english'\\)"):
        record_consent(people, db, WELCOME, "p-1", ["matching", "share:org-welcome"],
                       evidence=FORM, source="graphql")  # fmt: skip
    # Named, it stays; left out, "matching" goes: the list is the whole new set.
    state = record_consent(people, db, WELCOME, "p-1", ["referral", "share:org-english",
                           "share:org-welcome"], evidence=FORM, source="graphql")  # fmt: skip
    assert state.scopes == ("referral", "share:org-english", "share:org-welcome")


def test_after_a_withdrawal_or_erasure_only_an_administrator_grants_again(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    withdraw_consent(people, db, WELCOME, "p-1", source="graphql")
    erase_person(people, db, ENGLISH, "p-2", source="graphql")
    for caller, ident in ((WELCOME, "p-1"), (ENGLISH, "p-2")):
        with pytest.raises(ForbiddenError, match="^personId: the person's consent was withdrawn"
                           " \\(or they were erased\\) on .*only an administrator"):  # fmt: skip
            record_consent(people, db, caller, ident, ["share:" + str(caller.organisation_id)],
                           evidence=FORM, source="graphql")  # fmt: skip
        assert _events(people, db, ident)[-1][0] in {"withdrawn", "erased"}
    assert record_consent(people, db, ADMIN, "p-1", ["matching"], evidence=FORM,
                          source="graphql").current  # fmt: skip


def test_recording_consent_needs_evidence_which_is_stored_on_the_event(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    add_clem(people, db, tmp_path)
    for evidence, words in (("", "evidence: say what"), ("   ", "evidence: say what"),
                            ("x" * 201, "evidence: at most 200"),
                            ("form 1\nform 2", "evidence: one line")):  # fmt: skip
        with pytest.raises(InvalidInputError, match=words):
            record_consent(people, db, WELCOME, "p-3", ["share:org-welcome"], evidence=evidence,
                           source="graphql")  # fmt: skip
    assert _events(people, db, "p-3") == []
    # With evidence, a supporting caseworker records a first grant of their own share.
    record_consent(
        people,
        db,
        WELCOME,
        "p-3",
        ["share:org-welcome"],
        evidence=" verbal consent, noted at drop-in " + "x" * 160,
        source="graphql",
    )
    assert _events(people, db, "p-3") == [
        ("granted", ["share:org-welcome"], "verbal consent, noted at drop-in " + "x" * 160)
    ]


@pytest.mark.parametrize(
    ("scopes", "words"),
    [
        (["matching", ""], "scopes\\[1\\]: is empty"),
        (["matching", "care"], "scopes\\[1\\]: 'care' is not a scope; use matching, referral"),
        (["share:"], "scopes\\[0\\]: 'share:' is not a scope"),
        (["share:org a"], "scopes\\[0\\]: 'share:org a' is not a scope"),
        ([], "scopes: name at least one scope"),
    ],
)
def test_a_bad_scope_is_named_by_its_position(
    people: Driver, neo4j_settings: Neo4jSettings, scopes: list[str], words: str
) -> None:
    with pytest.raises(InvalidInputError, match=words):
        record_consent(people, neo4j_settings.database, ADMIN, "p-1", scopes, evidence=FORM,
                       source="graphql")  # fmt: skip


def test_a_caseworker_acts_only_for_people_of_their_places(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """Support by the caseworker's organisation is not enough when the person is in none
    of the token's places (an organisation working in two cities does not carry its
    caseworkers across): the person is then an unknown id, to every rights action."""
    db = neo4j_settings.database
    home = get_place_settings().default_place_id
    elsewhere = Caller(subject="cw-welcome-elsewhere", role=Role.CASEWORKER,
                       organisation_id="org-welcome", places=frozenset({"elsewhere"}))  # fmt: skip
    actions: list[Callable[[], object]] = [
        partial(withdraw_consent, people, db, elsewhere, "p-1", source="graphql"),
        partial(erase_person, people, db, elsewhere, "p-1", source="graphql"),
        partial(record_consent, people, db, elsewhere, "p-1", ["matching"], evidence=FORM,
                source="graphql"),
    ]  # fmt: skip
    for action in actions:
        with pytest.raises(NotFoundError, match=r"^personId: no person with id 'p-1'$"):
            action()
    assert _events(people, db, "p-1") == [("granted", ["matching", "share:org-welcome"], None)]
    at_home = Caller(subject="cw-welcome-home", role=Role.CASEWORKER,
                     organisation_id="org-welcome", places=frozenset({home}))  # fmt: skip
    assert withdraw_consent(people, db, at_home, "p-1", source="graphql").withdrawn_at
