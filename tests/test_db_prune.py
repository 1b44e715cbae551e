"""`assetbridge db prune`: revocations that protect nothing any more, and old idempotency
keys, are forgotten; those still needed stay (probe item: they were never pruned)."""

from __future__ import annotations

from neo4j import Driver
from typer.testing import CliRunner

from api.auth import get_auth_settings
from assetbridge.cli import app
from graph.services.revocations import token_revoked
from graph.settings import Neo4jSettings
from tests.loaders.conftest import cli_env  # noqa: F401 - a fixture

# Written as the product would have written them at those times.
OLD_AND_NEW = """
CREATE (:RevokedToken {jti: 'old', revoked_at: datetime() - duration({hours: $hours})}),
       (:RevokedToken {jti: 'new', revoked_at: datetime() - duration({minutes: 5})}),
       (:RevokedSubject {subject: 'gone', revoked_at: datetime() - duration({hours: $hours}),
                         revoked_before: datetime().epochSeconds - $hours * 3600}),
       (:RevokedSubject {subject: 'recent', revoked_at: datetime(),
                         revoked_before: datetime().epochSeconds - 60}),
       (:IdempotencyKey {id: 'a:old', at: datetime() - duration({days: 8})}),
       (:IdempotencyKey {id: 'a:new', at: datetime() - duration({days: 6})})
"""
LEFT = """
CALL () { MATCH (t:RevokedToken) RETURN collect(t.jti) AS tokens }
CALL () { MATCH (s:RevokedSubject) RETURN collect(s.subject) AS subjects }
CALL () { MATCH (k:IdempotencyKey) RETURN collect(k.id) AS keys }
RETURN tokens, subjects, keys
"""


def test_prune_forgets_what_protects_nothing_and_keeps_the_rest(
    clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: None,  # noqa: F811
) -> None:  # fmt: skip
    db = neo4j_settings.database
    lifetime_h = get_auth_settings().max_token_lifetime_s // 3600
    clean_db.execute_query(OLD_AND_NEW, hours=lifetime_h + 1, database_=db)
    result = CliRunner().invoke(app, ["db", "prune"])
    assert result.exit_code == 0, result.output
    assert "pruned 1 token and 1 subject revocation(s), 1 idempotency key(s)" in result.output
    left = clean_db.execute_query(LEFT, database_=db).records[0]
    assert (left["tokens"], left["subjects"], left["keys"]) == (["new"], ["recent"], ["a:new"])
    # What stays still refuses: a token revoked five minutes ago, or issued before its
    # subject's revocation, may still be within its lifetime.
    assert token_revoked(clean_db, db, "new", "someone", 0)
    assert token_revoked(clean_db, db, "any", "recent", issued_at=0)
    events = clean_db.execute_query(
        "MATCH (e:AuditEvent {operation: 'prune_expired'}) RETURN e.detail AS detail",
        database_=db,
    ).records
    assert [e["detail"] for e in events] == [
        "revoked_tokens=1 revoked_subjects=1 idempotency_keys=1"
    ]
