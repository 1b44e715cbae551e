"""Idempotency keys: a mutation's first result, kept so a retry repeats nothing.

MERGE under the uniqueness constraint on ``IdempotencyKey.id`` makes a second
attempt with the same key wait for the first to commit, then find its key.
"""

CLAIM_IDEMPOTENCY_KEY = """
MERGE (k:IdempotencyKey {id: $id})
ON CREATE SET k.fresh = true,
              k.operation = $operation,
              k.request_hash = $request_hash,
              k.at = datetime()
ON MATCH SET k.fresh = false
RETURN k.fresh AS fresh,
       k.operation AS operation,
       k.request_hash AS request_hash,
       k.result AS result
"""

STORE_IDEMPOTENT_RESULT = """
MATCH (k:IdempotencyKey {id: $id})
SET k.result = $result
REMOVE k.fresh
"""
