"""Revoked bearer tokens: one token by its id (``jti``), or every token of a subject
issued up to a moment. Checked on every request, so each check is one indexed lookup
per kind."""

from typing import LiteralString

REVOCATION_CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT revoked_token_jti IF NOT EXISTS FOR (n:RevokedToken) REQUIRE n.jti IS UNIQUE",
    "CREATE CONSTRAINT revoked_subject_subject IF NOT EXISTS FOR (n:RevokedSubject) REQUIRE n.subject IS UNIQUE",
)

# A second revocation of the same token keeps the first one's time.
REVOKE_TOKEN = """
MERGE (t:RevokedToken {jti: $jti})
ON CREATE SET t.revoked_at = datetime()
RETURN t.revoked_at AS revoked_at
"""

# Whole seconds, as a token's iat is: a token issued in the second of the revocation is
# refused too, which errs the safe way. The moment only ever moves later.
REVOKE_SUBJECT = """
MERGE (s:RevokedSubject {subject: $subject})
WITH s, datetime() AS now
SET s.revoked_at = now,
    s.revoked_before = CASE
      WHEN s.revoked_before IS NULL OR s.revoked_before < now.epochSeconds THEN now.epochSeconds
      ELSE s.revoked_before
    END
RETURN s.revoked_before AS revoked_before
"""

TOKEN_REVOKED = """
OPTIONAL MATCH (t:RevokedToken {jti: $jti})
OPTIONAL MATCH (s:RevokedSubject {subject: $subject})
RETURN t IS NOT NULL OR coalesce(s.revoked_before >= $issued_at, false) AS revoked
"""
