"""The append-only audit log: who did what to which ids, never the values.

Events form a hash chain: each carries ``seq``, the previous event's hash and its
own. The single ``AuditChainHead`` node holds the last ``seq`` and hash; an append
writes to it first, which takes its write lock, so concurrent writers serialise
on the chain head inside their own transactions.

There is deliberately no query here that updates or deletes an audit event.
"""

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
RETURN e {.id, .at, .subject, .role, .organisation_id, .operation, .target_ids, .detail} AS event
ORDER BY e.at DESC, e.id DESC
LIMIT $limit
"""

AUDIT_EVENTS_ALL = """
MATCH (e:AuditEvent)
RETURN e {.id, .at, .subject, .role, .organisation_id, .operation, .target_ids, .detail} AS event
ORDER BY e.at, e.id
"""
