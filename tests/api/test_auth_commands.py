"""`assetbridge auth key|revoke|revoke-token|revoke-subject` against the real Neo4j: each
change is refused or taken with its audit record, and takes effect on the next request."""

from __future__ import annotations

import os
import subprocess
import sys

from fastapi.testclient import TestClient
from neo4j import Driver

from api.auth import get_auth_settings, issue_token, read_token
from graph.access import Role
from graph.services.api_keys import caller_for_key
from graph.settings import Neo4jSettings

AREAS = {"query": "{ areas(first: 1) { totalCount } }"}
OK = {"data": {"areas": {"totalCount": 0}}}
AUDIT = """
MATCH (e:AuditEvent)
RETURN e.operation AS op, e.target_ids AS ids, e.subject AS subject, e.role AS role
ORDER BY e.seq
"""
KEYS_AND_EVENTS = """
MATCH (n) WHERE n:ApiKey OR n:AuditEvent
RETURN labels(n)[0] AS label, n.places AS places ORDER BY label
"""


def _cli(settings: Neo4jSettings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password.get_secret_value(),
        "NEO4J_DATABASE": settings.database,
    }
    return subprocess.run(
        [sys.executable, "-m", "assetbridge", "auth", *args],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip


def _status(client: TestClient, headers: dict[str, str]) -> object:
    body = client.post("/graphql", json=AREAS, headers=headers).json()
    return body if "data" in body and body["data"] else body["errors"][0]["message"]


def test_tokens_are_revoked_by_id_or_by_subject_from_the_command_line(
    clean_db: Driver, neo4j_settings: Neo4jSettings, anonymous_client: TestClient
) -> None:
    settings = get_auth_settings()
    one, other = (issue_token(settings, "dana", Role.ANALYST) for _ in range(2))
    eve = issue_token(settings, "eve", Role.ANALYST)
    jti = read_token(settings, one).jti

    by_id = _cli(neo4j_settings, "revoke-token", jti)
    assert by_id.returncode == 0, by_id.stderr
    assert _status(anonymous_client, {"Authorization": f"Bearer {one}"}) == (
        "the token has been revoked"
    )
    assert _status(anonymous_client, {"Authorization": f"Bearer {other}"}) == OK

    # The whole token may be given instead of its id.
    by_token = _cli(neo4j_settings, "revoke-token", other)
    assert by_token.returncode == 0, by_token.stderr
    assert _status(anonymous_client, {"Authorization": f"Bearer {other}"}) == (
        "the token has been revoked"
    )

    by_subject = _cli(neo4j_settings, "revoke-subject", "eve")
    assert by_subject.returncode == 0, by_subject.stderr
    assert _status(anonymous_client, {"Authorization": f"Bearer {eve}"}) == (
        "the token has been revoked"
    )

    records, _, _ = clean_db.execute_query(AUDIT, database_=neo4j_settings.database)
    assert [(r["op"], r["ids"], r["role"]) for r in records] == [
        ("revoke_token", [jti], "admin"),
        ("revoke_token", [read_token(settings, other).jti], "admin"),
        ("revoke_subject", ["eve"], "admin"),
    ]
    assert all(str(r["subject"]).startswith("cli:") for r in records)


def test_a_token_not_signed_here_cannot_be_given_to_revoke_token(
    neo4j_settings: Neo4jSettings,
) -> None:
    foreign = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2lnbmF0dXJl"
    result = _cli(neo4j_settings, "revoke-token", foreign)
    assert result.returncode == 1
    assert "the token is not valid" in result.stderr
    assert "Traceback" not in result.stderr


def test_api_keys_are_issued_and_revoked_with_their_audit_record(
    clean_db: Driver, neo4j_settings: Neo4jSettings, anonymous_client: TestClient
) -> None:
    issued = _cli(neo4j_settings, "key", "--role", "analyst", "--name", "notebook")
    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.strip().splitlines()[-1]
    assert _status(anonymous_client, {"X-API-Key": key}) == OK
    key_id = issued.stdout.split("key id ", 1)[1].split()[0]

    revoked = _cli(neo4j_settings, "revoke", key_id)
    assert revoked.returncode == 0, revoked.stderr
    assert _status(anonymous_client, {"X-API-Key": key}) == "the API key is not valid"
    unknown = _cli(neo4j_settings, "revoke", "no-such-key")
    assert unknown.returncode == 1
    assert "no API key with id 'no-such-key'" in unknown.stderr

    caseworker = _cli(neo4j_settings, "key", "--role", "caseworker", "--name", "desk")
    assert caseworker.returncode == 1
    assert "needs the caseworker's organisation" in caseworker.stderr

    records, _, _ = clean_db.execute_query(AUDIT, database_=neo4j_settings.database)
    # The unknown key and the refused caseworker key wrote nothing, audit included.
    assert [(r["op"], r["ids"]) for r in records] == [
        ("issue_api_key", [key_id]),
        ("revoke_api_key", [key_id]),
    ]
    assert key not in str(records)


def test_the_command_line_refuses_a_token_longer_than_the_maximum(
    neo4j_settings: Neo4jSettings,
) -> None:
    result = _cli(neo4j_settings, "token", "--role", "analyst", "--ttl-hours", "9")
    assert result.returncode == 1
    assert "a token may live at most 8 hours" in result.stderr
    assert result.stdout == ""


def test_the_command_line_takes_places_and_refuses_bad_ones_naming_the_option(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    token = _cli(neo4j_settings, "token", "--role", "place_leader", "--place", "leeds",
                 "--place", "bradford")  # fmt: skip
    assert token.returncode == 0, token.stderr
    caller = read_token(get_auth_settings(), token.stdout.strip()).caller
    assert caller.places == frozenset({"bradford", "leeds"})

    key = _cli(neo4j_settings, "key", "--role", "analyst", "--name", "notebook",
               "--place", "leeds")  # fmt: skip
    assert key.returncode == 0, key.stderr
    assert "(analyst; leeds)" in key.stdout
    key_caller = caller_for_key(clean_db, db, key.stdout.strip().splitlines()[-1])
    assert key_caller is not None
    assert key_caller.places == frozenset({"leeds"})

    for command in (("token", "--role", "analyst"), ("key", "--role", "analyst", "--name", "x")):
        refused = _cli(neo4j_settings, *command, "--place", "leeds", "--place", "Leeds City")
        assert refused.returncode == 1, command
        assert "--place: 'Leeds City' is not a place id" in refused.stderr, command
        assert "Traceback" not in refused.stderr
        assert refused.stdout == ""
    records, _, _ = clean_db.execute_query(KEYS_AND_EVENTS, database_=db)
    # The one key issued and its audit event; the refused key wrote nothing.
    assert [(r["label"], r["places"]) for r in records] == [
        ("ApiKey", ["leeds"]),
        ("AuditEvent", None),
    ]
