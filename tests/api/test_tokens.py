"""Bearer tokens: a maximum lifetime, a unique id, an organisation for caseworkers, and
revocation by token id or by subject, checked on every request against the real Neo4j."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.auth import ALGORITHM, AuthError, get_auth_settings, issue_token, read_token
from graph.access import Caller, Role
from graph.services import audit, revocations
from graph.services.revocations import revoke_subject, revoke_token
from graph.settings import Neo4jSettings

AREAS = {"query": "{ areas(first: 1) { totalCount } }"}
OK = {"data": {"areas": {"totalCount": 0}}}
ADMIN = Caller("test-admin", Role.ADMIN)
AUDIT_OPERATIONS = (
    "MATCH (e:AuditEvent) RETURN e.operation AS op, e.target_ids AS ids ORDER BY e.seq"
)


def _signed(**claims: Any) -> str:
    """A token signed with the app's own secret, with exactly these claims."""
    base = {"sub": "mallory", "role": "admin", "iss": "assetbridge"}
    settings = get_auth_settings()
    return jwt.encode({**base, **claims}, settings.secret.get_secret_value(), algorithm=ALGORITHM)


def _ask(client: TestClient, token: str) -> Any:
    return client.post("/graphql", json=AREAS, headers={"Authorization": f"Bearer {token}"}).json()


def _refusal(body: Any) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


def test_a_well_signed_token_past_the_maximum_lifetime_is_refused(
    clean_db: Driver, anonymous_client: TestClient
) -> None:
    now = int(time.time())
    limit = get_auth_settings().max_token_lifetime_s
    assert limit == 8 * 3600
    cases = {
        "a year": _signed(iat=now, exp=now + 365 * 86400, jti="j1"),
        "one second too long": _signed(iat=now, exp=now + limit + 1, jti="j2"),
        "no expiry": _signed(iat=now, jti="j3"),
        "no issue time": _signed(exp=now + 60, jti="j4"),
        "no id": _signed(iat=now, exp=now + 60),
    }
    for case, token in cases.items():
        code, message = _refusal(_ask(anonymous_client, token))
        assert code == "UNAUTHENTICATED", case
        assert "lifetime" in message or message == "the token is not valid", (case, message)
    # The longest allowed lifetime is accepted.
    assert _ask(anonymous_client, _signed(iat=now, exp=now + limit, jti="j5")) == OK


def test_issuing_refuses_a_lifetime_past_the_maximum() -> None:
    with pytest.raises(ValueError, match="at most 8 hours"):
        issue_token(get_auth_settings(), "alice", Role.ANALYST, ttl_s=8 * 3600 + 1)


def test_every_token_has_its_own_id() -> None:
    settings = get_auth_settings()
    tokens = [issue_token(settings, "alice", Role.ANALYST) for _ in range(50)]
    ids = {read_token(settings, token).jti for token in tokens}
    assert len(ids) == 50


def test_a_caseworker_token_without_an_organisation_is_refused(
    clean_db: Driver, anonymous_client: TestClient
) -> None:
    with pytest.raises(ValueError, match="needs the caseworker's organisation"):
        issue_token(get_auth_settings(), "carol", Role.CASEWORKER)
    now = int(time.time())
    forged = _signed(role="caseworker", iat=now, exp=now + 60, jti="c1")
    assert _refusal(_ask(anonymous_client, forged)) == (
        "UNAUTHENTICATED",
        "a caseworker token must name an organisation",
    )
    with pytest.raises(AuthError):
        read_token(get_auth_settings(), _signed(role="caseworker", org="", iat=now, exp=now + 60,
                                                jti="c2"))  # fmt: skip
    with_org = _signed(role="caseworker", org="org-a", places=["home"], iat=now, exp=now + 60,
                       jti="c3")  # fmt: skip
    assert _ask(anonymous_client, with_org) == OK


def test_a_revoked_token_is_refused_from_the_next_request(
    clean_db: Driver, neo4j_settings: Neo4jSettings, anonymous_client: TestClient
) -> None:
    settings = get_auth_settings()
    first = issue_token(settings, "alice", Role.ANALYST)
    second = issue_token(settings, "alice", Role.ANALYST)
    assert _ask(anonymous_client, first) == OK
    revoke_token(clean_db, neo4j_settings.database, ADMIN, read_token(settings, first).jti)
    assert _refusal(_ask(anonymous_client, first)) == (
        "UNAUTHENTICATED",
        "the token has been revoked",
    )
    # Only that token: the same subject's other token still works.
    assert _ask(anonymous_client, second) == OK
    records, _, _ = clean_db.execute_query(AUDIT_OPERATIONS, database_=neo4j_settings.database)
    assert [(r["op"], r["ids"]) for r in records] == [
        ("revoke_token", [read_token(settings, first).jti])
    ]


def test_revoking_a_subject_refuses_its_earlier_tokens_only(
    clean_db: Driver, neo4j_settings: Neo4jSettings, anonymous_client: TestClient
) -> None:
    settings = get_auth_settings()
    alices = [issue_token(settings, "alice", Role.ANALYST) for _ in range(3)]
    bob = issue_token(settings, "bob", Role.ANALYST)
    revoked_before = revoke_subject(clean_db, neo4j_settings.database, ADMIN, "alice")
    for token in alices:
        assert _refusal(_ask(anonymous_client, token)) == (
            "UNAUTHENTICATED",
            "the token has been revoked",
        )
    assert _ask(anonymous_client, bob) == OK
    # A token issued in a later second than the revocation is accepted again (the wait
    # only moves the clock on; nothing is timed).
    while int(time.time()) <= revoked_before:
        time.sleep(0.05)
    assert _ask(anonymous_client, issue_token(settings, "alice", Role.ANALYST)) == OK
    records, _, _ = clean_db.execute_query(AUDIT_OPERATIONS, database_=neo4j_settings.database)
    assert [(r["op"], r["ids"]) for r in records] == [("revoke_subject", ["alice"])]


def test_a_revocation_and_its_audit_record_commit_together(
    clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def audit_fails(*_: object, **__: object) -> None:
        raise RuntimeError("audit write failed")

    # Both names: the service's own, and the one a separate audit write would go through.
    monkeypatch.setattr(revocations, "audit_in_transaction", audit_fails)
    monkeypatch.setattr(audit, "audit_in_transaction", audit_fails)
    with pytest.raises(RuntimeError, match="audit write failed"):
        revoke_token(clean_db, neo4j_settings.database, ADMIN, "jti-1")
    with pytest.raises(RuntimeError, match="audit write failed"):
        revoke_subject(clean_db, neo4j_settings.database, ADMIN, "alice")
    records, _, _ = clean_db.execute_query(
        "MATCH (n) WHERE n:RevokedToken OR n:RevokedSubject RETURN count(n) AS n",
        database_=neo4j_settings.database,
    )
    assert records[0]["n"] == 0
