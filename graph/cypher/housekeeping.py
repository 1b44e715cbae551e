"""Forgetting what no longer protects anything: revocations of tokens that have expired
anyway, and idempotency keys past any client's retry.

A token lives at most the auth settings' maximum lifetime from its issue, and is issued
before it is revoked; so once that long has passed since a revocation, every token it
refuses has expired and the revocation can go. Subject revocations likewise, counted from
the moment they cover.
"""

PRUNE_REVOKED_TOKENS = """
MATCH (t:RevokedToken)
WHERE t.revoked_at < datetime() - duration({seconds: $max_lifetime_s})
DELETE t
RETURN count(*) AS pruned
"""

PRUNE_REVOKED_SUBJECTS = """
MATCH (s:RevokedSubject)
WHERE s.revoked_before < datetime().epochSeconds - $max_lifetime_s
DELETE s
RETURN count(*) AS pruned
"""

PRUNE_IDEMPOTENCY_KEYS = """
MATCH (k:IdempotencyKey)
WHERE k.at < datetime() - duration({days: $keep_days})
DELETE k
RETURN count(*) AS pruned
"""
