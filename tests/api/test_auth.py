"""Signing in: bearer tokens, API keys, and what a bad credential gets."""

from __future__ import annotations

import os
import subprocess
import sys

import jwt
from fastapi.testclient import TestClient
from neo4j import Driver

from api.auth import get_auth_settings, issue_token
from graph.access import Caller, Role
from graph.services.api_keys import issue_api_key, revoke_api_key
from graph.settings import Neo4jSettings

AREAS = {"query": "{ areas(first: 1) { totalCount } }"}
ADMIN = Caller("test-admin", Role.ADMIN)


def _code(response_json: dict[str, object]) -> object:
    return response_json["errors"][0]["extensions"]["code"]  # type: ignore[index]


def test_an_api_key_signs_in_with_its_role_until_revoked(
    clean_db: Driver, neo4j_settings: Neo4jSettings, anonymous_client: TestClient
) -> None:
    info, key = issue_api_key(clean_db, neo4j_settings.database, "nightly", Role.LOADER,
                              caller=ADMIN)  # fmt: skip
    # A loader may not read the place...
    refused = anonymous_client.post("/graphql", json=AREAS, headers={"X-API-Key": key}).json()
    assert _code(refused) == "FORBIDDEN"
    # ...but an analyst's key may.
    _, analyst_key = issue_api_key(clean_db, neo4j_settings.database, "notebook", Role.ANALYST,
                                   caller=ADMIN)  # fmt: skip
    ok = anonymous_client.post("/graphql", json=AREAS, headers={"X-API-Key": analyst_key}).json()
    assert ok == {"data": {"areas": {"totalCount": 0}}}
    assert revoke_api_key(clean_db, neo4j_settings.database, info.id, caller=ADMIN)
    revoked = anonymous_client.post("/graphql", json=AREAS, headers={"X-API-Key": key}).json()
    assert _code(revoked) == "UNAUTHENTICATED"
    stored, _, _ = clean_db.execute_query(
        "MATCH (k:ApiKey) RETURN k.key_hash AS h", database_=neo4j_settings.database
    )
    assert key not in {r["h"] for r in stored}


def test_bad_and_expired_tokens_are_refused(clean_db: Driver, anonymous_client: TestClient) -> None:
    settings = get_auth_settings()
    expired = issue_token(settings, "old", Role.ANALYST, ttl_s=-10)
    forged = jwt.encode({"sub": "x", "role": "admin", "iss": "assetbridge", "iat": 0, "exp": 2**40},
                        "not-the-secret-but-long-enough-for-hs256!", algorithm="HS256")  # fmt: skip
    for token, message in ((expired, "the token has expired"), (forged, "the token is not valid")):
        body = anonymous_client.post(
            "/graphql", json=AREAS, headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert _code(body) == "UNAUTHENTICATED"
        assert body["errors"][0]["message"] == message
    nobody = anonymous_client.post("/graphql", json=AREAS).json()
    assert _code(nobody) == "UNAUTHENTICATED"
    info = anonymous_client.post("/graphql", json={"query": "{ serviceInfo { name } }"}).json()
    assert info == {"data": {"serviceInfo": {"name": "assetbridge"}}}


def test_the_cli_issues_tokens_the_api_accepts(
    clean_db: Driver, anonymous_client: TestClient
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assetbridge", "auth", "token", "--role", "place_leader",
         "--subject", "leader"],
        capture_output=True, text=True, env=dict(os.environ), check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    body = anonymous_client.post(
        "/graphql", json=AREAS, headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert body == {"data": {"areas": {"totalCount": 0}}}
    caseworker = subprocess.run(
        [sys.executable, "-m", "assetbridge", "auth", "token", "--role", "caseworker"],
        capture_output=True, text=True, env=dict(os.environ), check=False, timeout=60,
    )  # fmt: skip
    assert caseworker.returncode == 1
    assert "needs the caseworker's organisation" in caseworker.stderr
