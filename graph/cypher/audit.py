"""The append-only audit log: who did what to which ids, never the values.

Events form a hash chain: each carries ``seq``, the previous event's hash and its
own. The single ``AuditChainHead`` node holds the last ``seq`` and hash; an append
writes to it first, which takes its write lock, so concurrent writers serialise
on the chain head inside their own transactions.

There is deliberately no query here that deletes an audit event, and the only
one that updates events is the migration chaining in those written before the
chain existed.
"""

from typing import LiteralString

# Writing to the head takes its lock before its properties are read, so the seq
# and hash returned are the last committed ones (Neo4j's documented way to avoid
# lost updates under read-committed isolation).
LOCK_AUDIT_CHAIN_HEAD = """
MERGE (h:AuditChainHead {id: 'audit'})
ON CREATE SET h.seq = 0, h.hash = ''
SET h.locked = true
RETURN h.seq AS seq, h.hash AS hash
"""

APPEND_AUDIT_EVENT = """
MATCH (h:AuditChainHead {id: 'audit'})
CREATE (e:AuditEvent {
  id: $id,
  at: $at,
  subject: $subject,
  role: $role,
  organisation_id: $organisation_id,
  operation: $operation,
  target_ids: $target_ids,
  detail: $detail,
  seq: $seq,
  prev_hash: $prev_hash,
  hash: $hash
})
SET h.seq = $seq,
    h.hash = $hash
REMOVE h.locked
"""

AUDIT_EVENTS_PAGE = """
MATCH (e:AuditEvent)
WHERE $after_at IS NULL OR e.at < $after_at OR (e.at = $after_at AND e.id < $after_id)
RETURN e {
  .id, .at, .subject, .role, .organisation_id, .operation, .target_ids, .detail,
  .seq, .hash
} AS event
ORDER BY e.at DESC, e.id DESC
LIMIT $limit
"""

AUDIT_EVENTS_ALL = """
MATCH (e:AuditEvent)
RETURN e {
  .id, .at, .subject, .role, .organisation_id, .operation, .target_ids, .detail,
  .seq, .prev_hash, .hash
} AS event
ORDER BY e.seq, e.at, e.id
"""

# Migration 0006: one chain head, one event per seq, one key per idempotent request.
AUDIT_CHAIN_CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT audit_chain_head_id IF NOT EXISTS "
    "FOR (n:AuditChainHead) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.seq IS UNIQUE",
    "CREATE CONSTRAINT idempotency_key_id IF NOT EXISTS "
    "FOR (n:IdempotencyKey) REQUIRE n.id IS UNIQUE",
)

# Events written before the chain existed, oldest first, a page at a time.
UNCHAINED_AUDIT_EVENTS = """
MATCH (e:AuditEvent)
WHERE e.seq IS NULL
RETURN e {.id, .at, .subject, .role, .organisation_id, .operation, .target_ids, .detail} AS event
ORDER BY e.at, e.id
LIMIT $limit
"""

CHAIN_AUDIT_EVENTS = """
UNWIND $rows AS row
MATCH (e:AuditEvent {id: row.id})
SET e.seq = row.seq,
    e.prev_hash = row.prev_hash,
    e.hash = row.hash
WITH count(e) AS chained
MATCH (h:AuditChainHead {id: 'audit'})
SET h.seq = $seq,
    h.hash = $hash
REMOVE h.locked
"""

AUDIT_CHAIN_HEAD = """
OPTIONAL MATCH (h:AuditChainHead {id: 'audit'})
RETURN coalesce(h.seq, 0) AS seq, coalesce(h.hash, '') AS hash
"""

# Every event up to the head as it was read, in chain order (events appended while
# a check runs are left for the next); any without a seq (outside the chain) last.
AUDIT_EVENTS_IN_CHAIN_ORDER = """
MATCH (e:AuditEvent)
WHERE e.seq IS NULL OR e.seq <= $upto
RETURN e {
  .id, .at, .subject, .role, .organisation_id, .operation, .target_ids, .detail,
  .seq, .prev_hash, .hash
} AS event
ORDER BY e.seq
"""

# The newest change journalled. Every write appends its event and its change under one
# seq, so a change past the chain head means events were removed from the end with the
# head moved back to match. Read before the head: writes landing between the two reads
# only move the head further on.
JOURNAL_LAST_SEQ = """
MATCH (c:Change)
WHERE c.seq IS NOT NULL
RETURN c.seq AS last
ORDER BY c.seq DESC
LIMIT 1
"""

# The database's own id, which the audit witness is kept under.
DATABASE_ID = """
CALL db.info()
YIELD id
RETURN id
"""
