"""Projections of the place graph into networkx, and scores written back.

Nodes come first, each with its ``elementId`` so that relationships (streamed
one type at a time, each type its own pre-written query) can be joined to them
in Python without a second lookup. People carry no name: the query never reads
one, and personal records are never projected.

Each record is a batch of up to ``$batch`` rows (``[element id, label, id,
name]`` for nodes, ``[source element id, target element id, weight]`` for
ties): a record costs the driver tens of microseconds whatever its size, so a
million one-row records would cost more than the rows themselves.
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# Nodes with a place (people LIVES_IN, organisations and the rest LOCATED_IN,
# areas WITHIN) must lie within $area_id when it is given; skills, occupations,
# qualifications and services have no place of their own and always pass.
# People whose consent is not current are not projected at all (the rule of
# graph/services/visibility.py): measures are those of the consenting network, and
# their ties leave with them, so no rank, count or path hints at who is missing.
# Only nodes in $places are projected (the vocabulary belongs to no place and is
# everyone's); the ties are joined to the nodes by element id, so a tie to a node
# of another place leaves with that node and no tie query needs the test.
PROJECT_NODES = (
    """
MATCH (n)
WHERE NOT n:PersonalRecord
  AND (NOT n:Person OR (n.consent_given_at IS NOT NULL AND n.consent_withdrawn_at IS NULL))
  AND any(label IN labels(n) WHERE label IN $labels)
  AND (n:Skill OR n:Occupation OR n:Qualification OR """
    + in_places("n")
    + """)
  AND (
    $area_id IS NULL
    OR n:Skill OR n:Occupation OR n:Qualification OR n:Service
    OR EXISTS { (n)-[:LIVES_IN|LOCATED_IN]->(:Area)-[:WITHIN*0..]->(:Area {id: $area_id}) }
    OR (n:Area AND EXISTS { (n)-[:WITHIN*0..]->(:Area {id: $area_id}) })
  )
WITH n, [label IN labels(n) WHERE label IN $labels][0] AS label
ORDER BY label, n.id
WITH collect([
  elementId(n),
  label,
  n.id,
  CASE WHEN n:Person THEN null ELSE coalesce(n.name, n.title, n.preferred_label) END
]) AS nodes
UNWIND range(0, size(nodes) - 1, $batch) AS start
RETURN nodes[start..start + $batch] AS nodes
"""
)

# One query a relationship type, so the planner scans only that type; the types that
# keep history give only the ties that held on $as_of (graph/cypher/history.py). Rows come
# in id order (as nodes do), so that a graph built from them, and anything seeded
# that walks it in order (sampled sources, Louvain), is the same from one load
# of the same data to the next.
RELATIONSHIPS_HAS_SKILL = """
MATCH (a)-[r:HAS_SKILL]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_HOLDS = """
MATCH (a)-[r:HOLDS]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_QUALIFIES_FOR = """
MATCH (a)-[r:QUALIFIES_FOR]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_SUPPORTED_BY = (
    """
MATCH (a)-[r:SUPPORTED_BY]->(b)
WHERE """
    + held_on("r")
    + """
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""
)

RELATIONSHIPS_KNOWS = (
    """
MATCH (a)-[r:KNOWS]->(b)
WHERE """
    + held_on("r")
    + """
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""
)

RELATIONSHIPS_REFERS_TO = (
    """
MATCH (a)-[r:REFERS_TO]->(b)
WHERE """
    + held_on("r")
    + """
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""
)

RELATIONSHIPS_PARTNERS_WITH = (
    """
MATCH (a)-[r:PARTNERS_WITH]->(b)
WHERE """
    + held_on("r")
    + """
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""
)

RELATIONSHIPS_OFFERS = """
MATCH (a)-[r:OFFERS]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_POSTS = """
MATCH (a)-[r:POSTS]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_REQUIRES = """
MATCH (a)-[r:REQUIRES]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_FOR_OCCUPATION = """
MATCH (a)-[r:FOR_OCCUPATION]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_BROADER = """
MATCH (a)-[r:BROADER]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_OWNS = (
    """
MATCH (a)-[r:OWNS]->(b)
WHERE """
    + held_on("r")
    + """
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""
)

RELATIONSHIPS_USES = """
MATCH (a)-[r:USES]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_LIVES_IN = """
MATCH (a)-[r:LIVES_IN]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_LOCATED_IN = """
MATCH (a)-[r:LOCATED_IN]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_APPLIED_TO = """
MATCH (a)-[r:APPLIED_TO]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_PLACED_IN = """
MATCH (a)-[r:PLACED_IN]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_MENTORED_BY = (
    """
MATCH (a)-[r:MENTORED_BY]->(b)
WHERE """
    + held_on("r")
    + """
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""
)

RELATIONSHIPS_PART_OF = """
MATCH (a)-[r:PART_OF]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_DELIVERED_AT = """
MATCH (a)-[r:DELIVERED_AT]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

RELATIONSHIPS_WITHIN = """
MATCH (a)-[r:WITHIN]->(b)
WITH a, b, r
ORDER BY a.id, b.id
WITH collect([elementId(a), elementId(b), r[$weight]]) AS ties
UNWIND range(0, size(ties) - 1, $batch) AS start
RETURN ties[start..start + $batch] AS ties
"""

# Scores go back by elementId, checked against the external id so that a node
# deleted (and its elementId reused) since the projection is never written.

WRITE_DEGREE = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_degree = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_BETWEENNESS = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_betweenness = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_CLOSENESS = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_closeness = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_EIGENVECTOR = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_eigenvector = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_PAGERANK = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_pagerank = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_CONSTRAINT = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_constraint = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_EFFECTIVE_SIZE = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_effective_size = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""

WRITE_ARTICULATION = """
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element_id
  AND n.id = row.id
SET n.centrality_articulation = row.score,
    n.centrality_computed_on = $computed_on
RETURN count(n) AS written
"""
