"""Tokens and API keys carry the places their holder may see (issue 15): issued with
``places`` (the default place when left out; every place only for an administrator),
read back into ``Caller.places``, and refused naming the claim or option when they name
no place or something that is not a place id."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.auth import ALGORITHM, AuthError, get_auth_settings, issue_token, read_token
from graph.access import Caller, Role
from graph.cypher import api_keys as q
from graph.services.api_keys import caller_for_key, issue_api_key
from graph.settings import Neo4jSettings, get_place_settings

AREAS = {"query": "{ areas(first: 1) { totalCount } }"}
OK = {"data": {"areas": {"totalCount": 0}}}
ADMIN = Caller("test-admin", Role.ADMIN)
ISSUED = (
    "MATCH (e:AuditEvent {operation: 'issue_api_key'}) RETURN e.detail AS detail ORDER BY e.seq"
)
KEYS_AND_EVENTS = """
MATCH (n) WHERE n:ApiKey OR n:AuditEvent
RETURN labels(n)[0] AS label, n.places AS places ORDER BY label
"""


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _signed(**claims: Any) -> str:
    now = int(time.time())
    base = {"sub": "mallory", "iss": "assetbridge", "iat": now, "exp": now + 60, "jti": "p1"}
    secret = get_auth_settings().secret.get_secret_value()
    return jwt.encode({**base, **claims}, secret, algorithm=ALGORITHM)


def test_a_token_carries_its_places_to_the_caller() -> None:
    settings = get_auth_settings()
    token = issue_token(settings, "lee", Role.PLACE_LEADER, places=["leeds", "bradford"])
    assert _claims(token)["places"] == ["bradford", "leeds"]
    assert read_token(settings, token).caller.places == frozenset({"bradford", "leeds"})
    # Left out: the default place for every role but an administrator, who sees every place.
    default = issue_token(settings, "ann", Role.ANALYST)
    assert _claims(default)["places"] == [get_place_settings().default_place_id]
    admin = issue_token(settings, "root", Role.ADMIN)
    assert "places" not in _claims(admin)
    assert read_token(settings, admin).caller.places is None
    # An administrator's token may be narrowed to places too.
    narrowed = issue_token(settings, "root", Role.ADMIN, places=["york"])
    assert read_token(settings, narrowed).caller.places == frozenset({"york"})


@pytest.mark.parametrize(
    ("places", "message"),
    [
        ([], "places: names no place (every role but admin needs one at least)"),
        (["leeds", "Leeds"], "places: 'Leeds' is not a place id"),
        (["leeds;DROP"], "places: 'leeds;DROP' is not a place id"),
        (["x" * 65], f"places: {'x' * 65!r} is not a place id"),
    ],
)
def test_issuing_a_token_refuses_bad_places(places: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        issue_token(get_auth_settings(), "lee", Role.PLACE_LEADER, places=places)


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"role": "place_leader"}, "the token's places claim: names no place (every role "
         "but admin needs one at least)"),
        ({"role": "analyst", "places": []}, "the token's places claim: names no place"),
        ({"role": "caseworker", "org": "org-a", "places": ["Leeds"]},
         "the token's places claim: 'Leeds' is not a place id"),
        ({"role": "analyst", "places": "leeds"},
         "the token's places claim: is not a list of place ids"),
        ({"role": "analyst", "places": [7]}, "the token's places claim: 7 is not a place id"),
    ],
)  # fmt: skip
def test_a_token_naming_no_place_or_a_bad_one_is_refused(
    claims: dict[str, Any], message: str
) -> None:
    with pytest.raises(AuthError) as refused:
        read_token(get_auth_settings(), _signed(**claims))
    assert str(refused.value).startswith(message)


def test_a_refused_places_claim_reaches_the_caller_as_unauthenticated(
    clean_db: Driver, anonymous_client: TestClient
) -> None:
    no_places = _signed(role="place_leader")
    body = anonymous_client.post(
        "/graphql", json=AREAS, headers={"Authorization": f"Bearer {no_places}"}
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["message"].startswith("the token's places claim: names no place")
    assert "Traceback" not in str(body)
    # An administrator's token naming none sees every place; a leader's naming one is taken.
    for token in (_signed(role="admin"), _signed(role="place_leader", places=["leeds"])):
        headers = {"Authorization": f"Bearer {token}"}
        assert anonymous_client.post("/graphql", json=AREAS, headers=headers).json() == OK


def test_an_api_key_is_stored_with_its_places_and_signs_them_in(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    info, key = issue_api_key(clean_db, db, "notebook", Role.ANALYST, caller=ADMIN,
                              places=["leeds", "bradford"])  # fmt: skip
    assert info.places == ["bradford", "leeds"]
    caller = caller_for_key(clean_db, db, key)
    assert caller is not None
    assert (caller.role, caller.via, caller.places) == (
        Role.ANALYST, "api_key", frozenset({"bradford", "leeds"})
    )  # fmt: skip
    _, default_key = issue_api_key(clean_db, db, "nightly", Role.LOADER, caller=ADMIN)
    default = caller_for_key(clean_db, db, default_key)
    assert default is not None
    assert default.places == frozenset({get_place_settings().default_place_id})
    _, admin_key = issue_api_key(clean_db, db, "ops", Role.ADMIN, caller=ADMIN)
    admin = caller_for_key(clean_db, db, admin_key)
    assert admin is not None
    assert admin.places is None
    # The audit record says what each key may see.
    records, _, _ = clean_db.execute_query(ISSUED, database_=db)
    assert [r["detail"] for r in records] == [
        "analyst places=bradford,leeds",
        f"loader places={get_place_settings().default_place_id}",
        "admin places=all",
    ]


def test_an_api_key_with_bad_places_is_refused_and_nothing_is_written(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    with pytest.raises(ValueError, match="places: 'Leeds City' is not a place id"):
        issue_api_key(clean_db, db, "bad", Role.ANALYST, caller=ADMIN, places=["Leeds City"])
    with pytest.raises(ValueError, match="places: names no place"):
        issue_api_key(clean_db, db, "none", Role.CASEWORKER, "org-a", caller=ADMIN, places=[])
    records, _, _ = clean_db.execute_query(KEYS_AND_EVENTS, database_=db)
    assert records == []


def test_a_stored_key_is_read_by_the_same_rules(
    clean_db: Driver, neo4j_settings: Neo4jSettings, anonymous_client: TestClient
) -> None:
    db = neo4j_settings.database

    def stored(role: Role, places: list[str] | None, key: str) -> None:
        clean_db.execute_query(q.CREATE_API_KEY, id=key, key_hash=_hash(key), name=key,
                               role=role.value, organisation_id=None, places=places,
                               database_=db)  # fmt: skip

    # A key issued before places had none stored: it sees the default place, where
    # migration 0010 put everything it saw then.
    stored(Role.ANALYST, None, "ab_before-places")
    before = caller_for_key(clean_db, db, "ab_before-places")
    assert before is not None
    assert before.places == frozenset({get_place_settings().default_place_id})
    # An empty or bad list (never issued so; written by hand) is refused, naming the field.
    stored(Role.ANALYST, [], "ab_emptied")
    stored(Role.PLACE_LEADER, ["Leeds"], "ab_misspelt")
    for key, message in (
        ("ab_emptied", "the API key's places: names no place"),
        ("ab_misspelt", "the API key's places: 'Leeds' is not a place id"),
    ):
        with pytest.raises(ValueError, match=message):
            caller_for_key(clean_db, db, key)
        body = anonymous_client.post("/graphql", json=AREAS, headers={"X-API-Key": key}).json()
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert body["errors"][0]["message"].startswith(message)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
