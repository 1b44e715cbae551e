"""Emptying a graph: every node of the place, none of the service's own records.

What stays: the schema's bookkeeping, the audit log (the record that the reset happened,
and of what came before) and its change journal (which tells readers to start again) and credentials (API keys, revoked tokens and subjects), which
are about who may use the service, not about the place. Idempotency keys go: they name
writes to data that is gone.
"""

# One batch a transaction, so that a reset of a large graph neither holds it all in one
# transaction's memory nor leaves a deletion without its audit event.
DELETE_GRAPH_BATCH = """
MATCH (n)
WHERE NOT (n:SchemaMigration OR n:AuditEvent OR n:AuditChainHead OR n:Change OR n:ApiKey
  OR n:RevokedToken OR n:RevokedSubject)
WITH n LIMIT $batch
WITH collect(n) AS batch
WITH batch, [n IN batch WHERE n:Person | n.id] AS people
FOREACH (n IN batch | DETACH DELETE n)
RETURN size(batch) AS deleted, people
"""

COUNT_RESETTABLE_NODES = """
MATCH (n)
WHERE NOT (n:SchemaMigration OR n:AuditEvent OR n:AuditChainHead OR n:Change OR n:ApiKey
  OR n:RevokedToken OR n:RevokedSubject)
RETURN count(n) AS nodes
"""
