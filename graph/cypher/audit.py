"""The append-only audit log: who did what to which ids, never the values.

There is deliberately no query here that updates or deletes an audit event.
"""

RECORD_AUDIT_EVENT = """
CREATE (e:AuditEvent {
  id: $id,
  at: datetime(),
  subject: $subject,
  role: $role,
  organisation_id: $organisation_id,
  operation: $operation,
  target_ids: $target_ids,
  detail: $detail
})
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
