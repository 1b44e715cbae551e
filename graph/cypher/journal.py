"""The change journal: one ``Change`` a committed write, under the audit chain's ``seq``.

Every write of the product appends its audit event with the chain head's lock held
(``graph.cypher.audit``), so ``seq`` is gap-free and in commit order; the ``Change``
written beside the event carries the same ``seq``. A reader that has seen ``seq`` N
asks for everything after N in one range read of the ``seq`` index.

Unlike audit events, changes are pruned: see ``PRUNE_CHANGES``.
"""

from typing import LiteralString

APPEND_CHANGE = """
CREATE (:Change {seq: $seq, at: datetime(), kinds: $kinds, ids: $ids, whole: $whole})
"""

# The journal's head (the audit chain head's seq) and the changes after $after up to
# it, oldest first; at most $limit of them (a reader further behind rereads whole).
CHANGES_SINCE = """
OPTIONAL MATCH (h:AuditChainHead {id: 'audit'})
WITH coalesce(h.seq, 0) AS head
OPTIONAL MATCH (c:Change)
WHERE c.seq > $after AND c.seq <= head
WITH head, c
ORDER BY c.seq
LIMIT $limit
RETURN head, collect(c {.seq, .kinds, .ids, .whole}) AS changes
"""

JOURNAL_HEAD = """
OPTIONAL MATCH (h:AuditChainHead {id: 'audit'})
RETURN coalesce(h.seq, 0) AS head
"""

# The journal keeps its newest $keep changes: a reader further behind than that
# rereads derived state whole. Run by writers now and then, a bounded batch a time.
PRUNE_CHANGES = """
MATCH (c:Change)
WHERE c.seq <= $seq - $keep
WITH c
LIMIT $batch
DELETE c
"""

JOURNAL_CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (n:Change) REQUIRE n.seq IS UNIQUE",
)
